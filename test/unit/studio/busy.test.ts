/** A studio flooded with work: a bounded queue (the studio's; the engine's own is in engine/queue.test.ts) with a clear answer, and an export that stops once its requester is gone. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GenerationFinished } from '../../../main/common/contract';
import { MAX_WAITING_RUNS } from '../../../main/common/limits';
import { generateOnce, openInProcessStudio, type InProcessStudio } from '../in-process-studio';

let main: InProcessStudio;
beforeAll(async () => void (main = await openInProcessStudio()));
afterAll(() => main.close());

const settings = { guidance: 3, temperature: 1, topK: 64, topP: 1, candidates: 32 };

describe('a flood of generation requests', () => {
  test('beyond the queue\'s bound, generation.start answers "queue full" in one line; cancel all ends every accepted run', async () => {
    const finished: GenerationFinished[] = [];
    const off = main.api.generation.onFinished((event) => void finished.push(event));
    const starts = await Promise.allSettled(Array.from({ length: MAX_WAITING_RUNS + 6 }, (_, seed) => main.api.generation.start({ prompt: 'a red circle', seed, settings })));
    const accepted = starts.filter((start) => start.status === 'fulfilled');
    const refused = starts.filter((start) => start.status === 'rejected').map((start) => (start.reason as Error).message);
    // One running and the bound waiting (one more if the first finished meanwhile).
    expect(accepted.length).toBeGreaterThanOrEqual(MAX_WAITING_RUNS + 1);
    expect(accepted.length).toBeLessThanOrEqual(MAX_WAITING_RUNS + 2);
    expect(refused.length).toBeGreaterThan(0);
    for (const message of refused) expect(message).toBe(`The queue is full: ${MAX_WAITING_RUNS} runs are waiting, the most it holds. Wait for one to finish, or cancel one.`);
    const { entries } = await main.api.queue.cancelAll();
    expect(entries.filter((entry) => entry.status === 'waiting')).toEqual([]);
    await expect.poll(async () => (await main.api.queue.list()).entries.some((entry) => entry.status === 'running'), { timeout: 60_000 }).toBe(false);
    expect(finished.length).toBeGreaterThanOrEqual(1);
    off();
  }, 90_000);
});

describe('a bulk export whose requester is gone', () => {
  test('stops after the image in progress, saying so, and delivers nothing', async () => {
    for (const seed of [1, 2, 3]) {
      // Main saves each run whole.
      const { finished } = await generateOnce(main, 'a blue square', seed, 8);
      if (finished.outcome !== 'done') throw new Error(`generation ${finished.outcome}`);
    }
    const { items } = await main.api.gallery.list({ search: 'blue square' });
    expect(items.length).toBe(24);
    const requester = new AbortController();
    const exporting = main.studio.dispatch(
      'export.images',
      { ids: items.map((item) => item.id), options: { format: 'png', scale: 8, resample: 'nearest', nameTemplate: '{seed}' } },
      { startDrag: () => false, signal: requester.signal },
    );
    requester.abort(); // the socket closed while the first image was rendering
    expect(await exporting).toEqual({ ok: false, error: 'Export stopped after 1 of 24 images: whoever asked for it is gone.' });
  });
});
