/**
 * Durable file writes: a file is either absent or complete after any crash, power loss or
 * SIGKILL. Write a temp file in the same file system, fsync it, rename it into place, then
 * fsync the folder so the rename itself is on disk.
 */
import fs from 'node:fs';
import path from 'node:path';

export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes `bytes` to `target` through `tempPath` (same file system); never leaves a partial
 * `target`, nor the temp file when it fails (a full disk, a read-only or cross-device folder).
 */
export function writeFileAtomic(target: string, bytes: Uint8Array, tempPath: string): void {
  try {
    const fd = fs.openSync(tempPath, 'w');
    try {
      // writeSync may write less than asked (a disk filling up); a short file must never be renamed into place.
      for (let written = 0; written < bytes.length; ) written += fs.writeSync(fd, bytes, written);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tempPath, target);
  } catch (error) {
    fs.rmSync(tempPath, { force: true });
    throw error;
  }
  fsyncDir(path.dirname(target));
}

/** Moves a file between folders of one file system and makes both folders' entries durable. */
export function moveFileDurably(from: string, to: string): void {
  fs.renameSync(from, to);
  fsyncDir(path.dirname(to));
  if (path.dirname(from) !== path.dirname(to)) fsyncDir(path.dirname(from));
}
