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
import { sampleCategorical, Xoshiro128 } from '../../../main/engine/sampler.js';

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
    const parity = join(work, 'parity');
    python(['export.py', '--run-dir', run, '--out', pkg, '--id', 'smoke-test', '--parity-dir', parity], 180_000);
    // A lost run folder can be rebuilt from the package: the weights must reproduce its parity vectors.
    const recovered = python(['recover_checkpoint.py', '--package', pkg, '--run-dir', join(work, 'recovered'), '--parity-dir', parity], 120_000);
    const errors = JSON.parse(recovered.split('\n')[0]!).parity_max_abs_error as Record<string, number>;
    expect(Object.keys(errors).sort()).toEqual(['decoder', 'textEncoder']);
    for (const error of Object.values(errors)) expect(error).toBeLessThanOrEqual(1e-6);

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

  it('the reference sampler draws what the engine draws from the same seed and stream', () => {
    const logits = Array.from({ length: 300 }, (_, i) => (i % 7 === 3 ? -Infinity : Math.fround(3 * Math.sin(i * 1.7))));
    const streams = [[0, 0], [7, 1], [20261128, 3]] as const;
    const engineDraws = streams.map(([seed, jumps]) => {
      const generator = new Xoshiro128(seed, jumps);
      return Array.from({ length: 50 }, () => sampleCategorical(Float32Array.from(logits), 0, logits.length, generator));
    });
    const script = [
      'import json, sys, numpy as np',
      'from seeded_sampling import Xoshiro128, sample_categorical',
      'spec = json.load(sys.stdin)',
      'logits = np.array([float("-inf") if v is None else v for v in spec["logits"]], np.float32)',
      'out = []',
      'for seed, jumps in spec["streams"]:',
      '    g = Xoshiro128(seed, jumps)',
      '    out.append([sample_categorical(logits, g) for _ in range(50)])',
      'print(json.dumps(out))',
    ].join('\n');
    const input = JSON.stringify({ logits: logits.map((v) => (v === -Infinity ? null : v)), streams });
    const output = execFileSync(PYTHON, ['-c', script], { cwd: TRAINING, encoding: 'utf8', input, timeout: 60_000 });
    expect(new Set(engineDraws.flat()).size).toBeGreaterThan(20);
    expect(JSON.parse(output)).toEqual(engineDraws);
  });
});
