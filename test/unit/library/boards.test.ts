import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Library, type LibraryImage } from '../../../main/library/index';
import { parametersFor, pngWith, readTestParameters } from './png-fixture';

let dataDir: string;
let library: Library;
const open = () => Library.open({ dataDir, readParameters: readTestParameters });
const everything = { offset: 0, limit: 100, search: '', favouritesOnly: false };
const listed = (query: Partial<typeof everything> & { boardId?: string; modelId?: string; from?: number; to?: number }) =>
  library.images.list({ ...everything, ...query }).items.map((image) => image.parameters.prompt);

/** Four images a second apart, the first the oldest; the last one made by another model. */
function addFour(): LibraryImage[] {
  return library.images.add(
    ['a red circle', 'a blue square', 'a green star', 'a red square'].map((prompt, i) => {
      const parameters = { ...parametersFor(prompt, 10 + i), ...(i === 3 ? { modelId: 'other-model' } : {}) };
      return { png: pngWith(parameters), parameters, provider: 'cpu', createdAt: 1_000_000 + i * 1000 };
    }),
  );
}

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parti-boards-'));
  library = open();
});
afterEach(() => {
  library.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('boards', () => {
  test('are listed by name with their image counts, and found by name in any case', () => {
    const cats = library.boards.create('cats');
    library.boards.create('Birds');
    expect(library.boards.list().map((board) => [board.name, board.images])).toEqual([['Birds', 0], ['cats', 0]]);
    expect(library.boards.named('CATS')?.id).toBe(cats.id);
    library.boards.rename(cats.id, 'Cats and dogs');
    expect(library.boards.named('cats and DOGS')).toMatchObject({ id: cats.id, name: 'Cats and dogs' });
  });

  test('a name differing only in case, non-ASCII letters too, is refused by the schema itself', () => {
    library.boards.create('Äpfel');
    expect(() => library.boards.create('äPFEL')).toThrow(/UNIQUE/);
    expect(library.boards.named('ÄPFEL')?.name).toBe('Äpfel');
  });

  test('hold any number of images; an image in any number of boards; the gallery filters by board', () => {
    const [circle, square, star] = addFour();
    const first = library.boards.create('first');
    const second = library.boards.create('second');
    library.boards.addImages(first.id, [circle!.id, square!.id]);
    library.boards.addImages(first.id, [circle!.id]); // already there: stays once
    library.boards.addImages(second.id, [circle!.id, star!.id]);
    expect(library.boards.list().map((board) => board.images)).toEqual([2, 2]);
    expect(listed({ boardId: first.id })).toEqual(['a blue square', 'a red circle']);
    expect(listed({ boardId: second.id })).toEqual(['a green star', 'a red circle']);
    library.boards.removeImages(first.id, [circle!.id]);
    expect(listed({ boardId: first.id })).toEqual(['a blue square']);
    expect(listed({ boardId: second.id })).toContain('a red circle');
  });

  test('move takes images out of one board and into the other in one transaction', () => {
    const [circle, square] = addFour();
    const from = library.boards.create('from');
    const to = library.boards.create('to');
    library.boards.addImages(from.id, [circle!.id, square!.id]);
    library.boards.moveImages(from.id, to.id, [circle!.id]);
    expect(listed({ boardId: from.id })).toEqual(['a blue square']);
    expect(listed({ boardId: to.id })).toEqual(['a red circle']);
    // A failure halfway (here: the target board is gone) leaves both boards as they were.
    expect(() => library.boards.moveImages(from.id, 'no-such-board', [square!.id])).toThrow(/FOREIGN KEY/);
    expect(listed({ boardId: from.id })).toEqual(['a blue square']);
  });

  test('trashed images leave the listings and counts while trashed and come back on restore', () => {
    const [circle, square] = addFour();
    const board = library.boards.create('b');
    library.boards.addImages(board.id, [circle!.id, square!.id]);
    library.images.trash([circle!.id]);
    expect(listed({ boardId: board.id })).toEqual(['a blue square']);
    expect(library.boards.get(board.id)?.images).toBe(1);
    expect(library.images.ids({ ...everything, boardId: board.id })).toEqual([square!.id]);
    library.images.restore([circle!.id]);
    expect(listed({ boardId: board.id })).toEqual(['a blue square', 'a red circle']);
    expect(library.boards.get(board.id)?.images).toBe(2);
  });

  test('removing a board keeps its images and answers with every member, the trashed too', () => {
    const [circle, square] = addFour();
    const board = library.boards.create('b');
    library.boards.addImages(board.id, [circle!.id, square!.id]);
    library.images.trash([square!.id]);
    expect(library.boards.remove(board.id).sort()).toEqual([circle!.id, square!.id].sort());
    expect(library.boards.list()).toEqual([]);
    expect(library.images.counts()).toMatchObject({ images: 3, trashed: 1 });
  });

  test('10,000 images join a board in one call', () => {
    // Rows only: writing 10,000 files durably would time the disk, not the board.
    const ids = Array.from({ length: 10_000 }, (_, i) => `many-${i}`);
    library.images.insertRows(
      ids.map((id, i) => ({ id, file: `${id}.png`, parameters: parametersFor(`image ${i}`, i), provider: 'cpu', sourceId: null, runId: id, createdAt: i, trashedAt: null })),
    );
    const board = library.boards.create('all');
    library.boards.addImages(board.id, ids);
    expect(library.boards.get(board.id)?.images).toBe(10_000);
    expect(library.images.unknown([ids[0]!, 'nope', ids[9_999]!])).toEqual(['nope']);
  });

  test('a library from before boards is migrated and keeps its images', () => {
    const [circle] = addFour();
    library.close();
    const db = new Database(path.join(dataDir, 'library.db'));
    db.exec('DROP TABLE board_images; DROP TABLE boards; PRAGMA user_version = 4;');
    db.close();
    library = open();
    const board = library.boards.create('after the update');
    library.boards.addImages(board.id, [circle!.id]);
    expect(listed({ boardId: board.id })).toEqual(['a red circle']);
  });
});

describe('gallery filters', () => {
  test('by model, by date range (both ends inclusive), with search and board together', () => {
    const [circle, square, star] = addFour();
    expect(listed({ modelId: 'other-model' })).toEqual(['a red square']);
    expect(listed({ from: square!.createdAt, to: star!.createdAt })).toEqual(['a green star', 'a blue square']);
    expect(listed({ to: circle!.createdAt })).toEqual(['a red circle']);
    const board = library.boards.create('b');
    library.boards.addImages(board.id, [circle!.id, square!.id, star!.id]);
    expect(listed({ boardId: board.id, search: 'red' })).toEqual(['a red circle']);
    expect(listed({ boardId: board.id, search: '12' })).toEqual(['a green star']); // its seed
    expect(library.images.models()).toEqual([
      { modelId: 'test-model', images: 3 },
      { modelId: 'other-model', images: 1 },
    ]);
  });
});
