/**
 * Seeded randomness and categorical sampling.
 *
 * Generator: xoshiro128** 1.1 (Blackman & Vigna), 32-bit state words so it runs on plain
 * JS integer arithmetic (Math.imul) with no BigInt. Its 128-bit state is filled from the
 * seed by SplitMix32 (a Weyl sequence with step 0x9E3779B9 and a two-multiply finaliser),
 * which is the seeding its authors recommend. Candidate i of a request uses the seed's
 * stream advanced by i jumps of 2^64 draws, so candidates never share random numbers and
 * candidate i draws the same numbers whatever the batch size.
 *
 * Uniform floats are next32() / 2^32, in [0, 1).
 */

const JUMP = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b];

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** SplitMix32: returns a function drawing successive uint32 words from `seed`. */
function splitMix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}

export class Xoshiro128 {
  private readonly s = new Uint32Array(4);

  /** The stream for `seed` (uint32), advanced by `jumps` × 2^64 draws. */
  constructor(seed: number, jumps = 0) {
    const next = splitMix32(seed);
    for (let i = 0; i < 4; i++) this.s[i] = next();
    for (let j = 0; j < jumps; j++) this.jump();
  }

  /** A generator in a given raw state (four uint32 words); for checks against the reference C code. */
  static fromState(state: ArrayLike<number>): Xoshiro128 {
    const generator = new Xoshiro128(0);
    generator.s.set(Array.from(state, (word) => word >>> 0));
    return generator;
  }

  /** Next uint32. */
  nextUint32(): number {
    const s = this.s;
    const s0 = s[0]!, s1 = s[1]!, s2 = s[2]!, s3 = s[3]!;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    s[1] = s1 ^ n2;
    s[0] = s0 ^ n3;
    s[2] = n2 ^ t;
    s[3] = rotl(n3, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Equivalent to 2^64 calls of nextUint32 (the reference `jump()`). */
  jump(): void {
    const acc = new Uint32Array(4);
    for (const word of JUMP) {
      for (let bit = 0; bit < 32; bit++) {
        if ((word >>> bit) & 1) for (let i = 0; i < 4; i++) acc[i]! ^= this.s[i]!;
        this.nextUint32();
      }
    }
    this.s.set(acc);
  }
}

/** One generator per candidate: candidate i is the seed's stream after i jumps. */
export function candidateGenerators(seed: number, candidates: number): Xoshiro128[] {
  return Array.from({ length: candidates }, (_, i) => new Xoshiro128(seed, i));
}

/** Indices of a row's finite logits; reused across calls (sampling is synchronous). */
let finiteScratch = new Int32Array(0);

/**
 * Draws an index from softmax(logits[offset .. offset+vocab)) by inverse CDF in float64.
 * Tokens at -Infinity (removed by a processor) are never drawn. Only finite logits are
 * weighed: after top-k that is k of the codebook's tokens, and exp() dominated the step.
 */
export function sampleCategorical(logits: Float32Array, offset: number, vocab: number, random: Xoshiro128): number {
  let max = -Infinity;
  let count = 0;
  if (finiteScratch.length < vocab) finiteScratch = new Int32Array(vocab);
  const finite = finiteScratch;
  for (let v = 0; v < vocab; v++) {
    const x = logits[offset + v]!;
    if (x === -Infinity) continue;
    finite[count++] = v;
    if (x > max) max = x;
  }
  if (count === 0) throw new Error('every token was removed by the logits processors');
  let total = 0;
  const weights = new Float64Array(count);
  for (let i = 0; i < count; i++) total += weights[i] = Math.exp(logits[offset + finite[i]!]! - max);
  const target = random.nextFloat() * total;
  let cumulative = 0;
  let last = 0;
  for (let i = 0; i < count; i++) {
    if (weights[i] === 0) continue;
    cumulative += weights[i]!;
    last = finite[i]!;
    if (target < cumulative) return last;
  }
  return last; // rounding left target at the very top of the range
}
