/**
 * A bridge starting on a machine without a GPU adapter: ONNX Runtime's native WebGPU/Vulkan
 * warnings never reach its terminal, and Settings says which providers really start and why the GPU provider was given up.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { Engine } from '../../../main/engine/index';

const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const helper = fileURLToPath(new URL('./bridge-process.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'parti-quiet-bridge-'));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

describe.skipIf(!Engine.availableProviders().includes('webgpu'))('bridge start without a GPU adapter', () => {
  test('prints no native warning, and settings.get names the provider given up and why', async () => {
    const rendererDir = path.join(temp, 'renderer');
    fs.mkdirSync(rendererDir, { recursive: true });
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Parti Studio</title>');
    const child = spawn(tsx, [helper, path.join(temp, 'data'), rendererDir, fixtures, '--print-settings'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await new Promise<void>((resolve) => child.stdout.on('data', () => stdout.includes('\n') && resolve()));
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(stderr).not.toMatch(/Vulkan|BackendVk|operator\(\)|webgpu_context/);
    const { runtime } = (JSON.parse(stdout.split('\n')[0]!) as { value: { runtime: { activeProvider: string; providerNotes: string[]; providers: unknown[] } } }).value;
    expect(runtime.activeProvider).toBe('cpu');
    expect(runtime.providerNotes).toEqual([expect.stringMatching(/^webgpu did not start: .*adapter/)]);
    // Settings lists what really starts: CPU does, WebGPU (shipped in the build) does not, and says why.
    expect(runtime.providers).toEqual(
      expect.arrayContaining([
        { provider: 'cpu', starts: true, reason: null, detail: null },
        { provider: 'webgpu', starts: false, reason: 'no GPU adapter found', detail: expect.stringMatching(/adapter/i) },
      ]),
    );
  }, 60_000);
});
