/**
 * `npm run serve` as it runs: the bridge built (main/bridge/build.ts) and started with plain
 * Node, no TypeScript loader in it or in the engine process it forks from the built entry
 * beside it; it serves its page, loads the embedded model, and stops cleanly on SIGTERM.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { BRIDGE_DIST, buildBridge } from '../../../main/bridge/build';
import { commandLine, engineProcessPids } from '../engine/engine-processes';

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'parti-serve-'));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

test('the built bridge serves its page and runs the embedded model in its built engine process, with no TypeScript loader', async () => {
  await buildBridge();
  const child = spawn(process.execPath, [path.join(BRIDGE_DIST, 'serve.js'), '--data-dir', path.join(temp, 'data')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    await expect.poll(() => stderr, { timeout: 30_000 }).toMatch(/^(Model|No model).*$/m);
    expect(stderr).toMatch(/^Model shapes-v1 on cpu/m);
    const url = /listening on (\S+)/.exec(stdout)![1]!;
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');

    const engines = engineProcessPids(child.pid);
    expect(engines).toHaveLength(1);
    expect(commandLine(engines[0]!)).toContain(path.join(BRIDGE_DIST, 'engine-process.js'));
    for (const pid of [child.pid!, engines[0]!]) expect(commandLine(pid)).not.toMatch(/tsx|--import|--loader/);
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
}, 180_000);
