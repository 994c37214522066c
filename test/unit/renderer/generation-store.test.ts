import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../../main/common/contract';
import { PIXEL_PNG, parametersFor, settle } from './fake-api';
import { lastNotice, studioWithFakeMain } from './helpers';

const candidate = (index: number, score: number): Candidate => ({
  index,
  score,
  image: PIXEL_PNG,
  parameters: parametersFor('a red circle', 1234),
});

describe('generation store', () => {
  it('asks for a prompt before generating', async () => {
    const { state, main } = await studioWithFakeMain();
    await state().generation.generate();
    expect(main.callsTo('generation.start')).toHaveLength(0);
    expect(lastNotice(state())).toMatch(/Write a prompt/);
  });

  it('streams previews, shows candidates best first and keeps the chosen ones', async () => {
    const { state, main } = await studioWithFakeMain();
    state().prompt.setText('  a red circle ');
    await state().generation.generate();
    expect(main.callsTo('generation.start')).toEqual([
      { prompt: 'a red circle', settings: main.settings.settings.sampling, seed: null },
    ]);
    expect(state().generation.job).toMatchObject({ jobId: 'job1', seed: 1234, status: 'running', candidateCount: 4 });

    main.progress.emit({ jobId: 'job1', step: 16, totalSteps: 64, etaMs: 900, previews: [PIXEL_PNG, PIXEL_PNG] });
    main.progress.emit({ jobId: 'job1', step: 17, totalSteps: 64, etaMs: 850, previews: [] });
    main.progress.emit({ jobId: 'other', step: 60, totalSteps: 64, etaMs: 1, previews: [] });
    expect(state().generation.job).toMatchObject({ step: 17, etaMs: 850, previews: [PIXEL_PNG, PIXEL_PNG] });

    main.finished.emit({ jobId: 'job1', outcome: 'done', candidates: [candidate(2, 9), candidate(0, 5)], unknownWords: [], elapsedMs: 10 });
    expect(state().generation.job).toMatchObject({ status: 'done', selected: [2] });
    expect(state().generation.job?.candidates.map((c) => c.index)).toEqual([2, 0]);

    state().generation.selectAll();
    await state().generation.keepSelected();
    expect(main.callsTo('generation.keep')).toEqual([{ jobId: 'job1', indices: [2, 0] }]);
    expect(state().generation.job?.kept).toEqual([2, 0]);
    expect(state().gallery.total).toBe(2);

    await state().generation.keepSelected();
    expect(main.callsTo('generation.keep')).toHaveLength(1);
  });

  it('uses the locked seed, and applies events that overtake the start answer', async () => {
    const { state, main } = await studioWithFakeMain((main) => {
      main.settings.settings.seedMode = 'locked';
      main.settings.settings.lockedSeed = 77;
      const start = main.api.generation.start;
      (main.api.generation as { start: typeof start }).start = async (input) => {
        main.progress.emit({ jobId: 'job1', step: 3, totalSteps: 64, etaMs: null, previews: [PIXEL_PNG] });
        return start(input);
      };
    });
    state().prompt.setText('a blue square');
    await state().generation.generate();
    expect(main.callsTo('generation.start')[0]).toMatchObject({ seed: 77 });
    expect(state().generation.job).toMatchObject({ jobId: 'job1', step: 3, previews: [PIXEL_PNG] });
  });

  it('cancels a running job and reports failures', async () => {
    const { state, main } = await studioWithFakeMain();
    state().prompt.setText('a red circle');
    await state().generation.generate();
    expect(state().generation.isBusy()).toBe(true);
    await state().generation.cancel();
    expect(main.callsTo('generation.cancel')).toEqual([{ jobId: 'job1' }]);
    main.finished.emit({ jobId: 'job1', outcome: 'cancelled' });
    expect(state().generation.job?.status).toBe('cancelled');
    expect(state().generation.isBusy()).toBe(false);

    await state().generation.generate();
    main.finished.emit({ jobId: 'job2', outcome: 'failed', error: 'out of memory' });
    expect(state().generation.job).toMatchObject({ status: 'failed', error: 'out of memory' });
    expect(lastNotice(state())).toBe('Generation failed: out of memory');
  });

  it('lets main forget candidates that were discarded or replaced', async () => {
    const { state, main } = await studioWithFakeMain();
    state().prompt.setText('a red circle');
    await state().generation.generate();
    main.finished.emit({ jobId: 'job1', outcome: 'done', candidates: [candidate(0, 1)], unknownWords: ['zebra'], elapsedMs: 1 });
    expect(lastNotice(state())).toMatch(/does not know “zebra”, so it ignored it\./);
    await state().generation.generate();
    await settle();
    expect(main.callsTo('generation.discard')).toEqual([{ jobId: 'job1' }]);
    main.finished.emit({ jobId: 'job2', outcome: 'done', candidates: [candidate(0, 1)], unknownWords: [], elapsedMs: 1 });
    await state().generation.discard();
    expect(state().generation.job).toBeNull();
    expect(main.callsTo('generation.discard')).toEqual([{ jobId: 'job1' }, { jobId: 'job2' }]);
  });
});
