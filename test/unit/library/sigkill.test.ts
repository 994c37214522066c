/**
 * Durability: a process saving images is killed with SIGKILL 50 times, at random moments
 * of saving. After each kill the library must open with a sound database, and after
 * reconcile every row has its file and every file its row.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, expect, test } from 'vitest';
import { Library } from '../../../main/library/index';
import { readTestParameters } from './png-fixture';

const KILLS = 50;
const child = fileURLToPath(new URL('./save-until-killed.ts', import.meta.url));
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parti-sigkill-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/**
 * Starts the saver and SIGKILLs it `delayMs` after its first committed save, so every
 * round saves something whatever the machine's load, and the kill lands in a later save.
 */
function runAndKill(delayMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.stdout.once('data', () => setTimeout(() => proc.kill('SIGKILL'), delayMs));
    proc.on('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve() : reject(new Error(`saver exited on its own: ${stderr}`)),
    );
  });
}

/** Rows and files compared directly on disk, not through the library's own view. */
function checkConsistency(): void {
  const db = new Database(path.join(dataDir, 'library.db'), { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const rows = db.prepare('SELECT file, trashed_at, missing FROM images').all() as {
      file: string;
      trashed_at: number | null;
      missing: number;
    }[];
    const rowFiles = new Set(rows.map((row) => `${row.trashed_at === null ? 'images' : 'trash'}/${row.file}`));
    const diskFiles = new Set(
      ['images', 'trash'].flatMap((folder) => fs.readdirSync(path.join(dataDir, folder)).map((f) => `${folder}/${f}`)),
    );
    expect(rows.filter((row) => row.missing)).toEqual([]);
    expect([...rowFiles].filter((f) => !diskFiles.has(f))).toEqual([]); // every row has its file
    expect([...diskFiles].filter((f) => !rowFiles.has(f))).toEqual([]); // every file has its row
    expect(fs.readdirSync(path.join(dataDir, 'tmp'))).toEqual([]);
  } finally {
    db.close();
  }
}

test(`library survives SIGKILL in the middle of saving, ${KILLS} times`, { timeout: 600_000 }, async () => {
  let interruptedWrites = 0; // temp files or orphan files: kills that landed mid-save
  for (let kill = 0; kill < KILLS; kill++) {
    await runAndKill(Math.floor(Math.random() * 40));
    const library = Library.open({ dataDir, readParameters: readTestParameters });
    const report = library.startReport;
    interruptedWrites += report.removedTempFiles + report.reimported + report.movedBack;
    expect(report.unrecognised).toBe(0);
    library.close();
    checkConsistency();
  }
  const library = Library.open({ dataDir, readParameters: readTestParameters });
  const { images, trashed } = library.images.counts();
  expect(images + trashed).toBeGreaterThanOrEqual(KILLS);
  library.close();
  // The kills must really have interrupted saves, or the test proves nothing.
  expect(interruptedWrites).toBeGreaterThan(KILLS / 4);
});
