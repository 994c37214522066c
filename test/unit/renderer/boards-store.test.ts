import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { addImages, lastNotice, studioWithMain, until } from './helpers';

const PROMPTS = ['a red circle', 'a blue square', 'a green star'];
const options = { format: 'png', scale: 1, resample: 'nearest', nameTemplate: '{prompt}', quality: 92 } as const;
const localDay = (date: Date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

async function studioWithImages() {
  let ids: string[] = [];
  const studio = await studioWithMain({ seed: (dataDir) => void (ids = addImages(dataDir, PROMPTS)) });
  return { ...studio, ids };
}
const shownPrompts = (state: ReturnType<Awaited<ReturnType<typeof studioWithImages>>['state']>) =>
  Array.from({ length: state.gallery.total }, (_, i) => state.gallery.itemAt(i)?.parameters.prompt);
const runUndo = async (state: { workspace: { notices: { action: { run(): unknown } | null }[] } }) => {
  await state.workspace.notices.at(-1)?.action?.run();
};

describe('boards store', () => {
  it('makes a board, adds images to it, and filters the gallery by it', async () => {
    const { state, ids } = await studioWithImages();
    const board = (await state().boards.create('Favourite shapes'))!;
    expect(state().boards.boards.map((b) => b.name)).toEqual(['Favourite shapes']);
    await state().boards.addImages(board, [ids[0]!, ids[2]!]);
    expect(lastNotice(state())).toBe('Added 2 images to "Favourite shapes".');
    await state().gallery.showBoard(board.id);
    expect(shownPrompts(state())).toEqual(['a red circle', 'a green star']);
    expect(state().boards.current()?.images).toBe(2);
    await state().gallery.showBoard(null);
    expect(state().gallery.total).toBe(3);
  });

  it('a refused name is reported and nothing is made', async () => {
    const { state } = await studioWithImages();
    await state().boards.create('Keep');
    expect(await state().boards.create('KEEP')).toBeUndefined();
    expect(lastNotice(state())).toBe('Could not make the board: There is already a board named "Keep": pick another name.');
    expect(state().boards.boards).toHaveLength(1);
  });

  it('moves images between boards and removes them from one, each with Undo', async () => {
    const { state, ids } = await studioWithImages();
    const first = (await state().boards.create('first'))!;
    const second = (await state().boards.create('second'))!;
    await state().boards.addImages(first, ids);
    await state().gallery.showBoard(first.id);
    await state().boards.moveImages(second, [ids[1]!]);
    expect(lastNotice(state())).toBe('Moved 1 image from "first" to "second".');
    await until(() => state().gallery.total === 2);
    expect(state().boards.boards.map((b) => b.images)).toEqual([2, 1]);
    await runUndo(state());
    expect(state().boards.boards.map((b) => b.images)).toEqual([3, 0]);
    await state().boards.removeImages([ids[0]!]);
    expect(state().boards.boards.map((b) => b.images)).toEqual([2, 0]);
    await runUndo(state());
    expect(state().boards.boards.map((b) => b.images)).toEqual([3, 0]);
  });

  it('deleting the shown board shows all images again; Undo brings it back with its images', async () => {
    const { state, ids } = await studioWithImages();
    const board = (await state().boards.create('Doomed'))!;
    await state().boards.addImages(board, [ids[0]!, ids[1]!]);
    await state().gallery.showBoard(board.id);
    await state().boards.remove(board);
    expect(state().boards.boards).toEqual([]);
    expect(state().gallery.boardId).toBeNull();
    expect(lastNotice(state())).toBe('Deleted the board "Doomed"; its images stay in the gallery.');
    await until(() => state().gallery.total === 3);
    await runUndo(state());
    expect(state().boards.boards.map((b) => [b.name, b.images])).toEqual([['Doomed', 2]]);
  });

  it('filters by model and by a date range of local days', async () => {
    const { state } = await studioWithImages();
    expect(state().gallery.models).toEqual([{ modelId: 'tiny-test', images: 3 }]);
    await state().gallery.setModelFilter('some-other-model');
    expect(state().gallery.total).toBe(0);
    await state().gallery.setModelFilter('tiny-test');
    expect(state().gallery.total).toBe(3);
    const today = new Date();
    const tomorrow = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1);
    await state().gallery.setDateRange(localDay(tomorrow), '');
    expect(state().gallery.total).toBe(0);
    await state().gallery.setDateRange(localDay(today), localDay(today));
    expect(state().gallery.total).toBe(3);
    expect(state().gallery.isFiltered()).toBe(true);
  });

  it('exports a board in the browser as one zip download of all its images', async () => {
    const { state, ids, downloads, main } = await studioWithImages();
    const board = (await state().boards.create('Zip me'))!;
    await state().boards.addImages(board, ids);
    state().exporting.openBoardDialog(state().boards.boards[0]!);
    await state().exporting.run(options);
    expect(main.callsTo('export.board')).toEqual([{ boardId: board.id, options }]);
    expect(downloads.map((file) => file.fileName)).toEqual(['Zip me.zip']);
    const entries = unzipSync((downloads[0] as unknown as { bytes: Uint8Array }).bytes);
    expect(Object.keys(entries).sort()).toEqual(PROMPTS.map((prompt) => `${prompt}.png`).sort());
    expect(state().exporting.dialogBoard).toBeNull();
  });

  it('an empty board is not offered for export', async () => {
    const { state } = await studioWithImages();
    const board = (await state().boards.create('Empty'))!;
    state().exporting.openBoardDialog(board);
    expect(state().exporting.dialogBoard).toBeNull();
    expect(lastNotice(state())).toBe('The board "Empty" is empty: add images to it first.');
  });
});
