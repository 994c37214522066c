/** A library folder with hostile files in it, or shared by two processes. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { compressedTextChunk, smallPng, withChunks } from '../engine/bad-images';

const child = fileURLToPath(new URL('./open-library.ts', import.meta.url));
const MB = 1024 * 1024;
let dataDir: string;
beforeEach(() => void (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parti-bad-library-'))));
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** Opens the library in a child process whose JS heap is capped, as a small machine's would be. */
function openInChild(heapMb: number) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', child, dataDir], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: `--max-old-space-size=${heapMb}` },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('a PNG text zip bomb in images/ is set aside at start, and the library opens', { timeout: 60_000 }, async () => {
  fs.mkdirSync(path.join(dataDir, 'images'), { recursive: true });
  const keys = ['parti-studio', 'Comment', 'Description', 'Author', 'Software'];
  const bomb = withChunks(await smallPng(), keys.map((key) => compressedTextChunk(key, 96 * MB)));
  expect(bomb.length).toBeLessThan(1 * MB);
  fs.writeFileSync(path.join(dataDir, 'images', 'bomb.png'), bomb);
  const run = openInChild(128);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({ unrecognised: 1, reimported: 0 });
  expect(fs.readdirSync(path.join(dataDir, 'unrecognised'))).toEqual(['bomb.png']);
  expect(fs.readdirSync(path.join(dataDir, 'images'))).toEqual([]);
});
