import { describe, expect, it, vi } from 'vitest';
import { Engine } from '../../../main/engine/index';
import type { GenerationProgress } from '../../../main/common/contract';
import { lastNotice, studioWithMain, until } from './helpers';

describe('generation store', () => {
  it('asks for a prompt before generating', async () => {
    const { state, main } = await studioWithMain();
    await state().generation.generate();
    expect(main.callsTo('generation.start')).toHaveLength(0);
    expect(lastNotice(state())).toMatch(/Write a prompt/);
  });

  it('streams previews, shows candidates best first and keeps the chosen ones', async () => {
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

    state().generation.selectAll();
    await state().generation.keepSelected();
    expect(main.callsTo('generation.keep')).toEqual([{ jobId: state().generation.job!.jobId, indices: candidates.map((c) => c.index) }]);
    expect(state().generation.job?.kept).toEqual(candidates.map((c) => c.index));
    expect(state().gallery.total).toBe(2);

    await state().generation.keepSelected();
    expect(main.callsTo('generation.keep')).toHaveLength(1);
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

  it('lets main forget candidates that were discarded or replaced', async () => {
    const { state, main } = await studioWithMain();
    await state().settings.update({ sampling: { candidates: 1 } });
    state().prompt.setText('a red zebra');
    await state().generation.generate();
    await until(() => state().generation.job?.status === 'done');
    expect(lastNotice(state())).toMatch(/does not know “zebra”, so it ignored it\./);
    const first = state().generation.job!.jobId!;
    await state().generation.generate();
    await until(() => main.callsTo('generation.discard').length === 1);
    expect(main.callsTo('generation.discard')).toEqual([{ jobId: first }]);
    await until(() => state().generation.job?.status === 'done');
    const second = state().generation.job!.jobId!;
    await state().generation.discard();
    expect(state().generation.job).toBeNull();
    expect(main.callsTo('generation.discard')).toEqual([{ jobId: first }, { jobId: second }]);
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
