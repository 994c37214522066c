import { describe, expect, it } from 'vitest';
import { applyGuidance, buildProcessors, ForcedTokensProcessor, processLogits, type LogitsBatch } from '../../../main/engine/logits/index.js';
import { TemperatureProcessor } from '../../../main/engine/logits/temperature.js';
import { TopKProcessor } from '../../../main/engine/logits/top-k.js';
import { TopPProcessor } from '../../../main/engine/logits/top-p.js';

const batch = (rows: number[][]): LogitsBatch => ({ data: Float32Array.from(rows.flat()), rows: rows.length, vocab: rows[0]!.length });
const rowsOf = (logits: LogitsBatch) => Array.from({ length: logits.rows }, (_, r) => Array.from(logits.data.subarray(r * logits.vocab, (r + 1) * logits.vocab)));

describe('applyGuidance', () => {
  it('combines cond rows with their uncond twins: uncond + s (cond - uncond)', () => {
    const guided = applyGuidance(batch([[1, 2], [3, 5], [0, 1], [1, 1]]), 3);
    expect(guided.rows).toBe(2);
    expect(rowsOf(guided)).toEqual([[3, 4], [7, 13]]);
  });

  it('returns the cond rows at scale 1 and the uncond rows at scale 0', () => {
    expect(rowsOf(applyGuidance(batch([[1, 2], [5, 7]]), 1))).toEqual([[1, 2]]);
    expect(rowsOf(applyGuidance(batch([[1, 2], [5, 7]]), 0))).toEqual([[5, 7]]);
  });

  it('writes the guided rows over the cond rows, leaving the uncond rows as they were', () => {
    const logits = batch([[1, 2], [0, 1]]);
    const guided = applyGuidance(logits, 3);
    expect(guided.data.buffer).toBe(logits.data.buffer);
    expect(rowsOf(logits)).toEqual([[3, 4], [0, 1]]);
  });

  it('rejects an odd row count', () => {
    expect(() => applyGuidance(batch([[1], [2], [3]]), 2)).toThrow(/cond and uncond/);
  });
});

describe('TemperatureProcessor', () => {
  it('divides every logit by the temperature', () => {
    const logits = batch([[2, -4, 0]]);
    new TemperatureProcessor(2).process(logits);
    expect(rowsOf(logits)).toEqual([[1, -2, 0]]);
  });

  it('rejects a temperature that is not positive', () => {
    expect(() => new TemperatureProcessor(0)).toThrow(RangeError);
  });
});

describe('TopKProcessor', () => {
  it('keeps the k largest of each row', () => {
    const logits = batch([[1, 5, 3, 4], [9, 8, 7, 6]]);
    new TopKProcessor(2).process(logits);
    expect(rowsOf(logits)).toEqual([[-Infinity, 5, -Infinity, 4], [9, 8, -Infinity, -Infinity]]);
  });

  it('keeps ties with the k-th value and leaves rows alone when k >= vocab', () => {
    const tied = batch([[1, 3, 3, 0]]);
    new TopKProcessor(1).process(tied);
    expect(rowsOf(tied)).toEqual([[-Infinity, 3, 3, -Infinity]]);
    const small = batch([[1, 2]]);
    new TopKProcessor(5).process(small);
    expect(rowsOf(small)).toEqual([[1, 2]]);
  });

  it('agrees with a full sort on random rows with ties and removed tokens', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let trial = 0; trial < 500; trial++) {
      const vocab = 2 + Math.floor(random() * 60);
      const k = 1 + Math.floor(random() * (vocab - 1));
      const row = Array.from({ length: vocab }, () => (random() < 0.2 ? -Infinity : Math.floor(random() * 8)));
      const kth = [...row].sort((a, b) => b - a)[k - 1]!;
      const logits = batch([row]);
      new TopKProcessor(k).process(logits);
      expect(rowsOf(logits)[0]).toEqual(row.map((v) => (v < kth ? -Infinity : v)));
    }
  });
});

describe('TopPProcessor', () => {
  it('keeps the smallest most-likely set reaching p', () => {
    const logits = batch([[Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05)]]);
    new TopPProcessor(0.75).process(logits);
    const kept = rowsOf(logits)[0]!.map(Number.isFinite);
    expect(kept).toEqual([true, true, false, false]);
  });

  it('always keeps the most likely token', () => {
    const logits = batch([[0, 10, 0]]);
    new TopPProcessor(0.01).process(logits);
    expect(rowsOf(logits)[0]!.map(Number.isFinite)).toEqual([false, true, false]);
  });
});

describe('ForcedTokensProcessor', () => {
  const FREE = ForcedTokensProcessor.FREE;

  it('leaves only the forced token at a forced position, for every row', () => {
    const logits = batch([[1, 2, 3], [4, 5, 6]]);
    new ForcedTokensProcessor(Int32Array.from([FREE, 0])).process(logits, 1);
    expect(rowsOf(logits)).toEqual([[1, -Infinity, -Infinity], [4, -Infinity, -Infinity]]);
  });

  it('leaves free positions untouched and revives a token another processor removed', () => {
    const free = batch([[1, 2, 3]]);
    new ForcedTokensProcessor(Int32Array.from([FREE])).process(free, 0);
    expect(rowsOf(free)).toEqual([[1, 2, 3]]);
    const removed = batch([[-Infinity, 2, 3]]);
    new ForcedTokensProcessor(Int32Array.from([0])).process(removed, 0);
    expect(rowsOf(removed)).toEqual([[0, -Infinity, -Infinity]]);
  });
});

describe('buildProcessors', () => {
  const settings = { guidance: 3, temperature: 1, topK: 0, topP: 1, candidates: 1 };

  it('leaves out processors that would do nothing', () => {
    expect(buildProcessors(settings)).toHaveLength(0);
  });

  it('orders temperature, top-k, top-p, then forced tokens', () => {
    const processors = buildProcessors({ ...settings, temperature: 0.5, topK: 2, topP: 0.999 }, Int32Array.from([1]));
    expect(processors.map((p) => p.constructor.name)).toEqual(['TemperatureProcessor', 'TopKProcessor', 'TopPProcessor', 'ForcedTokensProcessor']);
    const logits = batch([[4, 2, 0]]);
    processLogits(processors, logits, 0);
    expect(rowsOf(logits)).toEqual([[-Infinity, 4, -Infinity]]);
  });
});
