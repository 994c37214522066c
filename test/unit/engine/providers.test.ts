import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine, providerFallbacks } from '../../../main/engine/index.js';
import { createSession, defaultThreads, providerOrder } from '../../../main/engine/providers.js';
import { TINY_PACKAGE } from './fixtures.js';

describe('providerOrder', () => {
  it('always ends with the CPU', () => {
    expect(providerOrder('cpu', 'linux')).toEqual(['cpu']);
    expect(providerOrder('webgpu', 'linux')).toEqual(['webgpu', 'cpu']);
    expect(providerOrder('dml', 'linux')).toEqual(['dml', 'cpu']);
  });

  it('auto tries the platform GPU providers this build ships, best first', () => {
    expect(providerOrder('auto', 'win32', ['cpu', 'dml', 'webgpu'])).toEqual(['dml', 'webgpu', 'cpu']);
    expect(providerOrder('auto', 'darwin', ['cpu', 'coreml'])).toEqual(['coreml', 'cpu']);
    expect(providerOrder('auto', 'linux', ['cpu', 'webgpu', 'cuda'])).toEqual(['cuda', 'webgpu', 'cpu']);
    expect(providerOrder('auto', 'linux', ['cpu'])).toEqual(['cpu']);
  });
});

describe('intra-op threads', () => {
  it('a small decoder runs on one thread unless threads are asked for; a large one gets ORT’s default', async () => {
    expect(defaultThreads(14 * 2 ** 20)).toBe(1);
    expect(defaultThreads(2 * 2 ** 30)).toBeUndefined();
    const small = await Engine.open({ packageDir: TINY_PACKAGE, provider: 'cpu' });
    const asked = await Engine.open({ packageDir: TINY_PACKAGE, provider: 'cpu', threads: 2 });
    expect([small.providers.intraOpThreads, asked.providers.intraOpThreads]).toEqual([1, 2]);
    await Promise.all([small.close(), asked.close()]);
  });
});

describe('createSession', () => {
  it('falls back to CPU, recording why, when the forced provider cannot start (no GPU here)', async () => {
    const { session, report } = await createSession('detokenizer', path.join(TINY_PACKAGE, 'detokenizer.onnx'), ['webgpu', 'cpu']);
    expect(report.provider).toBe('cpu');
    expect(report.fallbacks).toEqual([{ provider: 'webgpu', error: expect.any(String) }]);
    await session.release();
  });

  it('throws when even the CPU cannot load the graph', async () => {
    await expect(createSession('decoder', path.join(TINY_PACKAGE, 'tokenizer.json'), ['cpu'])).rejects.toThrow();
  });
});

describe('Engine with provider webgpu forced', () => {
  it('runs every session on the CPU, reports the fallback per session and once per provider', async () => {
    const warnings: string[] = [];
    const engine = await Engine.open({ packageDir: TINY_PACKAGE, provider: 'webgpu', onWarning: (w) => warnings.push(w) });
    const report = engine.providers;
    expect(report.setting).toBe('webgpu');
    expect(report.sessions).toHaveLength(6);
    for (const session of report.sessions) {
      expect(session.provider).toBe('cpu');
      expect(session.fallbacks.map((f) => f.provider)).toEqual(['webgpu']);
    }
    expect(warnings).toEqual([]); // fallbacks are reported, not warned about
    expect(providerFallbacks(report)).toEqual([{ provider: 'webgpu', reason: expect.any(String), detail: expect.any(String) }]);
    const result = await engine.generate({ prompt: 'a red circle', seed: 1, settings: { candidates: 1 } });
    expect(result.candidates).toHaveLength(1);
    await engine.close();
  });
});
