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

/** Writes `bytes` to `target` through `tempPath` (same file system); never leaves a partial `target`. */
export function writeFileAtomic(target: string, bytes: Uint8Array, tempPath: string): void {
  const fd = fs.openSync(tempPath, 'w');
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tempPath, target);
  fsyncDir(path.dirname(target));
}

/** Moves a file between folders of one file system and makes both folders' entries durable. */
export function moveFileDurably(from: string, to: string): void {
  fs.renameSync(from, to);
  fsyncDir(path.dirname(to));
  if (path.dirname(from) !== path.dirname(to)) fsyncDir(path.dirname(from));
}
