/**
 * The studio's library: a data folder holding `library.db` (SQLite, WAL, synchronous FULL)
 * and the image files. Plain Node, no Electron: the Electron app, the bridge and tests all
 * open it the same way.
 */
import Database from 'better-sqlite3';
import { BoardStore } from './boards';
import { ImageStore } from './images';
import { lockDataFolder } from './lock';
import { createLibraryFolders, libraryPaths, type LibraryPaths } from './paths';
import { PromptStore } from './prompts';
import { QueueStore } from './queue';
import { openSchema } from './schema';
import { reconcile, type ParameterReader, type ReconcileReport } from './reconcile';
import { SettingsStore } from './settings-store';
import { asStorageError, dataFolderLabel } from './storage-errors';

export { boardNameKey } from './boards';
export type { ImageRecord, LibraryImage, NewImage, ImageQuery } from './images';
export type { ParameterReader, ReconcileReport } from './reconcile';
export type { LibraryPaths } from './paths';
export type { QueueRow, NewQueueRow } from './queue';
export { LibraryInUseError } from './lock';
export { LibraryStorageError, asStorageError, dataFolderLabel, describeStorageProblem, storageProblemOf } from './storage-errors';
export { defaultDataDir, dataDirFromArgs, optionValue, readDataLocation, writeDataLocation } from './data-dir';

export interface LibraryOptions {
  dataDir: string;
  /** Reads this app's parameters from PNG chunks (the engine's PNG module); used to re-import files. */
  readParameters: ParameterReader;
  /** A better-sqlite3 addon built for this runtime (Electron in development); the package's own otherwise. */
  sqliteBinding?: string;
}

/**
 * Where `npm start` keeps better-sqlite3 built for Electron's ABI, relative to the app root,
 * so that node_modules keeps the Node build the tests load.
 */
export const ELECTRON_SQLITE_BINDING = 'node_modules/.cache/parti-electron-sqlite/better_sqlite3.node';

export class Library {
  readonly prompts: PromptStore;
  readonly settings: SettingsStore;
  readonly queue: QueueStore;
  readonly boards: BoardStore;

  private constructor(
    readonly paths: LibraryPaths,
    private readonly db: Database.Database,
    readonly images: ImageStore,
    /** What reconciling found when the library was opened. */
    readonly startReport: ReconcileReport,
    private readonly unlock: () => void,
  ) {
    this.prompts = new PromptStore(db);
    this.settings = new SettingsStore(db);
    this.queue = new QueueStore(db);
    this.boards = new BoardStore(db);
  }

  /**
   * Opens (creating if needed) the library in `dataDir`, locked to this process, and
   * reconciles it with the disk. Throws LibraryInUseError when another process holds it,
   * and LibraryStorageError, naming the folder, when it cannot be written to. A full disk
   * does not stop it opening.
   */
  static open(options: LibraryOptions): Library {
    const paths = libraryPaths(options.dataDir);
    try {
      createLibraryFolders(paths);
      const unlock = lockDataFolder(paths.root);
      let db: Database.Database | undefined;
      try {
        db = new Database(paths.database, options.sqliteBinding ? { nativeBinding: options.sqliteBinding } : {});
        openSchema(db);
        const images = new ImageStore(db, paths);
        const report = reconcile(db, images, paths, options.readParameters);
        return new Library(paths, db, images, report, unlock);
      } catch (error) {
        db?.close();
        unlock();
        throw error;
      }
    } catch (error) {
      throw asStorageError(error, dataFolderLabel(paths.root), 'The library was not opened.');
    }
  }

  /** `error` in words for the user when a storage problem of this library's folder caused it. */
  storageError(error: unknown, consequence: string): unknown {
    return asStorageError(error, dataFolderLabel(this.paths.root), consequence);
  }

  /** `PRAGMA integrity_check`: "ok" when the database is sound. */
  integrityCheck(): string {
    return (this.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  }

  close(): void {
    this.db.close();
    this.unlock();
  }
}
