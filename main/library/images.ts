/**
 * Gallery images: PNG files under `images/` (or `trash/`) and their rows. A file is always
 * durable on disk before its row commits, so a crash can leave a file without a row (which
 * reconcile re-imports) but never a row without a file.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { GalleryFilter, GalleryItem, ImageParameters } from '../common/contract';
import { promptWords } from '../common/words';
import type { RunTimings } from '../common/run-timings';
import { fsyncDir, moveFileDurably, writeFileAtomic } from './atomic-file';
import type { LibraryPaths } from './paths';
import { asStorageError, dataFolderLabel } from './storage-errors';

/** A gallery item as the library knows it; IPC adds the URL the renderer loads it from. */
export type LibraryImage = Omit<GalleryItem, 'url'>;

export interface NewImage {
  /** The encoded PNG, parameters already embedded. */
  png: Uint8Array;
  parameters: ImageParameters;
  provider: string;
  /** The run it came from: candidates of one run share it. Defaults to the image's own id. */
  runId?: string;
  /** Defaults to now. */
  createdAt?: number;
  /** Defaults to a fresh id. */
  id?: string;
  /** How long its run took; absent for files that do not say. */
  timings?: RunTimings;
}

/** What `list` and `ids` select: the contract's gallery query, defaults filled in. */
export type ImageQuery = GalleryFilter;

/** What a new row holds; its file must already be durable on disk. */
export interface RowInput {
  id: string;
  file: string;
  parameters: ImageParameters;
  provider: string;
  sourceId: string | null;
  runId: string;
  createdAt: number;
  trashedAt: number | null;
  timings?: RunTimings;
}

interface ImageRow {
  id: string;
  file: string;
  prompt: string;
  seed: number;
  parameters: string;
  model_id: string;
  provider: string;
  created_at: number;
  favourite: number;
  trashed_at: number | null;
  missing: number;
  source_id: string | null;
  run_id: string;
  rank: number;
  timings: string | null;
}

/** What the inspector shows beside an image's own row: its run, its timings, and its lineage both ways. */
export interface ImageRecord {
  image: LibraryImage;
  trashed: boolean;
  /** How many images its run made (trashed ones included: ranks are fixed when the run is saved). */
  runSize: number;
  timings: RunTimings | null;
  /** Its run's other images, best first, out of the trash. */
  runMates: LibraryImage[];
  /** The image it was made from; undefined when it has none or that row is gone. */
  source?: { image: LibraryImage; trashed: boolean };
  /** True when it names a source the library no longer has. */
  sourceGone: boolean;
  /** Edits, variations and extensions made from it, oldest first. */
  derived: { image: LibraryImage; trashed: boolean }[];
}

/** Sortable by time, unique without coordination: `<ms in base 36>-<10 hex>`. */
export function newImageId(now = Date.now()): string {
  return `${now.toString(36).padStart(9, '0')}-${randomBytes(5).toString('hex')}`;
}

export const imageFileName = (id: string): string => `${id}.png`;

function toImage(row: ImageRow): LibraryImage {
  return {
    id: row.id,
    parameters: JSON.parse(row.parameters) as ImageParameters,
    provider: row.provider,
    createdAt: row.created_at,
    favourite: row.favourite === 1,
    runId: row.run_id,
    missing: row.missing === 1,
  };
}

const searchWords = (search: string): string[] => search.trim().toLowerCase().split(/\s+/).filter(Boolean);
const likePattern = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** `LIKE` conditions requiring every word of `search` in the prompt. */
export function promptSearch(search: string, column: string): { sql: string; params: string[] } {
  const words = searchWords(search);
  return {
    sql: words.map(() => ` AND lower(${column}) LIKE ? ESCAPE '\\'`).join(''),
    params: words.map(likePattern),
  };
}

/**
 * The prompt's words as the models read them, space-separated and space-padded, so that
 * `instr(prompt_words(prompt), ' red ')` finds the whole word "red" and not "bored".
 */
const PROMPT_WORDS_SQL_FUNCTION = 'prompt_words';
const paddedWords = (text: string): string => ` ${promptWords(text).map((word) => word.normalized).join(' ')} `;

/** Whole prompt words in any order; a number (a seed as tiles show it) also matches the image's seed. */
function imageSearch(search: string): { sql: string; params: (string | number)[] } {
  const words = promptWords(search).map((word) => word.normalized);
  const isSeed = (word: string) => /^\d{1,10}$/.test(word);
  const hasWord = `instr(${PROMPT_WORDS_SQL_FUNCTION}(prompt), ?) > 0`;
  return {
    sql: words.map((word) => (isSeed(word) ? ` AND (seed = ? OR ${hasWord})` : ` AND ${hasWord}`)).join(''),
    params: words.flatMap((word) => (isSeed(word) ? [Number(word), ` ${word} `] : [` ${word} `])),
  };
}

/** The `WHERE` clause of a gallery query: out of the trash, then every filter it sets. */
function imageFilter(query: ImageQuery): { where: string; params: (string | number)[] } {
  const conditions = ['trashed_at IS NULL'];
  const params: (string | number)[] = [];
  const require = (condition: string, ...values: (string | number)[]) => {
    conditions.push(condition);
    params.push(...values);
  };
  if (query.favouritesOnly) require('favourite = 1');
  if (query.boardId !== undefined) require('id IN (SELECT image_id FROM board_images WHERE board_id = ?)', query.boardId);
  if (query.modelId !== undefined) require('model_id = ?', query.modelId);
  if (query.from !== undefined) require('created_at >= ?', query.from);
  if (query.to !== undefined) require('created_at <= ?', query.to);
  const search = imageSearch(query.search);
  return { where: `WHERE ${conditions.join(' AND ')}${search.sql}`, params: [...params, ...search.params] };
}

const GALLERY_ORDER = 'ORDER BY created_at DESC, run_id DESC, rank ASC, id DESC';

export class ImageStore {
  constructor(
    private readonly db: Database.Database,
    private readonly paths: LibraryPaths,
  ) {
    db.function(PROMPT_WORDS_SQL_FUNCTION, { deterministic: true }, (prompt) => paddedWords(String(prompt)));
  }

  /**
   * Writes every file durably, then commits all rows in one transaction: all or nothing.
   * When a write or the commit fails (a full disk, a read-only folder), the files already
   * written are removed again, so no file is left without a row, then the error is rethrown.
   */
  add(images: readonly NewImage[]): LibraryImage[] {
    const now = Date.now();
    const rows: RowInput[] = [];
    try {
      for (const image of images) {
        const id = image.id ?? newImageId();
        const file = imageFileName(id);
        writeFileAtomic(path.join(this.paths.images, file), image.png, path.join(this.paths.tmp, `${file}.tmp`));
        const { parameters, provider } = image;
        rows.push({
          id,
          file,
          parameters,
          provider,
          sourceId: parameters.sourceId ?? null,
          runId: image.runId ?? id,
          createdAt: image.createdAt ?? now,
          trashedAt: null,
          ...(image.timings ? { timings: image.timings } : {}),
        });
      }
      this.insertRows(rows);
    } catch (error) {
      for (const row of rows) fs.rmSync(path.join(this.paths.images, row.file), { force: true });
      if (rows.length > 0) fsyncDir(this.paths.images);
      throw asStorageError(error, dataFolderLabel(this.paths.root), 'Nothing was saved.');
    }
    return rows.map(({ id }) => this.get(id)!);
  }

  /** Commits rows for files already durable on disk (`add`, and reconcile's re-imports). */
  insertRows(rows: readonly RowInput[]): void {
    const insert = this.db.prepare(
      `INSERT INTO images (id, file, prompt, seed, parameters, model_id, provider, created_at, favourite, trashed_at, missing, source_id, run_id, rank, timings)
       VALUES (@id, @file, @prompt, @seed, @parameters, @modelId, @provider, @createdAt, 0, @trashedAt, 0, @sourceId, @runId, @rank, @timings)`,
    );
    this.db.transaction(() => {
      for (const row of rows) {
        insert.run({
          ...row,
          prompt: row.parameters.prompt,
          seed: row.parameters.seed,
          parameters: JSON.stringify(row.parameters),
          modelId: row.parameters.modelId,
          rank: row.parameters.rank ?? 0,
          timings: row.timings ? JSON.stringify(row.timings) : null,
        });
      }
    })();
  }

  get(id: string): LibraryImage | undefined {
    const row = this.db.prepare('SELECT * FROM images WHERE id = ?').get(id) as ImageRow | undefined;
    return row && toImage(row);
  }

  inTrash(id: string): boolean {
    return (this.db.prepare('SELECT trashed_at FROM images WHERE id = ?').get(id) as { trashed_at: number | null } | undefined)?.trashed_at != null;
  }

  /** An image with its run and lineage (in the trash too); undefined for an unknown id. */
  record(id: string): ImageRecord | undefined {
    const row = this.db.prepare('SELECT * FROM images WHERE id = ?').get(id) as ImageRow | undefined;
    if (!row) return undefined;
    const linked = (other: ImageRow) => ({ image: toImage(other), trashed: other.trashed_at !== null });
    const runRows = this.db.prepare('SELECT * FROM images WHERE run_id = ? ORDER BY rank, id').all(row.run_id) as ImageRow[];
    const sourceRow = row.source_id === null ? undefined : (this.db.prepare('SELECT * FROM images WHERE id = ?').get(row.source_id) as ImageRow | undefined);
    const derivedRows = this.db.prepare('SELECT * FROM images WHERE source_id = ? ORDER BY created_at, rank, id').all(id) as ImageRow[];
    return {
      image: toImage(row),
      trashed: row.trashed_at !== null,
      runSize: runRows.length,
      timings: row.timings === null ? null : (JSON.parse(row.timings) as RunTimings),
      runMates: runRows.filter((mate) => mate.id !== id && mate.trashed_at === null).map(toImage),
      ...(sourceRow ? { source: linked(sourceRow) } : {}),
      sourceGone: row.source_id !== null && !sourceRow,
      derived: derivedRows.map(linked),
    };
  }

  /** Newest run first, each run best first, trash excluded; `total` counts every match. */
  list(query: ImageQuery): { items: LibraryImage[]; total: number } {
    const { where, params } = imageFilter(query);
    const total = (this.db.prepare(`SELECT count(*) AS n FROM images ${where}`).get(...params) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT * FROM images ${where} ${GALLERY_ORDER} LIMIT ? OFFSET ?`)
      .all(...params, query.limit, query.offset) as ImageRow[];
    return { items: rows.map(toImage), total };
  }

  /** Every match's id in gallery order, however many (`offset` and `limit` aside): what a board exports. */
  ids(query: Omit<ImageQuery, 'offset' | 'limit'>): string[] {
    const { where, params } = imageFilter({ ...query, offset: 0, limit: 0 });
    return (this.db.prepare(`SELECT id FROM images ${where} ${GALLERY_ORDER}`).pluck().all(...params) as string[]);
  }

  /** The ids among `ids` that name no image (in the trash or not). */
  unknown(ids: readonly string[]): string[] {
    const known = this.db.prepare('SELECT 1 FROM images WHERE id = ?').pluck();
    return ids.filter((id) => known.get(id) === undefined);
  }

  /** The models of the images out of the trash, most images first. */
  models(): { modelId: string; images: number }[] {
    return this.db
      .prepare('SELECT model_id AS modelId, count(*) AS images FROM images WHERE trashed_at IS NULL GROUP BY model_id ORDER BY images DESC, model_id')
      .all() as { modelId: string; images: number }[];
  }

  setFavourite(id: string, favourite: boolean): LibraryImage | undefined {
    this.db.prepare('UPDATE images SET favourite = ? WHERE id = ?').run(favourite ? 1 : 0, id);
    return this.get(id);
  }

  /** Moves images to the trash; returns the ids that were moved. */
  trash(ids: readonly string[]): string[] {
    return this.moveBetweenFolders(ids, true);
  }

  /** Brings trashed images back; returns the ids that were restored. */
  restore(ids: readonly string[]): string[] {
    return this.moveBetweenFolders(ids, false);
  }

  /**
   * Moves each file first, then commits the rows. A crash in between leaves files in the
   * folder their rows do not name; reconcile moves them back, so the operation simply
   * did not happen. A failure (a read-only folder, a full disk) moves them back at once.
   */
  private moveBetweenFolders(ids: readonly string[], toTrash: boolean): string[] {
    const select = this.db.prepare(
      `SELECT * FROM images WHERE id = ? AND trashed_at IS ${toTrash ? 'NULL' : 'NOT NULL'}`,
    );
    const rows = ids.map((id) => select.get(id) as ImageRow | undefined).filter((row) => row !== undefined);
    const [from, to] = toTrash ? [this.paths.images, this.paths.trash] : [this.paths.trash, this.paths.images];
    const moved: string[] = [];
    const update = this.db.prepare('UPDATE images SET trashed_at = ? WHERE id = ?');
    const now = Date.now();
    try {
      for (const row of rows) {
        if (row.missing) continue;
        moveFileDurably(path.join(from, row.file), path.join(to, row.file));
        moved.push(row.file);
      }
      this.db.transaction(() => {
        for (const row of rows) update.run(toTrash ? now : null, row.id);
      })();
    } catch (error) {
      for (const file of moved) moveFileDurably(path.join(to, file), path.join(from, file));
      throw asStorageError(error, dataFolderLabel(this.paths.root), `The images stay ${toTrash ? 'in the gallery' : 'in the trash'}.`);
    }
    return rows.map((row) => row.id);
  }

  /** The absolute path of an image's file (in the trash too); undefined for unknown or missing images. */
  filePath(id: string): string | undefined {
    const row = this.db.prepare('SELECT file, trashed_at, missing FROM images WHERE id = ?').get(id) as
      | Pick<ImageRow, 'file' | 'trashed_at' | 'missing'>
      | undefined;
    if (!row || row.missing) return undefined;
    return path.join(row.trashed_at === null ? this.paths.images : this.paths.trash, row.file);
  }

  readFile(id: string): Buffer | undefined {
    const file = this.filePath(id);
    return file === undefined ? undefined : fs.readFileSync(file);
  }

  counts(): { images: number; favourites: number; trashed: number; missing: number } {
    return this.db
      .prepare(
        `SELECT count(*) FILTER (WHERE trashed_at IS NULL) AS images,
                count(*) FILTER (WHERE trashed_at IS NULL AND favourite = 1) AS favourites,
                count(*) FILTER (WHERE trashed_at IS NOT NULL) AS trashed,
                count(*) FILTER (WHERE missing = 1) AS missing
         FROM images`,
      )
      .get() as { images: number; favourites: number; trashed: number; missing: number };
  }
}
