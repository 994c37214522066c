/**
 * npm run bench -- [--model ID|DIR] [--provider P] [--threads N] [--images N] [--reference-run DIR]
 *
 * Prints one table from one run: warm latency at 1 and 16 candidates, KV-cached vs uncached
 * decoding, achieved GFLOP/s against ONNX Runtime's own MatMul peak measured in the same
 * process, and resident memory over many images. With --reference-run (a training run
 * folder) it also times the PyTorch reference sampler on the same settings.
 */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ort from 'onnxruntime-node';
import type { GenerateRequest, SamplingSettings } from '../engine/index.js';
import { decodeTokens, generateImages } from '../engine/generate.js';
import { findModelDir } from '../engine/models/index.js';
import { hasHuggingFaceConfig } from '../engine/models/janus/folder.js';
import { shapesModel } from '../engine/models/shapes/index.js';
import { openPackage, type ModelPackage } from '../engine/models/shapes/package.js';
import { benchJanus } from './bench-janus.js';
import { resolveSettings } from '../engine/settings.js';
import { CliError, ENGINE_FLAGS, ENGINE_USAGE, EXIT, engineOptionsFromFlags, numberFlag, parseFlags, runCli } from './common.js';
import { matMulModel, weightMacsPerRow } from '../engine/onnx-proto.js';

const USAGE = `npm run bench -- ${ENGINE_USAGE} [--images N] [--reference-run DIR]`;
const PROMPT = 'a red circle at the top left and a blue square in the center';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timeRuns(runs: number, body: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await body();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** Best GFLOP/s of ONNX Runtime's MatMul on a square product large enough to reach its peak. */
async function matMulPeak(threads: number | undefined): Promise<number> {
  const size = 1024;
  const session = await ort.InferenceSession.create(matMulModel(size, size, size), threads ? { intraOpNumThreads: threads } : {});
  const operand = () => new ort.Tensor('float32', Float32Array.from({ length: size * size }, (_, i) => ((i * 7919) % 1000) / 1000), [size, size]);
  const feeds = { A: operand(), B: operand() };
  await session.run(feeds);
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    await session.run(feeds);
    best = Math.min(best, performance.now() - start);
  }
  await session.release();
  return (2 * size ** 3) / (best / 1000) / 1e9;
}

/** Decoder FLOPs for one image per row: weight MatMuls plus self- and cross-attention scores and sums. */
async function decoderFlopsPerRow(model: ModelPackage, promptTokens: number): Promise<number> {
  const { manifest } = model;
  const macs = weightMacsPerRow(await readFile(path.join(model.info.dir, manifest.graphs.decoder.file)));
  const { layers, heads, headDim } = manifest.decoder;
  const tokens = manifest.image.grid ** 2;
  let flops = 0;
  for (let position = 1; position <= tokens; position++) {
    flops += 2 * macs + layers * 4 * heads * headDim * (position + promptTokens); // QK^T and AV, self + cross
  }
  return flops;
}

function referenceTimes(runDir: string, settings: SamplingSettings): { ms1: number; ms16: number } {
  const script = path.join(import.meta.dirname, '..', '..', 'native-models', 'training', 'reference_timing.py');
  const run = spawnSync('/usr/bin/python3', [script, '--run-dir', runDir, '--prompt', PROMPT, '--guidance', String(settings.guidance), '--top-k', String(settings.topK)], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new CliError(`reference sampler failed: ${(run.stderr || run.error?.message || '').trim().split('\n').at(-1)}`, EXIT.evaluation);
  return JSON.parse(run.stdout) as { ms1: number; ms16: number };
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

runCli('bench', async () => {
  const values = parseFlags({ ...ENGINE_FLAGS, images: { type: 'string' }, 'reference-run': { type: 'string' } }, USAGE);
  const images = numberFlag(values.images, 'images', true);
  // The bench drives the engine's modules directly (no queue) so it can also time the uncached path.
  const options = engineOptionsFromFlags(values);
  const dir = options.packageDir ?? (await findModelDir(options));
  if (hasHuggingFaceConfig(dir)) return benchJanus(dir, options, images ?? 3);
  const model = await openPackage(dir, options);
  const loaded = shapesModel(model);
  const generate = (request: GenerateRequest) => generateImages(loaded, request);
  const base = resolveSettings(model.info.defaults, { guidance: 3, candidates: 1 });
  const at16 = { ...base, candidates: 16 };
  const rows: [string, string, string][] = [];

  await generate({ prompt: PROMPT, seed: 0, settings: base }); // warm-up
  const one = await timeRuns(10, () => generate({ prompt: PROMPT, seed: 1, settings: base }));
  rows.push(['one image, guidance on, 1 candidate, warm (median of 10)', `${one.toFixed(0)} ms`, '<= 150 ms']);
  const sixteen = await timeRuns(3, () => generate({ prompt: PROMPT, seed: 2, settings: at16 }));
  rows.push(['16 candidates, guidance + reranking (median of 3)', `${sixteen.toFixed(0)} ms`, '<= 2000 ms']);

  const prepared = model.tokenizer.prepare(PROMPT);
  const decodeMs = async (settings: SamplingSettings, useCache: boolean) => {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) times.push((await decodeTokens(loaded, { prompt: prepared, settings, seed: 3, useCache })).decodeMs);
    return median(times);
  };
  for (const settings of [base, at16]) {
    const [cached, uncached] = [await decodeMs(settings, true), await decodeMs(settings, false)];
    rows.push([`decode only, ${settings.candidates} candidate(s): KV-cached vs uncached`, `${cached.toFixed(0)} vs ${uncached.toFixed(0)} ms (x${(uncached / cached).toFixed(1)})`, 'reported']);
  }

  for (const settings of [base, at16]) {
    const decoded = await decodeTokens(loaded, { prompt: prepared, settings, seed: 4 });
    const graph = decoded.decoderGraphMs;
    rows.push([
      `where decoding ${settings.candidates} candidate(s) goes: decoder graph / logits processing and sampling`,
      `${graph.toFixed(0)} / ${(decoded.decodeMs - graph).toFixed(0)} ms (${(graph / model.manifest.image.grid ** 2).toFixed(2)} ms per token)`,
      'reported',
    ]);
  }

  const promptTokens = prepared.ids.length;
  const flops = (await decoderFlopsPerRow(model, promptTokens)) * 2 * at16.candidates;
  const decode16 = await decodeMs(at16, true);
  const achieved = flops / (decode16 / 1000) / 1e9;
  // The peak with the threads the engine's sessions use, so the ratio compares like with like.
  const peak = await matMulPeak(model.providers.intraOpThreads ?? undefined);
  rows.push([
    `achieved GFLOP/s at 16 candidates (decode phase) vs ORT MatMul peak (1024^3, ${model.providers.intraOpThreads ?? 'default'} thread(s))`,
    `${achieved.toFixed(2)} of ${peak.toFixed(1)} GFLOP/s (${((100 * achieved) / peak).toFixed(1)} %)`,
    'reported; aim >= 40 %',
  ]);

  if (values['reference-run']) {
    const reference = referenceTimes(values['reference-run'], base);
    rows.push(['engine vs PyTorch reference, 1 candidate', `${reference.ms1.toFixed(0)} / ${one.toFixed(0)} ms = x${(reference.ms1 / one).toFixed(2)}`, '>= x2']);
    rows.push(['engine vs PyTorch reference, 16 candidates', `${reference.ms16.toFixed(0)} / ${sixteen.toFixed(0)} ms = x${(reference.ms16 / sixteen).toFixed(2)}`, '>= x1.2']);
  }

  let rssAt20 = 0;
  const memoryImages = images ?? 200;
  for (let i = 1; i <= memoryImages; i++) {
    await generate({ prompt: PROMPT, seed: i, settings: base });
    if (i === Math.min(20, memoryImages)) rssAt20 = process.memoryUsage().rss;
  }
  const rssEnd = process.memoryUsage().rss;
  rows.push([`resident memory after 20 / ${memoryImages} images`, `${mib(rssAt20)} / ${mib(rssEnd)} (${(((rssEnd - rssAt20) / rssAt20) * 100).toFixed(1)} %)`, '<= +10 %']);

  const decoderProvider = model.providers.sessions.find((s) => s.graph === 'decoder')?.provider;
  console.log(`model ${model.info.id}, decoder on ${decoderProvider}, ${promptTokens} prompt tokens, settings ${JSON.stringify(base)}`);
  const width = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length), ['figure', 'measured', 'goal'][c]!.length));
  const line = (cells: string[]) => `| ${cells.map((cell, c) => cell.padEnd(width[c]!)).join(' | ')} |`;
  console.log([line(['figure', 'measured', 'goal']), line(width.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
  await model.release();
});
