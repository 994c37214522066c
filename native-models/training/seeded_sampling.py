"""The engine's seeded sampling (main/engine/sampler.ts), bit for bit, for the reference sampler.

xoshiro128** 1.1 seeded by SplitMix32; candidate i of a prompt uses the seed's stream after
i jumps of 2^64 draws; a token is drawn by inverse CDF in float64 over the finite logits in
index order. With the same random numbers, the engine and the PyTorch reference differ only
where their float32 logits differ (~1e-6), so their evaluation figures can be compared
prompt for prompt instead of within sampling noise.
"""
import numpy as np

MASK = 0xFFFFFFFF
JUMP = (0x8764000B, 0xF542D2D3, 0x6FA035C3, 0x77F2DB5B)


def _rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & MASK


def _imul(a, b):
    return (a * b) & MASK


def _split_mix32(seed):
    state = seed & MASK
    while True:
        state = (state + 0x9E3779B9) & MASK
        z = state
        z = _imul(z ^ (z >> 16), 0x21F0AAAD)
        z = _imul(z ^ (z >> 15), 0x735A2D97)
        yield (z ^ (z >> 15)) & MASK


class Xoshiro128:
    def __init__(self, seed, jumps=0, state=None):
        if state is None:
            words = _split_mix32(seed)
            state = [next(words) for _ in range(4)]
        self.s = [w & MASK for w in state]
        for _ in range(jumps):
            self.jump()

    def next_uint32(self):
        s0, s1, s2, s3 = self.s
        result = _imul(_rotl(_imul(s1, 5), 7), 9)
        t = (s1 << 9) & MASK
        n2 = s2 ^ s0
        n3 = s3 ^ s1
        self.s = [s0 ^ n3, s1 ^ n2, n2 ^ t, _rotl(n3, 11)]
        return result

    def next_float(self):
        return self.next_uint32() / 4294967296

    def jump(self):
        acc = [0, 0, 0, 0]
        for word in JUMP:
            for bit in range(32):
                if (word >> bit) & 1:
                    acc = [a ^ s for a, s in zip(acc, self.s)]
                self.next_uint32()
        self.s = acc


def candidate_generators(seed, candidates):
    return [Xoshiro128(seed, jumps=i) for i in range(candidates)]


def sample_categorical(logits, generator):
    """One index from softmax(logits) (a float32 vector); -inf entries are never drawn."""
    finite = np.flatnonzero(logits != -np.inf)
    if len(finite) == 0:
        raise ValueError("every token was removed by the logits processors")
    values = logits[finite].astype(np.float64)
    # np.cumsum adds left to right in float64, as the engine's loop does.
    cumulative = np.cumsum(np.exp(values - values.max()))
    target = generator.next_float() * cumulative[-1]
    i = int(np.searchsorted(cumulative, target, side="right"))
    if i < len(finite):
        return int(finite[i])
    # Rounding left target at the very top of the range: the last token of nonzero weight.
    return int(finite[np.flatnonzero(np.diff(cumulative, prepend=0.0) > 0)[-1]])
