import { describe, expect, it } from 'vitest';
import { PAGE_SIZE, reproductionNote } from '../../../renderer/src/store/gallery';
import { galleryItem, settle } from './fake-api';
import { lastNotice, studioWithFakeMain } from './helpers';

const library = (count: number) =>
  Array.from({ length: count }, (_, i) => galleryItem(`img${i}`, i % 2 ? `a blue square ${i}` : `a red circle ${i}`, count - i, i));

describe('gallery store', () => {
  it('loads a large library page by page as it scrolls', async () => {
    const { state, main } = await studioWithFakeMain((main) => {
      main.items = library(10_000);
    });
    expect(state().gallery.total).toBe(10_000);
    expect(Object.keys(state().gallery.pages)).toEqual(['0']);
    expect(state().gallery.itemAt(PAGE_SIZE * 30)).toBeUndefined();
    state().gallery.setVisibleRange(PAGE_SIZE * 30 - 5, PAGE_SIZE * 30 + 5);
    await settle();
    expect(state().gallery.itemAt(PAGE_SIZE * 30)?.id).toBe(`img${PAGE_SIZE * 30}`);
    expect(main.callsTo('gallery.list').length).toBe(3);
  });

  it('searches and filters favourites', async () => {
    const { state } = await studioWithFakeMain((main) => {
      main.items = library(10);
    });
    await state().gallery.setFavourite(state().gallery.itemAt(3)!, true);
    expect(state().gallery.itemAt(3)?.favourite).toBe(true);
    await state().gallery.setFavouritesOnly(true);
    expect(state().gallery.total).toBe(1);
    await state().gallery.setFavouritesOnly(false);
    state().gallery.setSearch('blue');
    await settle();
    expect(state().gallery.total).toBe(5);
  });

  it('deletes to the trash with an Undo that restores the images', async () => {
    const { state, main } = await studioWithFakeMain((main) => {
      main.items = library(5);
    });
    state().gallery.select(0, 'only');
    state().gallery.select(2, 'range');
    expect(state().gallery.selected).toEqual(['img0', 'img1', 'img2']);
    await state().gallery.trash(state().gallery.selected);
    expect(state().gallery.total).toBe(2);
    expect(state().gallery.selected).toEqual([]);
    const notice = state().workspace.notices.at(-1)!;
    expect(notice.message).toBe('Moved 3 images to the trash.');
    expect(notice.action?.label).toBe('Undo');
    await notice.action!.run();
    expect(main.callsTo('gallery.restore')).toEqual([{ ids: ['img0', 'img1', 'img2'] }]);
    expect(state().gallery.total).toBe(5);
    expect(state().workspace.notices.some((n) => n.action?.label === 'Undo')).toBe(false);
    expect(lastNotice(state())).toBe('3 images restored.');
  });

  it('toggles selection, copies the prompt and reuses the settings with the seed locked', async () => {
    const { state, copied } = await studioWithFakeMain((main) => {
      main.items = library(3);
    });
    state().gallery.select(0, 'toggle');
    state().gallery.select(1, 'toggle');
    state().gallery.select(0, 'toggle');
    expect(state().gallery.selected).toEqual(['img1']);
    const item = state().gallery.findItem('img1')!;
    await state().gallery.copyPrompt(item);
    expect(copied).toEqual(['a blue square 1']);
    await state().gallery.useSettings(item);
    expect(state().prompt.text).toBe('a blue square 1');
    expect(state().settings.state?.settings).toMatchObject({ seedMode: 'locked', lockedSeed: 1 });
  });

  it('"Use these settings" says what Generate will make: the run again, with this image at its rank; an edit is not remade', () => {
    const item = galleryItem('img3', 'a red circle', 1, 42);
    const third = { ...item, parameters: { ...item.parameters, rank: 2 } };
    expect(reproductionNote(third)).toBe('Prompt, settings and seed 42 are ready: Generate makes this run of 4 again, where this image is candidate #3.');
    expect(reproductionNote({ ...item, parameters: { ...item.parameters, rank: 0 } })).toMatch(/where this image is the best\.$/);
    expect(reproductionNote({ ...item, parameters: { ...item.parameters, kind: 'edit' } })).toMatch(/this image is an edit: Generate makes a new image from its prompt, not this one\.$/);
  });

  it('refreshes when main says the library changed', async () => {
    const { state, main } = await studioWithFakeMain();
    expect(state().gallery.total).toBe(0);
    main.items = library(2);
    main.galleryChanged.emit({ reason: 'added', ids: ['img0', 'img1'] });
    await settle();
    expect(state().gallery.total).toBe(2);
  });
});
