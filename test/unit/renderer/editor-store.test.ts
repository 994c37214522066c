import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import type { MaskAction } from '../../../renderer/src/lib/mask';
import { createStudioStore, loadStudio } from '../../../renderer/src/store';
import { addImages, lastNotice, memoryStorage, parametersFor, pngFor, studioWithMain, testPlatform, until } from './helpers';

const stroke = (x: number, y: number): MaskAction => ({ kind: 'stroke', tool: 'brush', size: 1, points: [{ x, y }] });
const png = (name: string, bytes: Uint8Array) => ({ name, type: 'image/png', bytes: new Uint8Array(bytes) });

/** A store with one gallery image, "a red circle", opened in the editor. */
async function editingOneImage() {
  let ids: string[] = [];
  const studio = await studioWithMain({ seed: (dataDir) => void (ids = addImages(dataDir, ['a red circle'])) });
  studio.state().editor.openImage(studio.state().gallery.findItem(ids[0]!)!);
  return { ...studio, id: ids[0]! };
}

/** Waits for main's answer to the latest mask: the cells it will regenerate (or how many). */
const cellsBecome = (state: () => { editor: { cells: number[] } }, expected: number[] | number) =>
  until(() => (typeof expected === 'number' ? state().editor.cells.length === expected : JSON.stringify(state().editor.cells) === JSON.stringify(expected)));

describe('editor store', () => {
  it('opens a gallery image with its prompt and tracks the cells to regenerate', async () => {
    const { state } = await editingOneImage();
    expect(state().workspace.view).toBe('editor');
    expect(state().prompt.text).toBe('a red circle');
    state().editor.addAction(stroke(1, 1));
    state().editor.addAction(stroke(63, 63));
    await cellsBecome(state, [0, 63]);
    state().editor.undo();
    await cellsBecome(state, [0]);
    state().editor.redo();
    await cellsBecome(state, [0, 63]);
    state().editor.invert();
    await cellsBecome(state, 62);
    // The exact complement: every cell but the two painted ones.
    expect(state().editor.cells).not.toContain(0);
    expect(state().editor.cells).not.toContain(63);
    state().editor.clear();
    await cellsBecome(state, []);
    state().editor.undo();
    await cellsBecome(state, 62);
  });

  it('marks and clears single cells from the keyboard, undoably', async () => {
    const { state } = await editingOneImage();
    state().editor.toggleCell(9);
    await cellsBecome(state, [9]);
    state().editor.toggleCell(10);
    await cellsBecome(state, [9, 10]);
    state().editor.toggleCell(9);
    await cellsBecome(state, [10]);
    state().editor.undo();
    await cellsBecome(state, [9, 10]);
  });

  it('keeps the brush size within bounds with [ and ]', async () => {
    const { state } = await studioWithMain();
    state().editor.setBrushSize(2);
    state().editor.resizeBrush(-1);
    state().editor.resizeBrush(-1);
    expect(state().editor.brushSize).toBe(1);
    state().editor.setBrushSize(40);
    expect(state().editor.brushSize).toBe(32);
  });

  it('refuses a dropped image over the size limit before sending it, saying the limit', async () => {
    const { state, main } = await studioWithMain();
    await state().editor.openDroppedFile({ name: 'poster.png', type: 'image/png', bytes: new Uint8Array(72 * 1024 * 1024) });
    expect(lastNotice(state())).toBe('“poster.png” is 72 MB; the studio opens images of up to 64 MB.');
    expect(main.callsTo('files.importImage')).toEqual([]);
    expect(state().workspace.view).toBe('studio');
  });

  it('regenerates the painted cells of the source with the prompt box', async () => {
    const { state, main, id } = await editingOneImage();
    await state().editor.regenerate();
    expect(lastNotice(state())).toMatch(/Paint over the part/);
    state().editor.addAction(stroke(4, 4));
    state().prompt.setText('a blue circle');
    await state().editor.regenerate();
    const [request] = main.callsTo('edit.regenerate') as { source: unknown; prompt: string; mask: { width: number; data: Uint8Array } }[];
    expect(request).toMatchObject({ source: { kind: 'image', id }, prompt: 'a blue circle', mask: { width: 64, height: 64 } });
    expect(request!.mask.data[4 * 64 + 4]).toBe(1);
    expect(state().generation.job).toMatchObject({ kind: 'edit', status: 'running' });
    await until(() => state().generation.job?.status === 'done');
    expect(state().generation.job?.candidates[0]?.parameters).toMatchObject({ kind: 'edit', sourceId: id, prompt: 'a blue circle' });
  });

  it('opens dropped images, offers the settings of its own PNGs and explains other files', async () => {
    const { state } = await studioWithMain();
    await state().editor.openDroppedFile({ name: 'notes.txt', type: 'text/plain', bytes: new Uint8Array([1]) });
    expect(lastNotice(state())).toBe('“notes.txt” is not an image the studio can open. Drop a PNG, JPEG or WebP file.');
    expect(state().workspace.view).toBe('studio');

    await state().editor.openDroppedFile(png('photo.broken.png', new Uint8Array([137, 80, 78, 71])));
    expect(lastNotice(state())).toMatch(/^Could not open “photo.broken.png”: /);
    expect(state().workspace.view).toBe('studio');

    state().prompt.setText('my own words');
    const foreign = encode({ width: 32, height: 32, data: new Uint8Array(32 * 32 * 3).fill(90), channels: 3 });
    await state().editor.openDroppedFile(png('photo.png', foreign));
    expect(state().editor.source).toMatchObject({ kind: 'import', title: 'photo.png' });
    expect(state().prompt.text).toBe('my own words');

    await state().editor.openDroppedFile(png('made-here.png', pngFor(parametersFor('a red circle', 42))));
    expect(state().prompt.text).toBe('a red circle');
    const offer = state().workspace.notices.at(-1)!;
    expect(offer.action?.label).toBe('Use its settings');
    await offer.action!.run();
    expect(state().settings.state?.settings).toMatchObject({ seedMode: 'locked', lockedSeed: 42 });
  });

  it('the offer of a dropped file’s settings goes when another file is opened, or the editor closes', async () => {
    const { state } = await studioWithMain();
    const offers = () => state().workspace.notices.filter((notice) => notice.action?.label === 'Use its settings').map((notice) => notice.message);
    await state().editor.openDroppedFile(png('made-here.png', pngFor(parametersFor('a red circle', 42))));
    expect(offers()).toEqual(['“made-here.png” was made with Parti Studio.']);
    const foreign = encode({ width: 32, height: 32, data: new Uint8Array(32 * 32 * 3).fill(90), channels: 3 });
    await state().editor.openDroppedFile(png('photo.png', foreign));
    expect(offers()).toEqual([]);
    await state().editor.openDroppedFile(png('made-here.png', pngFor(parametersFor('a red circle', 42))));
    state().editor.close();
    expect(offers()).toEqual([]);
  });

  it('error notices do not stack up: a new error replaces the older one', async () => {
    const { state } = await studioWithMain();
    for (const name of ['a.txt', 'b.txt', 'c.txt']) await state().editor.openDroppedFile({ name, type: 'text/plain', bytes: new Uint8Array([1]) });
    expect(state().workspace.notices.filter((notice) => notice.tone === 'error').map((notice) => notice.message)).toEqual([
      '“c.txt” is not an image the studio can open. Drop a PNG, JPEG or WebP file.',
    ]);
  });
});

describe('a reload', () => {
  it('keeps the typed prompt draft and the editor with its mask', async () => {
    const session = memoryStorage();
    let ids: string[] = [];
    const { state, main } = await studioWithMain({ seed: (dataDir) => void (ids = addImages(dataDir, ['a red circle'])), session });
    state().editor.openImage(state().gallery.findItem(ids[0]!)!);
    state().editor.toggleCell(0);
    state().editor.toggleCell(9);
    state().prompt.setText('a blue squa');
    await until(() => state().editor.cells.length === 2);

    const reloaded = createStudioStore({ api: main.api, platform: { ...testPlatform().platform, session } });
    await loadStudio(reloaded);
    const editor = reloaded.getState().editor;
    expect(reloaded.getState().workspace.view).toBe('editor');
    expect(editor.source).toMatchObject({ kind: 'image', id: ids[0] });
    await until(() => reloaded.getState().editor.cells.length === 2);
    expect(reloaded.getState().editor.cells).toEqual([0, 9]);
    expect(reloaded.getState().prompt.text).toBe('a blue squa');

    // A closed editor stays closed; an open one reopens.
    const reload = async () => {
      const page = createStudioStore({ api: main.api, platform: { ...testPlatform().platform, session } });
      await loadStudio(page);
      return page.getState().workspace.view;
    };
    reloaded.getState().editor.close();
    expect(await reload()).toBe('studio');
    reloaded.getState().editor.openImage(reloaded.getState().gallery.findItem(ids[0]!)!);
    expect(await reload()).toBe('editor');
  });
});
