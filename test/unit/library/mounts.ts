/**
 * Real storage failures for tests: a small tmpfs that can be filled (ENOSPC, SQLite's
 * "database or disk is full"), remounted read-only (EROFS), or mounted over a folder so that
 * a rename across it crosses devices (EXDEV). Needs root and a kernel that allows mounts;
 * `canMount` says whether this machine does.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr.trim() || `exit ${result.status}`}`);
}

export function mountTmpfs(dir: string, sizeKb: number): void {
  fs.mkdirSync(dir, { recursive: true });
  run('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir]);
}

export const unmount = (dir: string): void => run('umount', ['-l', dir]);

/**
 * Makes `dir` read-only by a read-only bind mount over it (a plain remount is refused while
 * the library has files open): every new open, create and rename under it fails with EROFS.
 */
export function bindReadOnly(dir: string): void {
  run('mount', ['--bind', dir, dir]);
  run('mount', ['-o', 'remount,bind,ro', dir]);
}

/** Whether this process may mount a tmpfs (root in a system or container that allows it). */
export const canMount: boolean = (() => {
  if (process.getuid?.() !== 0) return false;
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'parti-mount-probe-'));
  try {
    mountTmpfs(probe, 64);
    unmount(probe);
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(probe, { recursive: true, force: true });
  }
})();

/** Fills the file system holding `dir` to the last byte with `dir/filler`; returns its path. */
export function fillDisk(dir: string): string {
  const filler = path.join(dir, 'filler');
  const fd = fs.openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(fd);
  }
  // The last partial chunk may still fit byte by byte.
  const byte = Buffer.alloc(1, 1);
  try {
    for (;;) fs.appendFileSync(filler, byte);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }
  return filler;
}
