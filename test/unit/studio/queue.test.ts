/** The studio's queue of generation runs: order, reorder, cancel, the bound, and a restart on the same data folder. */
import { afterEach, describe, expect, test } from 'vitest';
import type { GenerationFinished, QueueState } from '../../../main/common/contract';
import { MAX_WAITING_RUNS } from '../../../main/common/limits';
import { generateOnce, openInProcessStudio, type InProcessStudio } from '../in-process-studio';

const settings = (candidates: number) => ({ guidance: 3, temperature: 1, topK: 64, topP: 1, candidates });
/** Long enough to hold the line while a test looks at it. */
const SLOW = settings(32);

let main: InProcessStudio;
afterEach(() => main.close());

const summary = (state: QueueState) => state.entries.map((entry) => `${entry.request.prompt}:${entry.status}${entry.position === null ? '' : `@${entry.position}`}`);

/** Collects every finished run, in order. */
function finishedRuns(harness: InProcessStudio): GenerationFinished[] {
  const finished: GenerationFinished[] = [];
  harness.api.generation.onFinished((event) => void finished.push(event));
  return finished;
}

async function queueThree(harness: InProcessStudio): Promise<string[]> {
  const ids: string[] = [];
  for (const [seed, prompt] of ['a red circle', 'a blue square', 'a green triangle'].entries()) {
    ids.push((await harness.api.generation.start({ prompt, seed: seed + 1, settings: SLOW })).jobId);
  }
  return ids;
}

describe('the queue', () => {
  test('runs in line order; a waiting run moves and is cancelled; bad positions and unknown ids get one line each', async () => {
    main = await openInProcessStudio();
    const finished = finishedRuns(main);
    const [red, blue, green] = await queueThree(main);
    expect(summary(await main.api.queue.list())).toEqual(['a red circle:running', 'a blue square:waiting@0', 'a green triangle:waiting@1']);
    expect((await main.api.queue.list()).entries[1]).toMatchObject({ request: { prompt: 'a blue square', seed: 2, settings: SLOW }, modelId: 'tiny-test', progress: 0 });

    expect(summary(await main.api.queue.move({ id: green!, position: 0 }))).toEqual(['a red circle:running', 'a green triangle:waiting@0', 'a blue square:waiting@1']);
    await expect(main.api.queue.move({ id: green!, position: 2 })).rejects.toThrow(/^Position 2 is outside the line: the 2 waiting runs are at 0 to 1\.$/);
    await expect(main.api.queue.move({ id: red!, position: 0 })).rejects.toThrow('That run is running; only a waiting run can be moved.');
    await expect(main.api.queue.move({ id: green!, position: -1 })).rejects.toThrow(/^queue\.move: invalid request: position: /);
    await expect(main.api.queue.cancel({ id: 'run-unknown' })).rejects.toThrow('No queued run with id "run-unknown" (it may have been deleted).');

    expect(summary(await main.api.queue.cancel({ id: blue! }))).toEqual(['a red circle:running', 'a green triangle:waiting@0', 'a blue square:cancelled']);
    await expect.poll(() => finished.length, { timeout: 60_000 }).toBe(2);
    expect(finished.map((event) => [event.jobId, event.outcome])).toEqual([
      [red, 'done'],
      [green, 'done'],
    ]);
    await expect(main.api.queue.cancel({ id: red! })).rejects.toThrow('That run is already over (done); there is nothing to cancel.');
    const state = await main.api.queue.list();
    expect(summary(state)).toEqual(['a green triangle:done', 'a red circle:done', 'a blue square:cancelled']);
    expect(state.entries.map((entry) => entry.progress)).toEqual([1, 1, null]);
    // Each finished run is in the gallery under its entry's id.
    const { items } = await main.api.gallery.list({ limit: 100 });
    expect(new Set(items.map((item) => item.runId))).toEqual(new Set([red, green]));
  }, 90_000);

  test('cancel all stops the running run and every waiting one', async () => {
    main = await openInProcessStudio();
    const finished = finishedRuns(main);
    await queueThree(main);
    expect(summary(await main.api.queue.cancelAll()).sort()).toEqual(['a blue square:cancelled', 'a green triangle:cancelled', 'a red circle:running']);
    await expect.poll(() => finished.length, { timeout: 30_000 }).toBe(1);
    expect(finished[0]!.outcome).toBe('cancelled');
    expect(summary(await main.api.queue.list()).sort()).toEqual(['a blue square:cancelled', 'a green triangle:cancelled', 'a red circle:cancelled']);
  }, 60_000);

  test('a restart on the same data folder keeps the line: the interrupted run goes back to the front, and all of it finishes', async () => {
    main = await openInProcessStudio();
    const [red, blue, green] = await queueThree(main);
    await main.api.queue.move({ id: green!, position: 0 });
    await main.restart();
    const after = await main.api.queue.list();
    // The interrupted run starts again at once, from its first token, with its seed.
    expect(summary(after)).toEqual(['a red circle:running', 'a green triangle:waiting@0', 'a blue square:waiting@1']);
    expect(after.entries.map((entry) => entry.id)).toEqual([red, green, blue]);
    expect(after.entries[0]!.request.seed).toBe(1);
    await expect.poll(async () => summary(await main.api.queue.list()), { timeout: 90_000, interval: 200 }).toEqual([
      'a blue square:done',
      'a green triangle:done',
      'a red circle:done',
    ]);
    const { items } = await main.api.gallery.list({ limit: 500 });
    // Nothing of the interrupted attempt was saved: each run is in the gallery once, whole.
    expect(items).toHaveLength(3 * SLOW.candidates);
  }, 150_000);

  test(`holds at most ${MAX_WAITING_RUNS} waiting runs and says so; an empty batch and 1000 prompts are refused in one line`, async () => {
    main = await openInProcessStudio();
    const prompts = Array.from({ length: MAX_WAITING_RUNS }, (_, i) => `a red circle number ${i}`);
    const filled = await main.api.queue.addBatch({ prompts, settings: SLOW, seed: null });
    // The first started at once; the rest wait, each with a seed of its own.
    expect(filled.entries.filter((entry) => entry.status === 'waiting')).toHaveLength(MAX_WAITING_RUNS - 1);
    expect(new Set(filled.entries.map((entry) => entry.request.seed)).size).toBeGreaterThan(MAX_WAITING_RUNS / 2);
    await expect(main.api.queue.addBatch({ prompts: ['a', 'b'], settings: SLOW, seed: 1 })).rejects.toThrow(
      `The queue has room for 1 more runs (${MAX_WAITING_RUNS - 1} of ${MAX_WAITING_RUNS} are waiting); this adds 2.`,
    );
    await main.api.generation.start({ prompt: 'a blue square', seed: 1, settings: SLOW });
    await expect(main.api.generation.start({ prompt: 'a blue square', seed: 2, settings: SLOW })).rejects.toThrow(
      `The queue is full: ${MAX_WAITING_RUNS} runs are waiting, the most it holds. Wait for one to finish, or cancel one.`,
    );
    await expect(main.api.queue.addBatch({ prompts: [], settings: SLOW, seed: null })).rejects.toThrow(
      'queue.addBatch: invalid request: prompts: the batch is empty: write one prompt a line',
    );
    await expect(main.api.queue.addBatch({ prompts: Array.from({ length: 1000 }, () => 'a red circle'), settings: SLOW, seed: null })).rejects.toThrow(
      `queue.addBatch: invalid request: prompts: a batch holds at most ${MAX_WAITING_RUNS} prompts (the most the queue holds waiting)`,
    );
    await main.api.queue.cancelAll();
  }, 60_000);

  test('“4 more like this” queues the image’s prompt and settings on its next four seeds; an unknown image is refused', async () => {
    main = await openInProcessStudio();
    const { finished } = await generateOnce(main, 'a purple circle', 4_294_967_294, 2);
    if (finished.outcome !== 'done') throw new Error(`generation ${finished.outcome}`);
    const source = finished.candidates[1]!;
    const state = await main.api.queue.moreLikeThis({ imageId: source.imageId });
    const added = state.entries.filter((entry) => entry.id !== finished.jobId);
    expect(added.map((entry) => entry.request.seed).sort((a, b) => a - b)).toEqual([0, 1, 2, 4_294_967_295]);
    for (const entry of added) expect(entry.request).toMatchObject({ prompt: 'a purple circle', settings: settings(2) });
    await expect(main.api.queue.moreLikeThis({ imageId: 'img-unknown' })).rejects.toThrow('No image with id "img-unknown" (it may have been deleted).');
    await main.api.queue.cancelAll();
  }, 60_000);
});
