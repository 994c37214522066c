/**
 * Writes that fail for a reason the user can act on: the disk is full, the folder is
 * read-only, or its parts lie on different disks. Each becomes one sentence naming the
 * folder and what to do, never a raw errno with an absolute temp path.
 */

export type StorageProblem = 'full' | 'read-only' | 'cross-device';

const PROBLEM_BY_CODE: Readonly<Record<string, StorageProblem>> = {
  ENOSPC: 'full',
  EDQUOT: 'full',
  SQLITE_FULL: 'full',
  EROFS: 'read-only',
  EACCES: 'read-only',
  EPERM: 'read-only',
  SQLITE_READONLY: 'read-only',
  SQLITE_CANTOPEN: 'read-only',
  EXDEV: 'cross-device',
};

/** The problem behind a Node fs or better-sqlite3 error, or undefined for any other failure. */
export function storageProblemOf(error: unknown): StorageProblem | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  // better-sqlite3 reports extended codes too (SQLITE_READONLY_DBMOVED): judged by their primary code.
  return PROBLEM_BY_CODE[code] ?? PROBLEM_BY_CODE[code.replace(/^(SQLITE_[A-Z]+)_.*$/, '$1')];
}

/** What is wrong with `folder` and what to do about it, as a sentence without its full stop (callers go on). */
export function describeStorageProblem(problem: StorageProblem, folder: string): string {
  const sentence = {
    full: `The disk holding ${folder} is full: free some space`,
    'read-only': `${folder} cannot be written to (it is read-only or not yours): make it writable, or use another folder`,
    'cross-device': `${folder} is spread over more than one disk, so files cannot be moved into place: keep the whole folder on one disk`,
  }[problem];
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/** A write to the library failed for a storage problem; `message` says so in one sentence. */
export class LibraryStorageError extends Error {
  override readonly name = 'LibraryStorageError';

  constructor(
    readonly problem: StorageProblem,
    /** The folder as the message names it ("the data folder /home/…/Parti Studio"). */
    readonly folder: string,
    /** What the failure means for the user's work, as a sentence. */
    consequence: string,
  ) {
    super(`${describeStorageProblem(problem, folder)}, then try again. ${consequence}`);
  }
}

/** `error` as a LibraryStorageError when a storage problem caused it; otherwise `error` itself. */
export function asStorageError(error: unknown, folder: string, consequence: string): unknown {
  if (error instanceof LibraryStorageError) return error;
  const problem = storageProblemOf(error);
  return problem ? new LibraryStorageError(problem, folder, consequence) : error;
}

export const dataFolderLabel = (root: string): string => `the data folder ${root}`;
