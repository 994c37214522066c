/**
 * The Python side under npm test: the world/judge unit tests, and a smoke run of every
 * training stage on a tiny configuration whose export the engine must load and sample.
 * Training proper never runs in CI (native-models/README.md).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine/index.js';

const PYTHON = '/usr/bin/python3';
const TRAINING = join(process.cwd(), 'native-models', 'training');
const work = mkdtempSync(join(tmpdir(), 'parti-pipeline-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function python(args: string[], timeoutMs: number): string {
  return execFileSync(PYTHON, args, { cwd: TRAINING, encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('native-models/training', () => {
  it('passes its own unit tests (world, captions, judge, prompts)', () => {
    // unittest writes its summary to stderr; execFileSync throws with it on any failure.
    const result = execFileSync(PYTHON, ['-m', 'unittest', 'discover', '-s', 'tests'], {
      cwd: TRAINING, encoding: 'utf8', timeout: 240_000, stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(result).toBeDefined();
  }, 250_000);

  it('trains every stage on the smoke configuration and exports a package the engine samples', async () => {
    const run = join(work, 'run');
    const pkg = join(work, 'package');
    const log = python(['train.py', '--config', 'smoke', '--run-dir', run, '--minutes', '2'], 180_000);
    const stages = log.trim().split('\n').map((line) => JSON.parse(line).stage as string);
    expect(stages).toEqual(expect.arrayContaining(['tokenizer', 'data', 'reranker', 'decoder', 'done']));
    python(['export.py', '--run-dir', run, '--out', pkg, '--id', 'smoke-test'], 180_000);

    const engine = await Engine.open({ packageDir: pkg, provider: 'cpu' });
    try {
      const result = await engine.generate({ prompt: 'a red circle', seed: 3, settings: { candidates: 2 } });
      expect(result.modelId).toBe('smoke-test');
      expect(result.candidates).toHaveLength(2);
      expect(result.candidates[0]!.image.width).toBe(64);
    } finally {
      await engine.close();
    }
  }, 400_000);
});
