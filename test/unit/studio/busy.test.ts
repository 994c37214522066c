/** A studio flooded with work: a bounded queue with a clear answer, and an export that stops once its requester is gone. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GenerationFinished } from '../../../main/common/contract';
import { MAX_WAITING_JOBS } from '../../../main/engine/index';
import { generateOnce, openInProcessStudio, type InProcessStudio } from '../in-process-studio';

let main: InProcessStudio;
beforeAll(async () => void (main = await openInProcessStudio()));
afterAll(() => main.close());

const settings = { guidance: 3, temperature: 1, topK: 64, topP: 1, candidates: 32 };

describe('a flood of generation requests', () => {
  test('beyond the bound, generation.start answers "queue full" in one line; the accepted runs all finish', async () => {
    const finished: GenerationFinished[] = [];
    const off = main.api.generation.onFinished((event) => void finished.push(event));
    const starts = await Promise.allSettled(Array.from({ length: MAX_WAITING_JOBS + 6 }, (_, seed) => main.api.generation.start({ prompt: 'a red circle', seed, settings })));
    const accepted = starts.filter((start) => start.status === 'fulfilled');
    const refused = starts.filter((start) => start.status === 'rejected').map((start) => (start.reason as Error).message);
    expect(accepted.length).toBeGreaterThanOrEqual(MAX_WAITING_JOBS);
    expect(accepted.length).toBeLessThanOrEqual(MAX_WAITING_JOBS + 1);
    expect(refused.length).toBeGreaterThan(0);
    for (const message of refused) expect(message).toMatch(/^The queue is full: \d+ runs are waiting behind the one in progress\. Wait for one to finish, or cancel one\.$/);
    await expect.poll(() => finished.length, { timeout: 60_000 }).toBe(accepted.length);
    expect(finished.every((event) => event.outcome === 'done')).toBe(true);
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
