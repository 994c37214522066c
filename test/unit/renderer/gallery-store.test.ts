import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../../../renderer/src/store/gallery';
import { promptFor, seedLibrary } from '../../e2e/seed-library';
import { generateOnce } from '../in-process-studio';
import { addImages, lastNotice, studioWithMain, until } from './helpers';

const PROMPTS = ['a red circle', 'a blue square', 'a red square', 'a blue circle', 'a green cross'];

describe('gallery store', () => {
  it('loads a large library page by page as it scrolls', async () => {
    const { state, main } = await studioWithMain({ seed: (dataDir) => seedLibrary(dataDir, 10_000) });
    expect(state().gallery.total).toBe(10_000);
    expect(Object.keys(state().gallery.pages)).toEqual(['0']);
    const far = PAGE_SIZE * 30;
    expect(state().gallery.itemAt(far)).toBeUndefined();
    state().gallery.setVisibleRange(far - 5, far + 5);
    await until(() => state().gallery.itemAt(far) !== undefined);
    // Newest first: the seeded images' prompts count down from the last one.
    expect(state().gallery.itemAt(far)?.parameters.prompt).toBe(promptFor(10_000 - 1 - far));
    expect(main.callsTo('gallery.list').length).toBe(3);
  });

  it('searches and filters favourites', async () => {
    const { state } = await studioWithMain({ seed: (dataDir) => void addImages(dataDir, PROMPTS) });
    await state().gallery.setFavourite(state().gallery.itemAt(3)!, true);
    expect(state().gallery.itemAt(3)?.favourite).toBe(true);
    await state().gallery.setFavouritesOnly(true);
    expect(state().gallery.total).toBe(1);
    await state().gallery.setFavouritesOnly(false);
    state().gallery.setSearch('blue');
    await until(() => state().gallery.total === 2);
    expect([0, 1].map((i) => state().gallery.itemAt(i)?.parameters.prompt)).toEqual(['a blue square', 'a blue circle']);
  });

  it('deletes to the trash with an Undo that restores the images', async () => {
    let ids: string[] = [];
    const { state, main } = await studioWithMain({ seed: (dataDir) => void (ids = addImages(dataDir, PROMPTS)) });
    state().gallery.select(0, 'only');
    state().gallery.select(2, 'range');
    expect(state().gallery.selected).toEqual(ids.slice(0, 3));
    await state().gallery.trash(state().gallery.selected);
    expect(state().gallery.total).toBe(2);
    expect(state().gallery.selected).toEqual([]);
    const notice = state().workspace.notices.at(-1)!;
    expect(notice.message).toBe('Moved 3 images to the trash.');
    expect(notice.action?.label).toBe('Undo');
    await notice.action!.run();
    expect(main.callsTo('gallery.restore')).toEqual([{ ids: ids.slice(0, 3) }]);
    await until(() => state().gallery.total === 5);
    expect(state().workspace.notices.some((n) => n.action?.label === 'Undo')).toBe(false);
    expect(lastNotice(state())).toBe('3 images restored.');
  });

  it('toggles selection, copies the prompt and reuses the settings with the seed locked', async () => {
    let ids: string[] = [];
    const { state, copied } = await studioWithMain({ seed: (dataDir) => void (ids = addImages(dataDir, PROMPTS.slice(0, 3))) });
    state().gallery.select(0, 'toggle');
    state().gallery.select(1, 'toggle');
    state().gallery.select(0, 'toggle');
    expect(state().gallery.selected).toEqual([ids[1]]);
    const item = state().gallery.findItem(ids[1]!)!;
    await state().gallery.copyPrompt(item);
    expect(copied).toEqual(['a blue square']);
    await state().gallery.useSettings(item);
    expect(state().prompt.text).toBe('a blue square');
    expect(state().settings.state?.settings).toMatchObject({ seedMode: 'locked', lockedSeed: 1, sampling: item.parameters.settings });
  });

  it('copies an image with its parameters: main does it in Electron, the page elsewhere', async () => {
    let ids: string[] = [];
    const seed = (dataDir: string) => void (ids = addImages(dataDir, ['a red circle']));
    const inBrowser = await studioWithMain({ seed });
    await inBrowser.state().gallery.copyImage(inBrowser.state().gallery.findItem(ids[0]!)!);
    expect(inBrowser.copiedImages).toEqual([{ url: `/image/${ids[0]}`, text: expect.stringMatching(/^a red circle\nSampler: Parti autoregressive, CFG scale: 3, .*Seed: 0, Size: 64x64, Model: tiny-test$/) }]);
    expect(lastNotice(inBrowser.state())).toBe('Image copied, with its parameters.');

    const inElectron = await studioWithMain({ host: 'electron', seed });
    await inElectron.state().gallery.copyImage(inElectron.state().gallery.findItem(ids[0]!)!);
    expect(inElectron.copiedImages).toEqual([]);
    expect(inElectron.main.clipboard).toEqual([{ file: expect.stringContaining(ids[0]!), text: expect.stringMatching(/^a red circle\n/) }]);
  });

  it('refreshes when main says the library changed', async () => {
    const { state, main } = await studioWithMain();
    expect(state().gallery.total).toBe(0);
    // Another window generates and keeps two images.
    const { jobId, finished } = await generateOnce(main, 'a red circle', 3);
    if (finished.outcome !== 'done') throw new Error(finished.outcome);
    await main.api.generation.keep({ jobId, indices: finished.candidates.map((c) => c.index) });
    await until(() => state().gallery.total === 2);
  });
});
