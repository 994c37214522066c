"""PyTorch reference sampler for an exported run: the engine's algorithm, for parity and as
the benchmark peer.

The loop: encode the prompt (and the empty prompt, for classifier-free guidance) once ->
for each of the N image tokens: one decoder step with the key/value cache -> guidance
`u + g (c - u)` on log-probabilities -> temperature -> top-k -> top-p -> sample. Candidates
are rows of one batch; the reranker orders them by text/image similarity.

Sampling: by default the engine's seeded generator (seeded_sampling.py): prompt j of a call
with `seed` draws from seed + j, candidate i from that stream after i jumps, as the engine's
CLI and eval do, so both draw the same images. Its pure-Python generator is slow, so the
benchmark peer uses `engine_random=False`: torch.multinomial, the same distribution.
"""
import torch

from seeded_sampling import candidate_generators, sample_categorical
from text_tokenizer import TextTokenizer


class Settings:
    def __init__(self, guidance=3.0, temperature=1.0, top_k=64, top_p=1.0, candidates=1):
        self.guidance, self.temperature, self.top_k, self.top_p, self.candidates = (
            guidance, temperature, top_k, top_p, candidates)


def process_logits(cond, uncond, s):
    """Guidance, temperature, top-k, top-p, in that order (the engine's processor chain)."""
    x = cond if uncond is None else uncond + s.guidance * (cond - uncond)
    x = x / max(s.temperature, 1e-6)
    if s.top_k and s.top_k < x.shape[-1]:
        kth = x.topk(s.top_k, -1).values[..., -1:]
        x = x.masked_fill(x < kth, float("-inf"))
    if s.top_p < 1.0:
        sorted_x, order = x.sort(-1, descending=True)
        cumulative = sorted_x.softmax(-1).cumsum(-1)
        drop = cumulative - sorted_x.softmax(-1) > s.top_p     # keep the smallest set reaching p
        x = x.masked_fill(drop.scatter(-1, order, drop), float("-inf"))
    return x


class ReferenceSampler:
    def __init__(self, model, reranker, detokenizer, engine_random=True):
        self.model, self.reranker, self.detokenizer = model, reranker, detokenizer
        self.engine_random = engine_random
        self.tokenizer = TextTokenizer(model.cfg.max_text)

    @torch.no_grad()
    def generate(self, prompts, settings, seed=0, use_cache=True):
        """Token grids [len(prompts), candidates, N], best candidate first, and their scores."""
        s = settings
        n = s.candidates
        guided = s.guidance != 1.0
        rows = [p for p in prompts for _ in range(n)]
        texts = rows + ([""] * len(rows) if guided else [])
        ids, mask = self.tokenizer.batch(texts)
        cross_k, cross_v = self.model.cross_kv(ids, mask)
        draw = self._engine_draws(prompts, n, seed) if self.engine_random else self._torch_draws(seed)
        batch = len(rows)
        tokens = torch.empty((batch, self.model.cfg.image_tokens), dtype=torch.long)
        feed = torch.full((len(texts), 1), self.model.cfg.codebook_size, dtype=torch.long)
        past_k = past_v = None
        for i in range(self.model.cfg.image_tokens):
            if use_cache:
                hidden, past_k, past_v = self.model.decode(feed, past_k, past_v, cross_k, cross_v, mask)
            else:
                prefix = torch.cat([torch.full((len(texts), 1), self.model.cfg.codebook_size), tokens[:, :i].repeat(
                    2 if guided else 1, 1)], 1)
                hidden, _, _ = self.model.decode(prefix, None, None, cross_k, cross_v, mask)
            log_probs = self.model.joint_log_probs(hidden[:, -1])
            cond, uncond = (log_probs[:batch], log_probs[batch:]) if guided else (log_probs, None)
            x = process_logits(cond, uncond, s)
            choice = draw(x)
            tokens[:, i] = choice
            feed = choice.repeat(2 if guided else 1)[:, None]
        tokens = tokens.view(len(prompts), n, -1)
        scores = self.scores(prompts, tokens)
        order = scores.argsort(1, descending=True)
        return tokens.gather(1, order[..., None].expand_as(tokens)), scores.gather(1, order)

    @staticmethod
    def _engine_draws(prompts, n, seed):
        generators = [g for j in range(len(prompts)) for g in candidate_generators(seed + j, n)]
        return lambda x: torch.tensor([sample_categorical(row, g) for row, g in zip(x.float().numpy(), generators)])

    @staticmethod
    def _torch_draws(seed):
        generator = torch.Generator().manual_seed(seed)
        return lambda x: torch.multinomial(x.softmax(-1), 1, generator=generator)[:, 0]

    @torch.no_grad()
    def scores(self, prompts, tokens):
        ids, mask = self.tokenizer.batch(prompts)
        text = self.reranker.embed_text(ids, mask)                                    # [P,E]
        image = self.reranker.embed_image(tokens.reshape(-1, tokens.shape[-1]))       # [P*n,E]
        return (image.view(tokens.shape[0], tokens.shape[1], -1) * text[:, None]).sum(-1) * self.reranker.scale()

    @torch.no_grad()
    def pixels(self, tokens):
        """uint8 images [.., R, R, 3] of token grids [.., N]."""
        flat = tokens.reshape(-1, tokens.shape[-1])
        px = (self.detokenizer(flat).clamp(0, 1) * 255).round().byte().permute(0, 2, 3, 1)
        return px.reshape(*tokens.shape[:-1], *px.shape[1:])
