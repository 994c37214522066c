import { describe, expect, it } from 'vitest';
import type { MaskAction } from '../../../renderer/src/lib/mask';
import { galleryItem, settle } from './fake-api';
import { lastNotice, studioWithFakeMain } from './helpers';

const stroke = (x: number, y: number): MaskAction => ({ kind: 'stroke', tool: 'brush', size: 1, points: [{ x, y }] });
const png = (name: string) => ({ name, type: 'image/png', bytes: new Uint8Array([137, 80, 78, 71]) });

describe('editor store', () => {
  it('opens a gallery image with its prompt and tracks the cells to regenerate', async () => {
    const { state } = await studioWithFakeMain();
    state().editor.openImage(galleryItem('img1', 'a red circle', 1));
    expect(state().workspace.view).toBe('editor');
    expect(state().prompt.text).toBe('a red circle');
    state().editor.addAction(stroke(1, 1));
    state().editor.addAction(stroke(63, 63));
    await settle();
    expect(state().editor.cells).toEqual([0, 63]);
    state().editor.undo();
    await settle();
    expect(state().editor.cells).toEqual([0]);
    state().editor.redo();
    await settle();
    expect(state().editor.cells).toEqual([0, 63]);
    state().editor.invert();
    await settle();
    // The exact complement: every cell but the two painted ones.
    expect(state().editor.cells).toHaveLength(62);
    expect(state().editor.cells).not.toContain(0);
    expect(state().editor.cells).not.toContain(63);
    state().editor.clear();
    await settle();
    expect(state().editor.cells).toEqual([]);
    state().editor.undo();
    await settle();
    expect(state().editor.cells).toHaveLength(62);
  });

  it('marks and clears single cells from the keyboard, undoably', async () => {
    const { state } = await studioWithFakeMain();
    state().editor.openImage(galleryItem('img1', 'a red circle', 1));
    state().editor.toggleCell(9);
    await settle();
    expect(state().editor.cells).toEqual([9]);
    state().editor.toggleCell(10);
    await settle();
    expect(state().editor.cells).toEqual([9, 10]);
    state().editor.toggleCell(9);
    await settle();
    expect(state().editor.cells).toEqual([10]);
    state().editor.undo();
    await settle();
    expect(state().editor.cells).toEqual([9, 10]);
  });

  it('keeps the brush size within bounds with [ and ]', async () => {
    const { state } = await studioWithFakeMain();
    state().editor.setBrushSize(2);
    state().editor.resizeBrush(-1);
    state().editor.resizeBrush(-1);
    expect(state().editor.brushSize).toBe(1);
    state().editor.setBrushSize(40);
    expect(state().editor.brushSize).toBe(32);
  });

  it('refuses a dropped image over the size limit before sending it, saying the limit', async () => {
    const { state, main } = await studioWithFakeMain();
    await state().editor.openDroppedFile({ name: 'poster.png', type: 'image/png', bytes: new Uint8Array(72 * 1024 * 1024) });
    expect(lastNotice(state())).toBe('“poster.png” is 72 MB; the studio opens images of up to 64 MB.');
    expect(main.callsTo('files.importImage')).toEqual([]);
    expect(state().workspace.view).toBe('studio');
  });

  it('regenerates the painted cells of the source with the prompt box', async () => {
    const { state, main } = await studioWithFakeMain();
    state().editor.openImage(galleryItem('img1', 'a red circle', 1));
    await state().editor.regenerate();
    expect(lastNotice(state())).toMatch(/Paint over the part/);
    state().editor.addAction(stroke(4, 4));
    state().prompt.setText('a blue circle');
    await state().editor.regenerate();
    const [request] = main.callsTo('edit.regenerate') as { source: unknown; prompt: string; mask: { width: number; data: Uint8Array } }[];
    expect(request).toMatchObject({ source: { kind: 'image', id: 'img1' }, prompt: 'a blue circle', mask: { width: 64, height: 64 } });
    expect(request!.mask.data[4 * 64 + 4]).toBe(1);
    expect(state().generation.job).toMatchObject({ kind: 'edit', status: 'running' });
  });

  it('opens dropped images, offers the settings of its own PNGs and explains other files', async () => {
    const { state } = await studioWithFakeMain();
    await state().editor.openDroppedFile({ name: 'notes.txt', type: 'text/plain', bytes: new Uint8Array([1]) });
    expect(lastNotice(state())).toBe('“notes.txt” is not an image the studio can open. Drop a PNG, JPEG or WebP file.');
    expect(state().workspace.view).toBe('studio');

    await state().editor.openDroppedFile(png('photo.broken.png'));
    expect(lastNotice(state())).toBe('Could not open “photo.broken.png”: the file is not a valid PNG');

    state().prompt.setText('my own words');
    await state().editor.openDroppedFile(png('photo.png'));
    expect(state().editor.source).toMatchObject({ kind: 'import', id: 'import1', title: 'photo.png' });
    expect(state().prompt.text).toBe('my own words');

    await state().editor.openDroppedFile(png('parti-a-red-circle.png'));
    expect(state().prompt.text).toBe('a red circle');
    const offer = state().workspace.notices.at(-1)!;
    expect(offer.action?.label).toBe('Use its settings');
    await offer.action!.run();
    expect(state().settings.state?.settings).toMatchObject({ seedMode: 'locked', lockedSeed: 42 });
  });
});
