/** The folders and files of a library's data folder. */
import fs from 'node:fs';
import path from 'node:path';

export interface LibraryPaths {
  root: string;
  database: string;
  images: string;
  trash: string;
  /** Temp files of atomic writes; same file system as images/, emptied on start. */
  tmp: string;
  /** Files found in images/ that are not this app's PNGs: kept, never deleted, but not shown. */
  unrecognised: string;
}

export function libraryPaths(root: string): LibraryPaths {
  return {
    root,
    database: path.join(root, 'library.db'),
    images: path.join(root, 'images'),
    trash: path.join(root, 'trash'),
    tmp: path.join(root, 'tmp'),
    unrecognised: path.join(root, 'unrecognised'),
  };
}

export function createLibraryFolders(paths: LibraryPaths): void {
  for (const dir of [paths.root, paths.images, paths.trash, paths.tmp, paths.unrecognised]) {
    fs.mkdirSync(dir, { recursive: true });
  }
}
