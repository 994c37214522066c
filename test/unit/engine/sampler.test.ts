import { describe, expect, it } from 'vitest';
import { candidateGenerators, sampleCategorical, Xoshiro128 } from '../../../main/engine/sampler.js';

describe('Xoshiro128 (xoshiro128** 1.1)', () => {
  it('matches the reference C implementation from state {1,2,3,4}', () => {
    const generator = Xoshiro128.fromState([1, 2, 3, 4]);
    expect([0, 1, 2, 3].map(() => generator.nextUint32())).toEqual([11520, 0, 5927040, 70819200]);
  });

  it('matches the reference jump()', () => {
    const generator = Xoshiro128.fromState([1, 2, 3, 4]);
    for (let i = 0; i < 4; i++) generator.nextUint32();
    generator.jump();
    expect([0, 1, 2, 3].map(() => generator.nextUint32())).toEqual([3046317961, 3130903476, 2327035934, 1140626159]);
  });

  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const draw = (seed: number) => {
      const generator = new Xoshiro128(seed);
      return Array.from({ length: 8 }, () => generator.nextUint32());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('gives candidate i the same stream whatever the batch size', () => {
    const few = candidateGenerators(7, 2);
    const many = candidateGenerators(7, 16);
    expect(few[1]!.nextUint32()).toBe(many[1]!.nextUint32());
    const firsts = many.map((g) => g.nextUint32());
    expect(new Set(firsts).size).toBe(16);
  });

  it('draws uniform floats in [0, 1) with mean near 1/2', () => {
    const generator = new Xoshiro128(1);
    let sum = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = generator.nextFloat();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
    }
    expect(Math.abs(sum / 100_000 - 0.5)).toBeLessThan(0.005);
  });
});

describe('sampleCategorical', () => {
  it('follows softmax(logits) (chi-square, 3 degrees of freedom)', () => {
    const probabilities = [0.1, 0.2, 0.3, 0.4];
    const logits = Float32Array.from(probabilities, Math.log);
    const generator = new Xoshiro128(123);
    const counts = [0, 0, 0, 0];
    const draws = 40_000;
    for (let i = 0; i < draws; i++) counts[sampleCategorical(logits, 0, 4, generator)]!++;
    const chiSquare = counts.reduce((sum, count, v) => sum + (count - draws * probabilities[v]!) ** 2 / (draws * probabilities[v]!), 0);
    expect(chiSquare).toBeLessThan(16.27); // p = 0.001
  });

  it('never draws a token at -Infinity and reads the row at the offset', () => {
    const logits = Float32Array.from([9, 9, 9, -Infinity, 0, -Infinity]);
    const generator = new Xoshiro128(5);
    for (let i = 0; i < 1000; i++) expect(sampleCategorical(logits, 3, 3, generator)).toBe(1);
  });

  it('is deterministic for a seed', () => {
    const logits = Float32Array.from({ length: 50 }, (_, i) => Math.sin(i));
    const run = () => {
      const generator = new Xoshiro128(99);
      return Array.from({ length: 20 }, () => sampleCategorical(logits, 0, 50, generator));
    };
    expect(run()).toEqual(run());
  });

  it('throws when every token was removed', () => {
    expect(() => sampleCategorical(new Float32Array([-Infinity, -Infinity]), 0, 2, new Xoshiro128(1))).toThrow(/removed/);
  });
});
