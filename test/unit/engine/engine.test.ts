/** Integration: the Engine API on the tiny smoke-trained package (CPU provider). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, isEngineError, type GenerateResult, type ProgressEvent, type RgbaImage } from '../../../main/engine/index.js';
import { TINY_PACKAGE } from './fixtures.js';

let engine: Engine;
beforeAll(async () => {
  engine = await Engine.open({ packageDir: TINY_PACKAGE, provider: 'cpu' });
});
afterAll(async () => {
  await engine.close();
});

const prompt = 'a red circle at the top left on a white background';
const tokensOf = (result: GenerateResult) => result.candidates.map((c) => Array.from(c.tokens));

describe('Engine.generate', () => {
  it('samples N candidates in one batch, ordered by reranker score', async () => {
    const result = await engine.generate({ prompt, seed: 7, settings: { candidates: 4 } });
    expect(result.candidates).toHaveLength(4);
    expect(result.modelId).toBe('tiny-test');
    expect(result.settings).toEqual({ guidance: 3, temperature: 1, topK: 64, topP: 1, candidates: 4 });
    expect(result.candidates.map((c) => c.index).sort()).toEqual([0, 1, 2, 3]);
    const scores = result.candidates.map((c) => c.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const candidate of result.candidates) {
      expect(candidate.tokens).toHaveLength(64);
      expect(candidate.tokens.every((t) => t >= 0 && t < 579)).toBe(true);
      expect([candidate.image.width, candidate.image.height]).toEqual([64, 64]);
    }
  });

  it('gives bit-identical images for the same prompt, seed and settings', async () => {
    const request = { prompt, seed: 1234, settings: { candidates: 3, temperature: 1.2 } };
    const [first, second] = [await engine.generate(request), await engine.generate(request)];
    expect(tokensOf(second)).toEqual(tokensOf(first));
    second.candidates.forEach((c, i) => expect(Buffer.from(c.image.data).equals(Buffer.from(first.candidates[i]!.image.data))).toBe(true));
    const other = await engine.generate({ ...request, seed: 1235 });
    expect(tokensOf(other)).not.toEqual(tokensOf(first));
  });

  it('draws and reports a seed when none is given', async () => {
    const result = await engine.generate({ prompt, settings: { candidates: 1 } });
    expect(Number.isInteger(result.seed)).toBe(true);
    const again = await engine.generate({ prompt, seed: result.seed, settings: { candidates: 1 } });
    expect(tokensOf(again)).toEqual(tokensOf(result));
  });

  it('streams a partial preview per candidate at least every eighth of the tokens', async () => {
    const events: ProgressEvent[] = [];
    await engine.generate({ prompt, seed: 3, settings: { candidates: 2 } }, { onProgress: (e) => events.push(e) });
    const decode = events.filter((e) => e.phase === 'decode');
    expect(decode.map((e) => e.tokensDone)).toEqual([8, 16, 24, 32, 40, 48, 56, 64]);
    expect(decode.every((e) => e.previews?.length === 2)).toBe(true);
    const alphaAt = (image: RgbaImage, x: number, y: number) => image.data[(y * image.width + x) * 4 + 3];
    const firstRow = decode[0]!.previews![0]!; // one row of 8 cells decoded
    expect(alphaAt(firstRow, 3, 3)).toBe(255);
    expect(alphaAt(firstRow, 3, 60)).toBe(0);
    expect(events.map((e) => e.phase)).toEqual(['encode', ...decode.map(() => 'decode'), 'detokenize', 'rerank']);
  });

  it('reports unknown words and the normalised prompt', async () => {
    const result = await engine.generate({ prompt: 'A RED Zebra, top-left!', seed: 1, settings: { candidates: 1 } });
    expect(result.normalizedPrompt).toBe('a red zebra top left');
    expect(result.unknownWords).toEqual(['zebra']);
    expect(engine.unknownWords('a purple unicorn')).toEqual(['unicorn']);
  });

  it('rejects bad settings with BAD_REQUEST', async () => {
    const error = await engine.generate({ prompt, settings: { temperature: 0 } }).catch((e: unknown) => e);
    expect(isEngineError(error, 'BAD_REQUEST')).toBe(true);
    await expect(engine.generate({ prompt, seed: -1 })).rejects.toThrow(/Seed must be an integer/);
  });

  it('runs without guidance (guidance 1: conditional rows only)', async () => {
    const result = await engine.generate({ prompt, seed: 2, settings: { guidance: 1, candidates: 2, topK: 0, topP: 0.9 } });
    expect(result.candidates).toHaveLength(2);
  });
});

describe('cancellation and the queue', () => {
  it('stops within 50 ms of abort', async () => {
    const controller = new AbortController();
    let abortedAt = 0;
    const running = engine.generate(
      { prompt, seed: 5, settings: { candidates: 16 } },
      {
        signal: controller.signal,
        onProgress: (e) => {
          if (e.phase === 'decode' && e.tokensDone === 16) setTimeout(() => ((abortedAt = performance.now()), controller.abort()), 0);
        },
      },
    );
    const error = await running.catch((e: unknown) => e);
    const latency = performance.now() - abortedAt;
    expect(isEngineError(error, 'CANCELLED')).toBe(true);
    expect(abortedAt).toBeGreaterThan(0);
    expect(latency).toBeLessThan(50);
  });

  it('runs requests one at a time in order, and a cancelled waiting request never runs', async () => {
    const finished: string[] = [];
    const controller = new AbortController();
    const jobs = [
      engine.generate({ prompt: 'a red circle', seed: 1, settings: { candidates: 2 } }).then(() => finished.push('first')),
      engine.generate({ prompt: 'a blue square', seed: 1, settings: { candidates: 1 } }, { signal: controller.signal }).catch((e: unknown) => {
        finished.push(isEngineError(e, 'CANCELLED') ? 'second cancelled' : 'second failed');
      }),
      engine.generate({ prompt: 'a green cross', seed: 1, settings: { candidates: 1 } }).then(() => finished.push('third')),
    ];
    expect(engine.pendingJobs).toBe(3);
    controller.abort();
    await Promise.all(jobs);
    expect(finished).toEqual(['second cancelled', 'first', 'third']);
  });
});
