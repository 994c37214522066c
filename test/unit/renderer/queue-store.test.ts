import { describe, expect, it } from 'vitest';
import { createStudioStore, loadStudio } from '../../../renderer/src/store';
import { lastNotice, studioWithMain, testPlatform, until } from './helpers';

type Harness = Awaited<ReturnType<typeof studioWithMain>>;

const lineOf = (state: ReturnType<Harness['state']>) => state.queue.state!.entries.map((entry) => `${entry.request.prompt}:${entry.status}`);

/** Generates each prompt from the prompt box, the first one slow enough for the others to queue behind it. */
async function generateAll({ state }: Harness, prompts: string[]): Promise<void> {
  await state().settings.update({ sampling: { candidates: 16 } });
  for (const prompt of prompts) {
    state().prompt.setText(prompt);
    await state().generation.generate();
  }
}

describe('queue store', () => {
  it('generating while a run is going queues the run; it takes the candidates panel when its turn comes and ends in the gallery', async () => {
    const harness = await studioWithMain();
    const { state, main } = harness;
    await generateAll(harness, ['a red circle', 'a blue square']);
    expect(main.callsTo('generation.start')).toHaveLength(2);
    expect(lastNotice(state())).toBe('Added to the queue: “a blue square” runs once the runs before it are done.');
    expect(state().generation.job?.prompt).toBe('a red circle');
    await until(() => lineOf(state()).join() === 'a red circle:running,a blue square:waiting');

    await until(() => state().generation.job?.prompt === 'a blue square' && state().generation.job?.status === 'done', 60_000);
    await until(() => lineOf(state()).join() === 'a blue square:done,a red circle:done');
    expect(state().queue.state!.entries.map((entry) => entry.progress)).toEqual([1, 1]);
    await until(() => state().gallery.total === 32);
  }, 90_000);

  it('follows the running run’s progress; moves a waiting run up and down, not past either end; cancels one, then all', async () => {
    const harness = await studioWithMain();
    const { state, main } = harness;
    await generateAll(harness, ['a red circle', 'a blue square', 'a green triangle']);
    await until(() => (state().queue.state?.entries.find((entry) => entry.status === 'running')?.progress ?? 0) > 0);
    const [, blue, green] = state().queue.state!.entries;
    await state().queue.moveBy(green!.id, -1);
    expect(main.callsTo('queue.move')).toEqual([{ id: green!.id, position: 0 }]);
    expect(lineOf(state())).toEqual(['a red circle:running', 'a green triangle:waiting', 'a blue square:waiting']);
    await state().queue.moveBy(green!.id, -1);
    await state().queue.moveBy(blue!.id, 1);
    expect(main.callsTo('queue.move')).toHaveLength(1);

    await state().queue.cancel(blue!.id);
    expect(lineOf(state())).toEqual(['a red circle:running', 'a green triangle:waiting', 'a blue square:cancelled']);
    await state().queue.cancel(blue!.id);
    expect(lastNotice(state())).toBe('Could not cancel the run: That run is already over (cancelled); there is nothing to cancel.');

    // A reloaded page finds the same line in main.
    const reloaded = createStudioStore({ api: main.api, platform: testPlatform().platform });
    await loadStudio(reloaded);
    expect(lineOf(reloaded.getState())).toEqual(lineOf(state()));
    expect(reloaded.getState().generation.job?.prompt).toBe('a red circle');

    await state().queue.cancelAll();
    await until(() => state().queue.state!.entries.every((entry) => entry.status === 'cancelled'));
  }, 90_000);

  it('an empty batch and a batch over the bound are refused before anything is sent; a batch queues one run a line', async () => {
    const { state, main } = await studioWithMain();
    state().queue.setBatchText('\n   \n');
    await state().queue.addBatch();
    expect(lastNotice(state())).toBe('The batch is empty: write one prompt a line.');
    const thousand = Array.from({ length: 1000 }, (_, i) => `a red circle ${i}`).join('\n');
    state().queue.setBatchText(thousand);
    await state().queue.addBatch();
    expect(lastNotice(state())).toBe('A batch holds at most 100 prompts; this one has 1000.');
    expect(state().queue.batchText).toBe(thousand);
    expect(main.callsTo('queue.addBatch')).toEqual([]);

    await state().settings.update({ sampling: { candidates: 1 } });
    state().queue.setBatchText('a red circle\n\n  a blue square \r\na green triangle\n');
    await state().queue.addBatch();
    const { sampling } = state().settings.state!.settings;
    expect(main.callsTo('queue.addBatch')).toEqual([{ prompts: ['a red circle', 'a blue square', 'a green triangle'], settings: sampling, seed: null }]);
    expect(state().queue.batchText).toBe('');
    expect(lastNotice(state())).toBe('Queued 3 runs, one per line, with the current settings.');
    await until(() => state().queue.state!.entries.filter((entry) => entry.status === 'done').length === 3, 60_000);
  }, 90_000);

  it('“4 more like this” on a run queues its next four seeds and says which', async () => {
    const { state, main } = await studioWithMain();
    await state().settings.update({ sampling: { candidates: 1 }, seedMode: 'locked', lockedSeed: 41 });
    state().prompt.setText('a red circle');
    await state().generation.generate();
    await until(() => state().generation.job?.status === 'done');
    const best = state().generation.job!.candidates[0]!;
    await state().queue.moreLikeThis({ id: best.imageId, parameters: best.parameters });
    expect(main.callsTo('queue.moreLikeThis')).toEqual([{ imageId: best.imageId }]);
    expect(lastNotice(state())).toBe('Queued 4 more like “a red circle”: the same settings on the next seeds, 42, 43, 44, 45.');
    await until(() => state().queue.state!.entries.filter((entry) => entry.status === 'done').length === 5, 60_000);
    expect(state().queue.state!.entries.map((entry) => entry.request.seed).sort()).toEqual([41, 42, 43, 44, 45]);
  }, 90_000);
});
