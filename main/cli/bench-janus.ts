/**
 * The bench for a Janus folder (npm run bench -- --model DIR): this engine and
 * transformers.js's generate_images (the peer, in a child process) on the same graphs
 * (--precision, fp32 by default), prompt and settings (1 candidate, the model's guidance,
 * temperature 1, no top-k/top-p) in one run; the engine feeds transformers.js's
 * unconditional row here so both sides compute the same thing.
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { decodeTokens, generateImages } from '../engine/generate.js';
import { openJanusModel } from '../engine/models/janus/index.js';
import { readJanusConfig } from '../engine/models/janus/folder.js';
import { PRECISION_SUFFIX } from '../engine/models/janus/precision.js';
import { resolveSettings } from '../engine/settings.js';
import type { EngineOptions } from '../engine/types.js';
import { CliError, EXIT } from './common.js';

/** Janus-Pro-1B's depth, for extrapolating a replica with its widths but fewer layers. */
const JANUS_PRO_1B_LAYERS = 24;
const PROMPT = 'a watercolour painting of a red fox sitting in fresh snow under a pine tree';
const GRAPHS = ['prepare_inputs_embeds', 'language_model', 'gen_head', 'gen_img_embeds', 'image_decode'];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface PeerTiming {
  runs: { totalMs: number; decodeMs: number; steps: number }[];
  rssBefore: number;
  rssAfter: number;
  maxRss: number;
}

function peerTimings(dir: string, guidance: number, images: number, precision: string): PeerTiming {
  const script = path.join(import.meta.dirname, 'janus-peer-timing.ts');
  const tsx = path.join(import.meta.dirname, '..', '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const run = spawnSync(process.execPath, [tsx, script, dir, PROMPT, String(guidance), String(images), precision], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new CliError(`transformers.js peer failed: ${(run.stderr || run.error?.message || '').trim().split('\n').at(-1)}`, EXIT.internal);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as PeerTiming;
}

export async function benchJanus(dir: string, options: EngineOptions, images: number): Promise<void> {
  const precision = options.precision ?? 'fp32';
  const config = await readJanusConfig(dir);
  const rssBefore = process.memoryUsage().rss;
  const model = await openJanusModel(dir, { ...options, precision }, 'transformers.js');
  const guidance = model.info.defaults.guidance > 1 ? model.info.defaults.guidance : 5;
  const settings = resolveSettings(model.info.defaults, { candidates: 1, guidance, temperature: 1, topK: 0, topP: 1 });
  const tokens = config.grid ** 2;
  const prompt = model.prepare(PROMPT);

  await generateImages(model, { prompt: PROMPT, seed: 0, settings }); // warm-up
  const totals: number[] = [];
  const decodes: number[] = [];
  const graphs: number[] = [];
  const languageModel: number[] = [];
  for (let i = 1; i <= images; i++) {
    const start = performance.now();
    const decoded = await decodeTokens(model, { prompt, settings, seed: i });
    await model.detokenize(decoded.grids);
    totals.push(performance.now() - start);
    decodes.push(decoded.decodeMs);
    graphs.push(decoded.decoderGraphMs);
    languageModel.push(decoded.graphMs.language_model ?? 0);
  }
  let firstPreviewMs = Number.NaN;
  const previewStart = performance.now();
  await generateImages(model, { prompt: PROMPT, seed: 99, settings }, {
    onProgress: (event) => { if (event.previews && Number.isNaN(firstPreviewMs)) firstPreviewMs = performance.now() - previewStart; },
  });
  const engineRss = process.resourceUsage().maxRSS * 1024 - rssBefore;
  const engineSteady = process.memoryUsage().rss - rssBefore;
  const state = await model.startDecoding({ prompt, negativePrompt: model.prepare(''), candidates: 1, guided: true, useCache: true });
  await state.begin([], 0);
  const copied = state.cacheBytesCopied;
  // The whole image's cache: the prompt's, plus 576 positions of both rows in every layer.
  const cacheBytes = state.cacheBytes + tokens * state.rows * config.layers * 2 * config.kvHeads * config.headDim * 4;
  await model.release();

  const weights = GRAPHS.reduce((sum, graph) => sum + statSync(path.join(dir, 'onnx', `${graph}${PRECISION_SUFFIX[precision]}.onnx`)).size, 0);

  const peer = peerTimings(dir, guidance, images, precision);
  const peerTotal = median(peer.runs.map((r) => r.totalMs));
  const peerDecode = median(peer.runs.map((r) => r.decodeMs));
  const peerRss = peer.maxRss - peer.rssBefore;
  const engineTotal = median(totals);
  const engineDecode = median(decodes);

  const rows: [string, string, string, string][] = [
    ['seconds per image, 1 candidate, guidance (median)', seconds(engineTotal), seconds(peerTotal), `x${(peerTotal / engineTotal).toFixed(2)} (goal >= x1.5)`],
    ['image tokens per second (decoding only)', (tokens / (engineDecode / 1000)).toFixed(1), (tokens / (peerDecode / 1000)).toFixed(1), ''],
    ['  of which decoder graphs (language model + heads) per token', `${(median(graphs) / tokens).toFixed(1)} ms`, 'n/a', ''],
    ['time to first preview (1/8 of the tokens, decoded)', seconds(firstPreviewMs), 'no previews', ''],
    ['peak resident memory above the process baseline', gib(engineRss), gib(peerRss), `weights ${gib(weights)} + cache ${gib(cacheBytes)}: x${(engineRss / (weights + cacheBytes)).toFixed(2)} (goal <= x1.2)`],
    ['resident memory after the images, above the baseline', gib(engineSteady), gib(peer.rssAfter - peer.rssBefore), `x${(engineSteady / (weights + cacheBytes)).toFixed(2)} of weights + cache`],
    ['key/value bytes the runtime copies per step (JS)', `${copied} B`, 'attention mask re-concatenated', 'the graph appends to its cache (Concat) itself'],
  ];
  if (config.layers < JANUS_PRO_1B_LAYERS) {
    // Same graph, same added work for both sides: each missing layer costs what one measured layer costs.
    const perLayer = median(languageModel) / tokens / config.layers;
    const added = tokens * (JANUS_PRO_1B_LAYERS - config.layers) * perLayer;
    rows.push([
      `extrapolated to ${JANUS_PRO_1B_LAYERS} layers (+576 x ${JANUS_PRO_1B_LAYERS - config.layers} x ${perLayer.toFixed(1)} ms per layer-step)`,
      seconds(engineTotal + added), seconds(peerTotal + added), `x${((peerTotal + added) / (engineTotal + added)).toFixed(2)}`,
    ]);
  }
  console.log(`model ${model.info.id} (${config.layers} layers, ${config.codes} codes), precision ${precision}, ${tokens} tokens, guidance ${guidance}, ${images} image(s) each, ${model.providers.sessions.find((s) => s.graph === model.providers.decodingGraph)?.provider} provider`);
  const header: [string, string, string, string] = ['figure', 'engine', 'transformers.js', 'ratio / note'];
  const width = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, c) => cell.padEnd(width[c]!)).join(' | ')} |`;
  console.log([line(header), line(width.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
}
