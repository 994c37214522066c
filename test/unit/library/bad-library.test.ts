/** A library folder with hostile files in it, or shared by two processes. */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { Library } from '../../../main/library/index';
import { compressedTextChunk, smallPng, withChunks } from '../engine/bad-images';
import { readTestParameters } from './png-fixture';

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

test('a second process on the same data folder is refused, naming the first; it can open once the first is gone', { timeout: 60_000 }, async () => {
  const first = spawn(process.execPath, ['--import', 'tsx', child, dataDir, 'hold'], { stdio: ['pipe', 'pipe', 'pipe'] });
  await new Promise((resolve) => first.stdout.once('data', resolve));
  expect(() => Library.open({ dataDir, readParameters: readTestParameters })).toThrow(
    new RegExp(`^The data folder ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by another Parti Studio \\(process ${first.pid} on ${os.hostname()}, .*\\)\\. Close it, or start this one with --data-dir pointing at another folder\\.$`),
  );
  const second = openInChild(256);
  expect(second.code).toBe(1);
  expect(second.stderr).toMatch(new RegExp(`is in use by another Parti Studio \\(process ${first.pid} `));
  first.kill('SIGKILL'); // a crash leaves the lock behind: a dead owner's lock is taken over
  await new Promise((resolve) => first.once('exit', resolve));
  const library = Library.open({ dataDir, readParameters: readTestParameters });
  expect(library.images.counts().images).toBe(0);
  library.close();
  expect(openInChild(256).code).toBe(0); // and closing releases it
});
