/**
 * A full disk, a read-only data folder and one spread over two devices, produced for real:
 * a small tmpfs filled to the last byte, remounted read-only, or mounted over tmp/ (so the
 * rename into images/ crosses devices). SQLite's own "database or disk is full" comes from
 * `PRAGMA max_page_count`, which needs no mount. Every failure must read as one sentence,
 * leave no file without a row, no row without a file and no temp file, and the next start
 * must open the library with everything the user had.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { GenerationFinished } from '../../../main/common/contract';
import { Library } from '../../../main/library/index';
import { writeExportsToFolder } from '../../../main/studio/export';
import { generateOnce, openInProcessStudio, type InProcessStudio } from '../in-process-studio';
import { bindReadOnly, canMount, fillDisk, mountTmpfs, unmount } from './mounts';
import { parametersFor, pngWith, readTestParameters } from './png-fixture';

const everything = { offset: 0, limit: 100, search: '', favouritesOnly: false };
const newImage = (prompt: string, seed: number) => {
  const parameters = { ...parametersFor(`${prompt} ${'and more words '.repeat(20)}`, seed) };
  return { png: pngWith(parameters), parameters, provider: 'cpu' };
};
const files = (dir: string) => fs.readdirSync(dir).sort();

let work: string;
beforeEach(() => void (work = fs.mkdtempSync(path.join(os.tmpdir(), 'parti-storage-'))));
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

test('SQLite full during a save ("database or disk is full"): one sentence, no file without a row, and the library reopens whole', () => {
  const dataDir = path.join(work, 'data');
  let library = Library.open({ dataDir, readParameters: readTestParameters });
  try {
    const [kept] = library.images.add([newImage('kept', 1)]);
    const db = (library as unknown as { db: Database.Database }).db;
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    expect(() => library.images.add(Array.from({ length: 32 }, (_, i) => newImage('lost', i + 2)))).toThrow(
      `The disk holding the data folder ${dataDir} is full: free some space, then try again. Nothing was saved.`,
    );
    expect(files(path.join(dataDir, 'images'))).toEqual([`${kept!.id}.png`]);
    expect(files(path.join(dataDir, 'tmp'))).toEqual([]);
    library.close();
    library = Library.open({ dataDir, readParameters: readTestParameters });
    expect(library.startReport).toMatchObject({ reimported: 0, flaggedMissing: 0 });
    expect(library.images.list(everything).items.map((image) => image.id)).toEqual([kept!.id]);
    expect(library.integrityCheck()).toBe('ok');
  } finally {
    library.close();
  }
});

describe.skipIf(!canMount)('on a real tmpfs (root only)', () => {
  let mount: string;
  let dataDir: string;
  beforeEach(() => {
    mount = path.join(work, 'disk');
    mountTmpfs(mount, 4096);
    dataDir = path.join(mount, 'data');
  });
  afterEach(() => {
    for (const dir of [path.join(dataDir, 'tmp'), dataDir, mount]) {
      try {
        unmount(dir);
      } catch {
        // not mounted by this test
      }
    }
  });

  /** Runs `body` on a studio over `dataDir`, closing it whatever happens. */
  async function withStudio(body: (harness: InProcessStudio) => Promise<void>): Promise<void> {
    const harness = await openInProcessStudio({ dataDir });
    try {
      await body(harness);
    } finally {
      await harness.close();
    }
  }

  /** A run during which `during` happens (at its first progress event), and its outcome. */
  async function runWhile(harness: InProcessStudio, seed: number, during: () => void): Promise<GenerationFinished> {
    const stop = harness.api.generation.onProgress(() => {
      stop();
      during();
    });
    return (await generateOnce(harness, 'a red circle', seed)).finished;
  }

  test('a run that fills the disk is not saved, says so in one sentence, leaves no file behind; the next start opens the library on the full disk', { timeout: 60_000 }, async () => {
    let filler = '';
    await withStudio(async (harness) => {
      expect((await generateOnce(harness, 'a blue square', 1)).finished.outcome).toBe('done');
      const before = files(path.join(dataDir, 'images'));
      const failed = await runWhile(harness, 2, () => void (filler = fillDisk(mount)));
      expect(failed).toMatchObject({
        outcome: 'failed',
        error: `The disk holding the data folder ${dataDir} is full: free some space, then run it again with seed 2 for the same images. Nothing was saved from this run.`,
      });
      expect(files(path.join(dataDir, 'images'))).toEqual(before);
      expect(files(path.join(dataDir, 'tmp'))).toEqual([]);
      // Other writes say the same, not "database or disk is full".
      const [first] = (await harness.api.gallery.list(everything)).items;
      await expect(harness.api.gallery.setFavourite({ id: first!.id, favourite: true })).rejects.toThrow(
        `The disk holding the data folder ${dataDir} is full: free some space, then try again. Nothing was changed.`,
      );
      await harness.restart(); // the disk still full
      expect((await harness.api.gallery.list(everything)).total).toBe(before.length);
      fs.rmSync(filler);
      expect((await generateOnce(harness, 'a red circle', 2)).finished.outcome).toBe('done');
      expect((await harness.api.gallery.list(everything)).total).toBe(before.length + 2);
    });
  });

  test('files without rows found at a start on a full disk stay where they are, and are added at the next start with room', () => {
    let library = Library.open({ dataDir, readParameters: readTestParameters });
    library.images.add([newImage('kept', 1)]);
    library.close();
    for (let i = 0; i < 4; i++) fs.writeFileSync(path.join(dataDir, 'images', `orphan-${i}.png`), pngWith(parametersFor('orphan', i + 10)));
    const filler = fillDisk(mount);
    library = Library.open({ dataDir, readParameters: readTestParameters });
    expect(library.startReport).toMatchObject({ reimported: 0, reimportsDeferred: 4 });
    expect(library.images.list(everything).total).toBe(1);
    expect(files(path.join(dataDir, 'images'))).toHaveLength(5);
    library.close();
    fs.rmSync(filler);
    library = Library.open({ dataDir, readParameters: readTestParameters });
    expect(library.startReport).toMatchObject({ reimported: 4, reimportsDeferred: 0 });
    expect(library.images.list(everything).total).toBe(5);
    expect(library.integrityCheck()).toBe('ok');
    library.close();
  });

  test('a data folder made read-only: writes are refused in one sentence, a start is refused naming the folder, and all is there once it is writable', { timeout: 60_000 }, async () => {
    const readOnly = `The data folder ${dataDir} cannot be written to (it is read-only or not yours): make it writable, or use another folder`;
    let saved: string[] = [];
    await withStudio(async (harness) => {
      expect((await generateOnce(harness, 'a blue square', 1)).finished.outcome).toBe('done');
      saved = (await harness.api.gallery.list(everything)).items.map((image) => image.id);
      bindReadOnly(dataDir);
      await expect(harness.api.gallery.trash({ ids: saved })).rejects.toThrow(`${readOnly}, then try again. The images stay in the gallery.`);
      expect((await generateOnce(harness, 'a red circle', 2)).finished).toMatchObject({
        outcome: 'failed',
        error: `${readOnly}, then run it again with seed 2 for the same images. Nothing was saved from this run.`,
      });
      expect((await harness.api.gallery.list(everything)).items.map((image) => image.id)).toEqual(saved);
    });
    expect(() => Library.open({ dataDir, readParameters: readTestParameters })).toThrow(`${readOnly}, then try again. The library was not opened.`);
    unmount(dataDir);
    const library = Library.open({ dataDir, readParameters: readTestParameters });
    expect(library.images.list(everything).items.map((image) => image.id)).toEqual(saved);
    expect(library.startReport).toMatchObject({ flaggedMissing: 0, movedBack: 0, reimported: 0 });
    library.close();
  });

  test('tmp/ on another device than images/ (EXDEV): the run is not saved, says why in one sentence, and leaves no temp file', { timeout: 60_000 }, async () => {
    Library.open({ dataDir, readParameters: readTestParameters }).close(); // creates the folders
    mountTmpfs(path.join(dataDir, 'tmp'), 1024);
    await withStudio(async (harness) => {
      const { finished } = await generateOnce(harness, 'a red circle', 3);
      expect(finished).toMatchObject({
        outcome: 'failed',
        error: `The data folder ${dataDir} is spread over more than one disk, so files cannot be moved into place: keep the whole folder on one disk, then run it again with seed 3 for the same images. Nothing was saved from this run.`,
      });
      expect(files(path.join(dataDir, 'tmp'))).toEqual([]);
      expect(files(path.join(dataDir, 'images'))).toEqual([]);
    });
  });

  test('an export to a folder on a full disk writes nothing, not even part of a file, and says so in one sentence', () => {
    const folder = path.join(mount, 'exports');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'theirs.png'), 'a file of the user');
    fillDisk(mount);
    const exports = ['one', 'two'].map((baseName) => ({ baseName, extension: '.png', mimeType: 'image/png', bytes: new Uint8Array(256 * 1024).fill(7) }));
    expect(() => writeExportsToFolder(folder, exports)).toThrow(`The disk holding the folder ${folder} is full: free some space, then try again. No image was exported.`);
    expect(files(folder)).toEqual(['theirs.png']);
  });
});
