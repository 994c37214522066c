import { describe, expect, it, vi } from 'vitest';
import { Engine } from '../../../main/engine/index';
import type { GenerationProgress } from '../../../main/common/contract';
import { createStudioStore, loadStudio } from '../../../renderer/src/store';
import { lastNotice, studioWithMain, testPlatform, until } from './helpers';

describe('generation store', () => {
  it('asks for a prompt before generating', async () => {
    const { state, main } = await studioWithMain();
    await state().generation.generate();
    expect(main.callsTo('generation.start')).toHaveLength(0);
    expect(lastNotice(state())).toMatch(/Write a prompt/);
  });

  it('streams previews, shows candidates best first, already saved as one run, and curates them: favourite, trash with undo', async () => {
    const { state, main, store } = await studioWithMain();
    await state().settings.update({ sampling: { candidates: 2 } });
    const seen: { tokensDone: number; previews: number }[] = [];
    store.subscribe((now) => {
      const job = now.generation.job;
      if (job?.status === 'running') seen.push({ tokensDone: job.tokensDone, previews: job.previews.length });
    });
    state().prompt.setText('  a red circle ');
    await state().generation.generate();
    const { sampling } = state().settings.state!.settings;
    expect(main.callsTo('generation.start')).toEqual([{ prompt: 'a red circle', settings: sampling, seed: null }]);
    expect(state().generation.job).toMatchObject({ status: 'running', candidateCount: 2 });

    await until(() => state().generation.job?.status === 'done');
    expect(seen.some((step) => step.tokensDone > 0 && step.previews === 2)).toBe(true);
    const { candidates, selected } = state().generation.job!;
    expect(candidates).toHaveLength(2);
    expect(candidates.map((c) => c.parameters.rank)).toEqual([0, 1]);
    expect(candidates[0]!.score).toBeGreaterThanOrEqual(candidates[1]!.score);
    expect(selected).toEqual([candidates[0]!.index]);

    // Nobody pressed anything: main saved the whole run.
    await until(() => state().gallery.total === 2);
    const [best, second] = candidates.map((c) => c.imageId);
    expect([state().gallery.itemAt(0)?.id, state().gallery.itemAt(1)?.id]).toEqual([best, second]);

    await state().generation.favouriteSelected();
    expect(main.callsTo('gallery.setFavourite')).toEqual([{ id: best, favourite: true }]);
    expect(state().generation.job?.favourites).toEqual([best]);
    await state().generation.favouriteSelected();
    expect(main.callsTo('gallery.setFavourite')).toHaveLength(1);

    state().generation.selectAll();
    await state().generation.trashSelected();
    expect(main.callsTo('gallery.trash')).toEqual([{ ids: [best, second] }]);
    await until(() => state().generation.job?.trashed.length === 2);
    expect(state().generation.job?.selected).toEqual([]);
    await until(() => state().gallery.total === 0);
    await state().gallery.undoTrash();
    await until(() => state().generation.job?.trashed.length === 0 && state().gallery.total === 2);
  });

  it('shows the prompt in History as soon as the run starts, not only after it', async () => {
    const { state } = await studioWithMain();
    await state().settings.update({ sampling: { candidates: 1 } });
    state().prompt.setText('a green cross');
    await state().generation.generate();
    await until(() => state().prompt.history.some((entry) => entry.text === 'a green cross'));
    expect(state().generation.job?.status).toBe('running');
    await until(() => state().generation.job?.status === 'done');
  });

  it('a second window (or a reloaded page) reattaches to the run in progress and sees it finish', async () => {
    const { state, main } = await studioWithMain();
    await state().settings.update({ sampling: { candidates: 2 } });
    state().prompt.setText('a blue square');
    await state().generation.generate();
    await until(() => (state().generation.job?.previews.length ?? 0) > 0);
    const other = createStudioStore({ api: main.api, platform: testPlatform().platform });
    await loadStudio(other);
    const job = state().generation.job!;
    expect(other.getState().generation.job).toMatchObject({ jobId: job.jobId, status: 'running', prompt: 'a blue square', candidateCount: 2 });
    expect(other.getState().generation.job!.previews.length).toBeGreaterThan(0);
    await until(() => other.getState().generation.job?.status === 'done' && state().generation.job?.status === 'done');
    expect(other.getState().generation.job!.candidates.map((c) => c.imageId)).toEqual(state().generation.job!.candidates.map((c) => c.imageId));
  });

  it('uses the locked seed, and applies events that overtake the start answer', async () => {
    let overtaken: Promise<GenerationProgress> | null = null;
    const { state, main } = await studioWithMain({
      // The start answer is held back until main's first progress event has been delivered.
      beforeAnswer: async (name) => void (name === 'generation.start' && (await overtaken)),
    });
    await state().settings.update({ seedMode: 'locked', lockedSeed: 77, sampling: { candidates: 1 } });
    state().prompt.setText('a blue square');
    overtaken = main.nextEvent<GenerationProgress>('generation.progress');
    await state().generation.generate();
    expect(main.callsTo('generation.start')[0]).toMatchObject({ seed: 77 });
    const first = await overtaken;
    expect(state().generation.job).toMatchObject({ jobId: first.jobId, seed: 77 });
    expect(state().generation.job!.tokensDone).toBeGreaterThanOrEqual(first.tokensDone);
    await until(() => state().generation.job?.status === 'done');
  });

  it('cancels a running job and reports failures', async () => {
    const { state, main } = await studioWithMain();
    state().prompt.setText('a red circle');
    await state().generation.generate();
    expect(state().generation.isBusy()).toBe(true);
    await state().generation.cancel();
    expect(main.callsTo('generation.cancel')).toEqual([{ jobId: state().generation.job!.jobId }]);
    await until(() => state().generation.job?.status === 'cancelled');
    expect(state().generation.isBusy()).toBe(false);

    // A failure inside the engine (here injected) reaches the screen through main's own events.
    vi.spyOn(Engine.prototype, 'generate').mockRejectedValueOnce(new Error('out of memory'));
    await state().generation.generate();
    await until(() => state().generation.job?.status === 'failed');
    expect(state().generation.job).toMatchObject({ error: 'out of memory' });
    expect(lastNotice(state())).toBe('Generation failed: out of memory');
  });

  it('says which words the model ignored, and closes the panel only once the run is over', async () => {
    const { state } = await studioWithMain();
    await state().settings.update({ sampling: { candidates: 1 } });
    state().prompt.setText('a red zebra');
    await state().generation.generate();
    state().generation.close();
    expect(state().generation.job).not.toBeNull();
    await until(() => state().generation.job?.status === 'done');
    expect(lastNotice(state())).toMatch(/does not know “zebra”, so it ignored it\./);
    state().generation.close();
    expect(state().generation.job).toBeNull();
    expect(state().gallery.total).toBe(1);
  });

  it('sends the negative prompt with the run, and Use these settings brings it back', async () => {
    const { state, main } = await studioWithMain();
    await state().settings.update({ sampling: { candidates: 1, guidance: 3 } });
    state().prompt.setText('a red circle');
    state().prompt.setNegativePrompt('  a blue square ');
    await state().generation.generate();
    expect(main.callsTo('generation.start')[0]).toMatchObject({ prompt: 'a red circle', negativePrompt: 'a blue square' });
    await until(() => state().generation.job?.status === 'done');
    const [candidate] = state().generation.job!.candidates;
    expect(candidate!.parameters.negativePrompt).toBe('a blue square');

    state().prompt.setNegativePrompt('');
    await state().prompt.useParameters(candidate!.parameters);
    expect(state().prompt.negativePrompt).toBe('a blue square');
    state().prompt.setNegativePrompt('');
    await state().generation.generate();
    expect(main.callsTo('generation.start')[1]).not.toHaveProperty('negativePrompt');
  });
});
