/**
 * Start-up reconciliation, so the gallery and the disk never drift apart:
 * - leftover temp files of interrupted writes are removed (their rows never committed);
 * - a file in the other folder than its row says (trash/restore interrupted) is moved back;
 * - rows whose file is gone are flagged `missing` (and unflagged when it reappears);
 * - files without a row are re-imported from the parameters in their PNG chunks, or moved
 *   to `unrecognised/` when they carry none (never deleted).
 */
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { ImageParameters } from '../common/contract';
import { fsyncDir, moveFileDurably } from './atomic-file';
import { freeNameIn } from './file-names';
import { imageFileName, newImageId, type ImageStore } from './images';
import type { LibraryPaths } from './paths';
import { storageProblemOf } from './storage-errors';

/** Reads this app's parameters from a PNG's chunks; null when there are none. */
export type ParameterReader = (png: Uint8Array) => ImageParameters | null;

export interface ReconcileReport {
  removedTempFiles: number;
  movedBack: number;
  flaggedMissing: number;
  reimported: number;
  unrecognised: number;
  /** Files without a row left in place because the disk was full; the next start adds them. */
  reimportsDeferred: number;
}

const ID_FILE = /^([A-Za-z0-9_-]{1,64})\.png$/;
const REIMPORTED_PROVIDER = 'unknown';

const listFiles = (dir: string): Set<string> =>
  new Set(fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name));

export function reconcile(
  db: Database.Database,
  images: ImageStore,
  paths: LibraryPaths,
  readParameters: ParameterReader,
): ReconcileReport {
  const report: ReconcileReport = { removedTempFiles: 0, movedBack: 0, flaggedMissing: 0, reimported: 0, unrecognised: 0, reimportsDeferred: 0 };

  for (const name of listFiles(paths.tmp)) {
    fs.rmSync(path.join(paths.tmp, name), { force: true });
    report.removedTempFiles++;
  }

  const inImages = listFiles(paths.images);
  const inTrash = listFiles(paths.trash);
  const rows = db.prepare('SELECT id, file, trashed_at, missing FROM images').all() as {
    id: string;
    file: string;
    trashed_at: number | null;
    missing: number;
  }[];
  const setMissing = db.prepare('UPDATE images SET missing = ? WHERE id = ?');
  const known = new Set<string>();
  db.transaction(() => {
    for (const row of rows) {
      known.add(row.file);
      const [here, hereDir, other, otherDir] =
        row.trashed_at === null
          ? [inImages, paths.images, inTrash, paths.trash]
          : [inTrash, paths.trash, inImages, paths.images];
      if (!here.has(row.file) && other.has(row.file)) {
        moveFileDurably(path.join(otherDir, row.file), path.join(hereDir, row.file));
        other.delete(row.file);
        here.add(row.file);
        report.movedBack++;
      }
      const missing = here.has(row.file) ? 0 : 1;
      if (missing !== row.missing) setMissing.run(missing, row.id);
      if (missing) report.flaggedMissing++;
    }
  })();

  const orphans = [
    ...[...inImages].filter((file) => !known.has(file)).map((file) => ({ file, dir: paths.images, trashed: false })),
    ...[...inTrash].filter((file) => !known.has(file)).map((file) => ({ file, dir: paths.trash, trashed: true })),
  ];
  for (const orphan of orphans) {
    const filePath = path.join(orphan.dir, orphan.file);
    const bytes = fs.readFileSync(filePath);
    const parameters = orphan.file.endsWith('.png') ? safeRead(readParameters, bytes) : null;
    if (!parameters) {
      moveFileDurably(filePath, path.join(paths.unrecognised, freeNameIn(paths.unrecognised, orphan.file, '')));
      report.unrecognised++;
      continue;
    }
    if (report.reimportsDeferred > 0) {
      report.reimportsDeferred++;
      continue;
    }
    try {
      reimport(images, orphan, filePath, parameters);
      report.reimported++;
    } catch (error) {
      // A full disk must not keep the library shut: the file stays where it is, and is added once there is room.
      if (!storageProblemOf(error)) throw error;
      report.reimportsDeferred++;
    }
  }
  return report;
}

function safeRead(readParameters: ParameterReader, bytes: Uint8Array): ImageParameters | null {
  try {
    return readParameters(bytes);
  } catch {
    return null; // a truncated or foreign file: treated as unrecognised
  }
}

/** Adds a row for an orphan file in place, renaming it to `<id>.png` if its name is no id. */
function reimport(
  images: ImageStore,
  orphan: { file: string; dir: string; trashed: boolean },
  filePath: string,
  parameters: ImageParameters,
): void {
  const nameId = ID_FILE.exec(orphan.file)?.[1];
  const id = nameId && !images.get(nameId) ? nameId : newImageId();
  const file = imageFileName(id);
  if (file !== orphan.file) {
    fs.renameSync(filePath, path.join(orphan.dir, file));
    fsyncDir(orphan.dir);
  }
  const sourceId = parameters.sourceId && images.get(parameters.sourceId) ? parameters.sourceId : null;
  images.insertRows([
    {
      id,
      file,
      parameters,
      provider: REIMPORTED_PROVIDER,
      sourceId,
      runId: id,
      createdAt: Math.round(fs.statSync(path.join(orphan.dir, file)).mtimeMs),
      trashedAt: orphan.trashed ? Date.now() : null,
    },
  ]);
}
