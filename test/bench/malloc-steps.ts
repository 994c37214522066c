/**
 * Decoder steps under glibc's malloc settings:
 * `npx tsx test/bench/malloc-steps.ts --model JANUS_DIR [--precision q4] [--steps 576]`
 * runs a Janus folder's language model as the engine does (int8 compute on 4-bit graphs,
 * each step's `present.*` fed back as the next `past_key_values.*`) in one fresh process per
 * setting: glibc's defaults, the engine process's settings with a 128 KiB trim threshold (its
 * earlier value), and the engine process's settings as they ship. Prints milliseconds per step
 * and the peak resident memory of each. The figures are in test/bench/README.md.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import ort from 'onnxruntime-node';
import { cpuGraphSource } from '../../main/engine/graph-rewrite';
import { readJanusConfig } from '../../main/engine/models/janus/folder';
import { PRECISION_SUFFIX } from '../../main/engine/models/janus/precision';
import { createSession } from '../../main/engine/providers';
import { MALLOC_DEFAULTS } from '../../main/engine/process/engine-process';

const { values } = parseArgs({ options: { model: { type: 'string' }, precision: { type: 'string', default: 'q4' }, steps: { type: 'string', default: '576' }, child: { type: 'boolean' } } });
if (!values.model) {
  console.error('usage: npx tsx test/bench/malloc-steps.ts --model JANUS_DIR [--precision q4] [--steps 576]');
  process.exit(2);
}

const PROMPT_LENGTH = 24;

/** One decoding run of `steps` language-model steps at batch 2 (a row and its guidance twin). */
async function decodeSteps(dir: string, precision: string, steps: number): Promise<{ msPerStep: number; peakMb: number }> {
  const config = await readJanusConfig(dir);
  const file = path.join(dir, 'onnx', `language_model${PRECISION_SUFFIX[precision]}.onnx`);
  const { session } = await createSession('language_model', () => cpuGraphSource(file, true).source, ['cpu']);
  const rows = 2;
  const cacheTensor = (length: number) => new ort.Tensor('float32', new Float32Array(rows * config.kvHeads * length * config.headDim), [rows, config.kvHeads, length, config.headDim]);
  let past: Record<string, ort.Tensor> = Object.fromEntries(session.inputNames.filter((name) => name.startsWith('past_key_values')).map((name) => [name, cacheTensor(PROMPT_LENGTH)]));
  const width = session.inputMetadata.find((m) => m.name === 'inputs_embeds');
  const hidden = width?.isTensor ? Number(width.shape.at(-1)) : Number.NaN;
  const start = performance.now();
  for (let step = 0, length = PROMPT_LENGTH; step < steps; step++, length++) {
    const out = await session.run({
      ...past,
      inputs_embeds: new ort.Tensor('float32', new Float32Array(rows * hidden).fill(0.01), [rows, 1, hidden]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(rows * (length + 1)).fill(1n), [rows, length + 1]),
      ...(session.inputNames.includes('position_ids') ? { position_ids: new ort.Tensor('int64', new BigInt64Array(rows).fill(BigInt(length)), [rows, 1]) } : {}),
    });
    past = Object.fromEntries(Object.entries(out).filter(([name]) => name.startsWith('present')).map(([name, tensor]) => [name.replace(/^present/, 'past_key_values'), tensor]));
  }
  return { msPerStep: (performance.now() - start) / steps, peakMb: process.resourceUsage().maxRSS / 1024 };
}

if (values.child) {
  console.log(JSON.stringify(await decodeSteps(values.model, values.precision!, Number(values.steps))));
} else {
  const withoutMalloc = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('MALLOC_')));
  const settings: [string, NodeJS.ProcessEnv][] = [
    ["glibc's defaults", withoutMalloc],
    ['engine settings, trim threshold 128 KiB', { ...withoutMalloc, ...MALLOC_DEFAULTS, MALLOC_TRIM_THRESHOLD_: '131072' }],
    ['engine settings as they ship', { ...withoutMalloc, ...MALLOC_DEFAULTS }],
  ];
  console.log(`${values.model}, language model ${values.precision}, ${values.steps} steps at batch 2, one process each`);
  for (const [label, env] of settings) {
    const run = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1), '--child'], { env, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`${label}: ${run.stderr.trim().split('\n').at(-1)}`);
    const { msPerStep, peakMb } = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { msPerStep: number; peakMb: number };
    console.log(`| ${label} | ${msPerStep.toFixed(1)} ms a step | peak ${peakMb.toFixed(0)} MB |`);
  }
}
