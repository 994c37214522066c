/**
 * ONNX Runtime's Linux build sends usage telemetry and writes `.ses` and `mat-debug-<pid>.log`
 * into TMPDIR and a cache under ~/.cache unless told not to: the engine leaves no file behind.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { TINY_PACKAGE } from './fixtures';

const child = fileURLToPath(new URL('./open-and-generate.ts', import.meta.url));
let work: string;
beforeEach(() => void (work = fs.mkdtempSync(path.join(os.tmpdir(), 'parti-no-files-'))));
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

test('opening a model and generating leaves nothing in TMPDIR or the home folder', { timeout: 60_000 }, () => {
  const [tmp, home] = ['tmp', 'home'].map((name) => path.join(work, name)) as [string, string];
  for (const dir of [tmp, home]) fs.mkdirSync(dir);
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp, HOME: home, TSX_DISABLE_CACHE: '1' };
  // Said by a caller's environment, the switch would hide whether the engine sets it itself (so would a CI marker).
  for (const name of ['ORT_DISABLE_TELEMETRY', 'CI', 'XDG_CACHE_HOME']) delete env[name];
  const run = spawnSync(process.execPath, ['--import', 'tsx', child, TINY_PACKAGE], { encoding: 'utf8', env });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(fs.readdirSync(tmp)).toEqual([]);
  expect(fs.readdirSync(home)).toEqual([]);
});
