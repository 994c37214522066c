import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../../main/common/contract';
import { galleryItem, PIXEL_PNG, parametersFor, settle } from './fake-api';
import { lastNotice, studioWithFakeMain } from './helpers';

const candidate = (index: number, score: number): Candidate => ({
  index,
  imageId: `img-${index}`,
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

  it('streams previews, shows candidates best first, and curates them: favourite, trash with undo', async () => {
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

    main.items = [galleryItem('img-2', 'a red circle', 2), galleryItem('img-0', 'a red circle', 1)];
    await state().generation.favouriteSelected();
    expect(main.callsTo('gallery.setFavourite')).toEqual([{ id: 'img-2', favourite: true }]);
    expect(state().generation.job?.favourites).toEqual(['img-2']);
    await state().generation.favouriteSelected();
    expect(main.callsTo('gallery.setFavourite')).toHaveLength(1);

    state().generation.selectAll();
    await state().generation.trashSelected();
    expect(main.callsTo('gallery.trash')).toEqual([{ ids: ['img-2', 'img-0'] }]);
    main.galleryChanged.emit({ reason: 'trashed', ids: ['img-2', 'img-0'] });
    expect(state().generation.job).toMatchObject({ trashed: ['img-2', 'img-0'], selected: [] });
    await state().gallery.undoTrash();
    main.galleryChanged.emit({ reason: 'restored', ids: ['img-2', 'img-0'] });
    expect(state().generation.job?.trashed).toEqual([]);
  });

  it('shows the prompt in History as soon as the run starts', async () => {
    const { state, main } = await studioWithFakeMain();
    state().prompt.setText('a red circle');
    const start = main.api.generation.start;
    (main.api.generation as { start: typeof start }).start = async (input) => {
      main.prompts.push({ id: 1, text: input.prompt, settings: input.settings, lastUsedAt: 1, count: 1, pinned: false });
      return start(input);
    };
    await state().generation.generate();
    await settle();
    expect(state().prompt.history.map((entry) => entry.text)).toEqual(['a red circle']);
  });

  it('reattaches to the run main holds: progress, previews, then its result', async () => {
    const { state, main } = await studioWithFakeMain((main) => {
      main.currentRun = {
        jobId: 'job9',
        kind: 'generate',
        prompt: 'a blue square',
        seed: 5,
        candidateCount: 2,
        progress: { jobId: 'job9', step: 30, totalSteps: 64, etaMs: 500, previews: [PIXEL_PNG] },
        finished: null,
      };
    });
    expect(state().generation.job).toMatchObject({ jobId: 'job9', status: 'running', step: 30, previews: [PIXEL_PNG], prompt: 'a blue square' });
    main.finished.emit({ jobId: 'job9', outcome: 'done', candidates: [candidate(1, 3)], unknownWords: [], elapsedMs: 5 });
    expect(state().generation.job).toMatchObject({ status: 'done', selected: [1] });
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

  it('says which words the model ignored, and closes the panel only when the run is over', async () => {
    const { state, main } = await studioWithFakeMain();
    state().prompt.setText('a red circle');
    await state().generation.generate();
    state().generation.close();
    expect(state().generation.job).not.toBeNull();
    main.finished.emit({ jobId: 'job1', outcome: 'done', candidates: [candidate(0, 1)], unknownWords: ['zebra'], elapsedMs: 1 });
    expect(lastNotice(state())).toMatch(/does not know “zebra”, so it ignored it\./);
    state().generation.close();
    expect(state().generation.job).toBeNull();
  });
});
