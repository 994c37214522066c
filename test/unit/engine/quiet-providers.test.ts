/**
 * Providers that cannot start (no GPU adapter here) are probed where their native warnings
 * cannot reach the user's terminal: the command prints one short line naming the provider in
 * use, the reasons only with --verbose, and the engine reports them for Settings.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine/index.js';
import { FIXTURES, TINY_PACKAGE } from './fixtures.js';

const REPO = path.resolve(FIXTURES, '../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'parti-quiet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const generate = (...extra: string[]) =>
  spawnSync(process.execPath, [path.join(REPO, 'node_modules/tsx/dist/cli.mjs'), path.join(REPO, 'main/cli/generate.ts'), '--prompt', 'a red circle', '--seed', '1', '--candidates', '1', '--model', TINY_PACKAGE, '--provider', 'webgpu', '--out', path.join(dir, 'out.png'), ...extra], { cwd: REPO, encoding: 'utf8' });

const NATIVE_NOISE = /Vulkan|BackendVk|operator\(\)|webgpu_context|onnxruntime_src/;

describe.skipIf(!Engine.availableProviders().includes('webgpu'))('a GPU provider that cannot start', () => {
  it('prints no native warning, only one short line naming the provider in use', () => {
    const run = generate();
    expect(run.status).toBe(0);
    expect(run.stderr).not.toMatch(NATIVE_NOISE);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^generate: running on cpu: webgpu did not start \(.{1,80}\); --verbose says why$/)]);
  });

  it('gives the reasons with --verbose, still without the native log', () => {
    const run = generate('--verbose');
    expect(run.status).toBe(0);
    expect(run.stderr).not.toMatch(/Vulkan|BackendVk|operator\(\)/);
    expect(run.stderr).toMatch(/^generate: webgpu did not start: .*adapter/m);
  });

  it('tells which shipped providers really start, without a model open: CPU does, WebGPU does not, and why', async () => {
    const checks = await Engine.checkProviders();
    expect(checks.map((check) => check.provider)).toEqual(Engine.availableProviders());
    expect(checks.find((check) => check.provider === 'cpu')).toEqual({ provider: 'cpu', starts: true, reason: null, detail: null });
    expect(checks.find((check) => check.provider === 'webgpu')).toEqual({ provider: 'webgpu', starts: false, reason: 'no GPU adapter found', detail: expect.stringMatching(/adapter/i) });
  });

  it('reports each reason once in the engine, for Settings', async () => {
    const engine = await Engine.open({ packageDir: TINY_PACKAGE, provider: 'webgpu' });
    expect(engine.providers.sessions.every((session) => session.provider === 'cpu')).toBe(true);
    expect(engine.providers.sessions[0]!.fallbacks).toEqual([{ provider: 'webgpu', error: expect.any(String) }]);
    await engine.close();
  });
});
