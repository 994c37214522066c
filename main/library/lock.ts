/**
 * One process per data folder: a second one would clear the first's tmp/ and re-import
 * files it is still writing. The lock is proper-lockfile's (a `library.lock` folder whose
 * mtime its holder keeps fresh), with a note beside it saying who holds it, so the refusal
 * can name the other process and a lock left by a crashed process on this machine is taken
 * over at once instead of after the staleness delay.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { writeFileAtomic } from './atomic-file';
import { storageProblemOf } from './storage-errors';

interface LockOwner {
  pid: number;
  host: string;
  command: string;
  since: number;
}

/** The data folder is held by another live process; the message names it. */
export class LibraryInUseError extends Error {
  override readonly name = 'LibraryInUseError';
}

/** A lock not refreshed for this long is a dead holder's (it refreshes every half of it). */
const LOCK_STALE_MS = 30_000;
const lockPath = (root: string): string => path.join(root, 'library.lock');
const ownerPath = (root: string): string => path.join(root, 'library.lock.owner.json');

function readOwner(root: string): LockOwner | undefined {
  try {
    return JSON.parse(fs.readFileSync(ownerPath(root), 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function inUse(root: string, owner: LockOwner | undefined): LibraryInUseError {
  const who = owner
    ? `process ${owner.pid} on ${owner.host}, ${owner.command} since ${new Date(owner.since).toLocaleTimeString('en-GB')}`
    : 'a process that did not say which';
  return new LibraryInUseError(
    `The data folder ${root} is in use by another Parti Studio (${who}). Close it, or start this one with --data-dir pointing at another folder.`,
  );
}

/** The data folders this process holds. */
const heldHere = new Set<string>();

/** Takes the data folder's lock or throws LibraryInUseError; returns its release. */
export function lockDataFolder(root: string): () => void {
  const owner = readOwner(root);
  // Its holder died without releasing it (or is this process, whose release failed on a read-only
  // folder); a live one, or one on another machine, is judged by the lock's freshness.
  const stale = owner && owner.host === os.hostname() && (owner.pid === process.pid ? !heldHere.has(root) : !isAlive(owner.pid));
  if (stale) fs.rmSync(lockPath(root), { recursive: true, force: true });
  let release: () => void;
  try {
    release = lockfile.lockSync(root, {
      lockfilePath: lockPath(root),
      realpath: false,
      stale: LOCK_STALE_MS,
      // A refresh that fails (a sleeping laptop, a full disk) must not crash the app; the owner note still guards the folder.
      onCompromised: () => undefined,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') throw inUse(root, readOwner(root));
    throw error;
  }
  const note: LockOwner = { pid: process.pid, host: os.hostname(), command: path.basename(process.argv[1] ?? process.argv0), since: Date.now() };
  try {
    writeFileAtomic(ownerPath(root), new TextEncoder().encode(JSON.stringify(note)), `${ownerPath(root)}.tmp`);
  } catch (error) {
    // On a full disk the library must still open; the lock guards the folder, the note only names its holder.
    if (!storageProblemOf(error)) {
      release();
      throw error;
    }
  }
  heldHere.add(root);
  return () => {
    heldHere.delete(root);
    try {
      fs.rmSync(ownerPath(root), { force: true });
      release();
    } catch (error) {
      // A folder that turned read-only keeps its lock, and a refresh that failed (a full disk) has dropped
      // it already (ERELEASED): either way the next start sees its holder gone and takes it over.
      if (!storageProblemOf(error) && (error as NodeJS.ErrnoException).code !== 'ERELEASED') throw error;
    }
  };
}
