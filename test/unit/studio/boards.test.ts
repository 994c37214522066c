/** Boards through the contract, on the real studio: bad inputs refused in one line, exports whole. */
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, test } from 'vitest';
import { parametersIn } from '../../../main/studio/imports';
import { openInProcessStudio, type InProcessStudio } from '../in-process-studio';
import { addImages, parametersFor } from '../renderer/helpers';

const PROMPTS = ['a red circle', 'a blue square', 'a green star'];
const exportOptions = { format: 'png', scale: 1, resample: 'nearest', nameTemplate: '{prompt}' } as const;

let main: InProcessStudio | undefined;
afterEach(async () => {
  await main?.close();
  main = undefined;
});

async function studioWithImages(host: 'electron' | 'bridge' = 'bridge') {
  let ids: string[] = [];
  main = await openInProcessStudio({ host, seed: (dataDir) => (ids = addImages(dataDir, PROMPTS)) });
  return { api: main.api, ids, main };
}

describe('boards through the contract', () => {
  test('create, add, move, remove and rename, each telling every window', async () => {
    const { api, ids, main } = await studioWithImages();
    const changed = main.nextEvent<{ boards: { name: string }[] }>('boards.changed');
    const { created: birds } = await api.boards.create({ name: '  Birds  ' });
    expect(birds.name).toBe('Birds'); // trimmed
    expect((await changed).boards.map((board) => board.name)).toEqual(['Birds']);
    const { created: cats } = await api.boards.create({ name: 'cats' });
    await api.boards.addImages({ boardId: birds.id, ids: [ids[0]!, ids[1]!] });
    const moved = await api.boards.moveImages({ fromBoardId: birds.id, toBoardId: cats.id, ids: [ids[1]!] });
    expect(moved.boards.map((board) => [board.name, board.images])).toEqual([['Birds', 1], ['cats', 1]]);
    const inCats = await api.gallery.list({ boardId: cats.id });
    expect(inCats.items.map((item) => item.parameters.prompt)).toEqual(['a blue square']);
    await api.boards.rename({ boardId: cats.id, name: 'Cats' }); // its own name in another case is fine
    const removed = await api.boards.remove({ boardId: cats.id });
    expect(removed.imageIds).toEqual([ids[1]]);
    expect(removed.boards.map((board) => board.name)).toEqual(['Birds']);
    expect((await api.gallery.list()).total).toBe(3); // its images stay in the gallery
  });

  test('bad names, unknown boards and images, and too many ids are refused in one line, changing nothing', async () => {
    const { api, ids } = await studioWithImages();
    const { created: board } = await api.boards.create({ name: 'Birds' });
    await expect(api.boards.create({ name: '   ' })).rejects.toThrow('boards.create: invalid request: name: a board needs a name');
    await expect(api.boards.create({ name: 'x'.repeat(81) })).rejects.toThrow('name: a board name is at most 80 characters');
    await expect(api.boards.create({ name: 'BIRDS' })).rejects.toThrow('There is already a board named "Birds": pick another name.');
    const { created: other } = await api.boards.create({ name: 'Other' });
    await expect(api.boards.rename({ boardId: other.id, name: 'birds' })).rejects.toThrow('There is already a board named "Birds"');
    await expect(api.boards.addImages({ boardId: 'no-such-board', ids })).rejects.toThrow('No board with id "no-such-board" (it may have been deleted).');
    await expect(api.gallery.list({ boardId: 'no-such-board' })).rejects.toThrow('No board with id "no-such-board"');
    await expect(api.boards.addImages({ boardId: board.id, ids: [ids[0]!, 'gone-1', 'gone-2'] })).rejects.toThrow(
      'No image with id "gone-1" and 1 more (they may have been deleted); nothing was changed.',
    );
    await expect(api.boards.addImages({ boardId: board.id, ids: Array.from({ length: 10_001 }, (_, i) => `id-${i}`) })).rejects.toThrow(
      'ids: at most 10,000 images at a time',
    );
    await expect(api.boards.addImages({ boardId: board.id, ids: [] })).rejects.toThrow('ids: no image selected');
    await expect(api.boards.moveImages({ fromBoardId: board.id, toBoardId: board.id, ids })).rejects.toThrow('already in that board');
    await expect(api.gallery.list({ from: 2000, to: 1000 })).rejects.toThrow('to: the date range ends before it starts');
    expect((await api.boards.list()).boards.map((b) => [b.name, b.images])).toEqual([['Birds', 0], ['Other', 0]]);
  });

  test('the gallery lists the models its images were made by', async () => {
    const { api } = await studioWithImages();
    expect(await api.gallery.models()).toEqual({ models: [{ modelId: parametersFor('x', 0).modelId, images: 3 }] });
  });
});

describe('exporting a board', () => {
  test('the bridge gets one zip holding every image of the board, its PNG parameters intact', async () => {
    const { api, ids } = await studioWithImages('bridge');
    const { created: board } = await api.boards.create({ name: 'My board: best/worst' });
    await api.boards.addImages({ boardId: board.id, ids: [ids[0]!, ids[2]!] });
    const result = await api.export.board({ boardId: board.id, options: exportOptions });
    if (result.kind !== 'download') throw new Error(`expected a download, got ${result.kind}`);
    expect(result.files.map((file) => [file.fileName, file.mimeType])).toEqual([['My board_ best_worst.zip', 'application/zip']]);
    const entries = unzipSync(result.files[0]!.bytes);
    expect(Object.keys(entries).sort()).toEqual(['a green star.png', 'a red circle.png']);
    expect(parametersIn(entries['a red circle.png']!)).toMatchObject({ prompt: 'a red circle', seed: 0 });
    expect(parametersIn(entries['a green star.png']!)).toMatchObject({ prompt: 'a green star', seed: 2 });
  });

  test('Electron writes a new folder named after the board; an empty board says so', async () => {
    const { api, ids, main } = await studioWithImages('electron');
    const { created: board } = await api.boards.create({ name: 'Keepers' });
    await api.boards.addImages({ boardId: board.id, ids: [ids[1]!] });
    const result = await api.export.board({ boardId: board.id, options: exportOptions });
    expect(result).toEqual({ kind: 'saved', paths: [path.join(main.exportDir, 'Keepers', 'a blue square.png')] });
    expect(parametersIn(fs.readFileSync(path.join(main.exportDir, 'Keepers', 'a blue square.png')))).toMatchObject({ prompt: 'a blue square' });
    await api.gallery.trash({ ids: [ids[1]!] });
    await expect(api.export.board({ boardId: board.id, options: exportOptions })).rejects.toThrow(
      'The board "Keepers" holds no images out of the trash: nothing to export.',
    );
  });
});
