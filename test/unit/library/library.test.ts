import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { dataDirFromArgs, Library, readDataLocation, writeDataLocation } from '../../../main/library/index';
import { parametersFor, pngWith, readTestParameters } from './png-fixture';

let dataDir: string;
let library: Library;
const open = () => Library.open({ dataDir, readParameters: readTestParameters });
const image = (prompt: string, seed = 1, sourceId: string | null = null) => {
  const parameters = { ...parametersFor(prompt, seed), ...(sourceId === null ? {} : { sourceId }) };
  return { png: pngWith(parameters), parameters, provider: 'cpu' };
};
const everything = { offset: 0, limit: 100, search: '', favouritesOnly: false };

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parti-library-'));
  library = open();
});
afterEach(() => {
  library.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('images', () => {
  test('are saved as files and rows, newest first, with lineage', () => {
    const [first] = library.images.add([image('a red circle', 1, null)]);
    const [edit] = library.images.add([{ ...image('a red circle', 2, first!.id), createdAt: first!.createdAt + 1 }]);
    expect(fs.existsSync(library.images.filePath(edit!.id)!)).toBe(true);
    const page = library.images.list(everything);
    expect(page.total).toBe(2);
    expect(page.items.map((i) => i.id)).toEqual([edit!.id, first!.id]);
    expect(page.items[0]).toMatchObject({ parameters: { sourceId: first!.id, seed: 2 }, provider: 'cpu', missing: false, favourite: false });
  });

  test('search needs every word, whole and in any order, and favourites filter', () => {
    const [red, blue, redSquare] = library.images.add([image('a red circle'), image('a blue square'), image('100% red_square'), image('a bored circle')]);
    library.images.setFavourite(blue!.id, true);
    const found = (search: string) => library.images.list({ ...everything, search }).items.map((i) => i.id).sort();
    expect(found('circle RED')).toEqual([red!.id]);
    expect(found('red')).toEqual([red!.id, redSquare!.id].sort()); // "red_square" reads "red square"; "bored" is not "red"
    expect(found('SQUARE, red')).toEqual([redSquare!.id]);
    expect(found('squ')).toEqual([]); // whole words only
    expect(found('100')).toEqual([redSquare!.id]); // a number is a prompt word too, not only a seed
    expect(library.images.list({ ...everything, search: '%' }).total).toBe(4); // no words: nothing to narrow by
    expect(library.images.list({ ...everything, favouritesOnly: true }).items.map((i) => i.id)).toEqual([blue!.id]);
  });

  test('pages with offset and limit', () => {
    library.images.add(Array.from({ length: 7 }, (_, i) => ({ ...image(`p${i}`, i), createdAt: 1000 + i })));
    const page = library.images.list({ ...everything, offset: 5, limit: 5 });
    expect(page.total).toBe(7);
    expect(page.items.map((i) => i.parameters.prompt)).toEqual(['p1', 'p0']);
  });

  test('trash moves the file and hides the image; restore undoes it', () => {
    const [item] = library.images.add([image('a red circle')]);
    const file = library.images.filePath(item!.id)!;
    expect(library.images.trash([item!.id, 'unknown-id'])).toEqual([item!.id]);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(library.images.filePath(item!.id)!)).toBe(true);
    expect(library.images.list(everything).total).toBe(0);
    expect(library.images.counts()).toMatchObject({ images: 0, trashed: 1 });
    expect(library.images.restore([item!.id])).toEqual([item!.id]);
    expect(library.images.filePath(item!.id)).toBe(file);
    expect(library.images.list(everything).total).toBe(1);
  });
});

describe('runs', () => {
  test('a run lists together, best first, newest run first; a number finds the seed', () => {
    const run = (prompt: string, seed: number, runId: string, createdAt: number) =>
      [1, 0, 2].map((rank) => ({ ...image(prompt, seed), parameters: { ...parametersFor(prompt, seed), rank }, runId, createdAt }));
    library.images.add([...run('a red circle', 41, 'run-old', 1000), ...run('a blue square', 42, 'run-new', 2000)]);
    const listed = library.images.list(everything).items;
    expect(listed.map((i) => [i.runId, i.parameters.rank])).toEqual([
      ['run-new', 0], ['run-new', 1], ['run-new', 2], ['run-old', 0], ['run-old', 1], ['run-old', 2],
    ]);
    expect(library.images.list({ ...everything, search: '41' }).items.map((i) => i.runId)).toEqual(['run-old', 'run-old', 'run-old']);
    expect(library.images.list({ ...everything, search: 'blue 42' }).total).toBe(3);
    expect(library.images.list({ ...everything, search: '43' }).total).toBe(0);
  });

  test('a library written before runs were grouped is migrated: each image a run of one, its rank kept', () => {
    const [only] = library.images.add([{ ...image('a red circle'), parameters: { ...parametersFor('a red circle', 1), rank: 2 } }]);
    library.close();
    // Back to schema 1, as an older Parti Studio wrote it (without the later migrations' columns and tables).
    const db = new Database(path.join(dataDir, 'library.db'));
    db.exec('DROP TABLE board_images; DROP TABLE boards; DROP TABLE queue; DROP INDEX images_by_run; ALTER TABLE images DROP COLUMN run_id; ALTER TABLE images DROP COLUMN rank; ALTER TABLE images DROP COLUMN timings; PRAGMA user_version = 1;');
    db.close();
    library = open();
    expect(library.images.get(only!.id)).toMatchObject({ runId: only!.id, parameters: { rank: 2 } });
    library.images.add([{ ...image('a blue square'), runId: 'run-2' }]);
    expect(library.images.list(everything).items.map((i) => i.runId)).toEqual(['run-2', only!.id]);
  });
});

describe('reconcile on start', () => {
  test('re-imports files without rows, flags rows without files, keeps foreign files aside', () => {
    const [kept, lost] = library.images.add([image('kept'), image('lost')]);
    library.close();
    fs.rmSync(path.join(dataDir, 'images', `${lost!.id}.png`));
    fs.writeFileSync(path.join(dataDir, 'images', 'copied in.png'), pngWith(parametersFor('orphan', 9)));
    fs.writeFileSync(path.join(dataDir, 'images', 'notes.txt'), 'not an image');
    fs.writeFileSync(path.join(dataDir, 'tmp', 'half-written.png.tmp'), 'partial');
    library = open();

    expect(library.startReport).toMatchObject({ reimported: 1, flaggedMissing: 1, unrecognised: 1, removedTempFiles: 1 });
    const items = library.images.list(everything).items;
    expect(items.find((i) => i.id === lost!.id)?.missing).toBe(true);
    expect(items.find((i) => i.id === kept!.id)?.missing).toBe(false);
    const orphan = items.find((i) => i.parameters.prompt === 'orphan')!;
    expect(orphan).toMatchObject({ parameters: { seed: 9 }, provider: 'unknown' });
    expect(fs.existsSync(library.images.filePath(orphan.id)!)).toBe(true);
    expect(fs.readdirSync(path.join(dataDir, 'unrecognised'))).toEqual(['notes.txt']);
  });

  test('a missing file that comes back is unflagged', () => {
    const [item] = library.images.add([image('back')]);
    const file = library.images.filePath(item!.id)!;
    const away = path.join(dataDir, 'away.png'); // outside images/, so not re-imported
    library.close();
    fs.renameSync(file, away);
    library = open();
    expect(library.images.get(item!.id)?.missing).toBe(true);
    library.close();
    fs.renameSync(away, file);
    library = open();
    expect(library.images.get(item!.id)?.missing).toBe(false);
  });

  test('a file moved to the trash whose row never committed goes back', () => {
    const [item] = library.images.add([image('interrupted')]);
    library.close();
    fs.renameSync(path.join(dataDir, 'images', `${item!.id}.png`), path.join(dataDir, 'trash', `${item!.id}.png`));
    library = open();
    expect(library.startReport.movedBack).toBe(1);
    expect(library.images.list(everything).items.map((i) => i.id)).toEqual([item!.id]);
  });
});

describe('prompt history', () => {
  const settings = parametersFor('', 0).settings;

  test('counts uses, keeps the last settings, pinned first then most recent', () => {
    const first = library.prompts.record('  a red circle ', settings, 1000);
    library.prompts.record('a blue square', settings, 2000);
    const again = library.prompts.record('a red circle', { ...settings, guidance: 5 }, 3000);
    expect(again).toMatchObject({ id: first.id, text: 'a red circle', count: 2, lastUsedAt: 3000 });
    expect(again.settings.guidance).toBe(5);
    const square = library.prompts.list({ search: '', limit: 10 })[1]!;
    library.prompts.pin(square.id, true);
    expect(library.prompts.list({ search: '', limit: 10 }).map((p) => p.text)).toEqual(['a blue square', 'a red circle']);
    expect(library.prompts.list({ search: 'circle', limit: 10 }).map((p) => p.text)).toEqual(['a red circle']);
    expect(library.prompts.pin(9999, true)).toBeUndefined();
  });
});

test('settings persist across opens', () => {
  library.settings.set('app', { a: 1 });
  library.close();
  library = open();
  expect(library.settings.get('app')).toEqual({ a: 1 });
  expect(library.settings.get('absent')).toBeUndefined();
  expect(library.integrityCheck()).toBe('ok');
});

test('the data folder comes from --data-dir or a remembered location', () => {
  expect(dataDirFromArgs(['--data-dir', 'rel'])).toBe(path.resolve('rel'));
  expect(dataDirFromArgs(['--data-dir=/x/y'])).toBe('/x/y');
  expect(dataDirFromArgs([])).toBeUndefined();
  expect(() => dataDirFromArgs(['--data-dir'])).toThrow('--data-dir needs a value');
  const config = path.join(dataDir, 'config');
  expect(readDataLocation(config)).toBeNull();
  writeDataLocation(config, '/elsewhere/library');
  expect(readDataLocation(config)).toBe('/elsewhere/library');
  fs.writeFileSync(path.join(config, 'data-location.json'), '{broken');
  expect(readDataLocation(config)).toBeNull();
});

describe('SQLite addon', () => {
  test('a given build of better-sqlite3 is the one loaded (how Electron gets its own ABI)', () => {
    library.close();
    const nodeBuild = path.join(process.cwd(), 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    library = Library.open({ dataDir, readParameters: readTestParameters, sqliteBinding: nodeBuild });
    expect(library.integrityCheck()).toBe('ok');
    library.close();
    const missing = path.join(dataDir, 'no-such-addon.node');
    expect(() => Library.open({ dataDir, readParameters: readTestParameters, sqliteBinding: missing })).toThrow(/no-such-addon/);
    library = open(); // a failed open released the folder's lock
  });
});
