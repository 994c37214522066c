/**
 * The bench for a Janus folder (npm run bench -- --model DIR): this engine and
 * transformers.js's generate_images (the peer, in a child process) on the same graphs
 * (--precision, fp32 by default), prompt and settings (1 candidate, the model's guidance,
 * temperature 1, no top-k/top-p) in one run; the engine feeds transformers.js's
 * unconditional row here so both sides compute the same thing. Both run as the studio runs
 * its engine: the bench re-starts itself with the engine process's malloc settings and V8
 * flags (the peer inherits them), so the ratio is the engine's own and not glibc's.
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
import { engineProcessStart, MALLOC_DEFAULTS } from '../engine/process/engine-process.js';
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

interface EngineTiming {
  totals: number[];
  decodes: number[];
  /** Decoder graphs (language model + heads) per image, ms. */
  graphs: number[];
  /** The language model's share of `graphs`, ms per image. */
  languageModel: number[];
  firstPreviewMs: number;
  precision: string;
  provider: string;
  copied: number;
  cacheBytes: number;
}

/** The engine on `dir`: `images` timed images after a warm-up, one more for the first preview, and the cache it holds. */
async function timeEngine(dir: string, options: EngineOptions, images: number, guidance: number): Promise<EngineTiming> {
  const config = await readJanusConfig(dir);
  const tokens = config.grid ** 2;
  const model = await openJanusModel(dir, options, 'transformers.js');
  const settings = resolveSettings(model.info.defaults, { candidates: 1, guidance, temperature: 1, topK: 0, topP: 1 });
  const prompt = model.prepare(PROMPT);
  await generateImages(model, { prompt: PROMPT, seed: 0, settings }); // warm-up
  const timing: EngineTiming = {
    totals: [], decodes: [], graphs: [], languageModel: [], firstPreviewMs: Number.NaN, precision: model.info.precision,
    provider: model.providers.sessions.find((s) => s.graph === model.providers.decodingGraph)?.provider ?? '', copied: 0, cacheBytes: 0,
  };
  for (let i = 1; i <= images; i++) {
    const start = performance.now();
    const decoded = await decodeTokens(model, { prompt, settings, seed: i });
    await model.detokenize(decoded.grids);
    timing.totals.push(performance.now() - start);
    timing.decodes.push(decoded.decodeMs);
    timing.graphs.push(decoded.decoderGraphMs);
    timing.languageModel.push(decoded.graphMs.language_model ?? 0);
  }
  const previewStart = performance.now();
  await generateImages(model, { prompt: PROMPT, seed: 99, settings }, {
    onProgress: (event) => { if (event.previews && Number.isNaN(timing.firstPreviewMs)) timing.firstPreviewMs = performance.now() - previewStart; },
  });
  const state = await model.startDecoding({ prompt, negativePrompt: model.prepare(''), candidates: 1, guided: true, useCache: true });
  await state.begin([], 0);
  timing.copied = state.cacheBytesCopied;
  // The whole image's cache: the prompt's, plus 576 positions of both rows in every layer.
  timing.cacheBytes = state.cacheBytes + tokens * state.rows * config.layers * 2 * config.kvHeads * config.headDim * 4;
  await model.release();
  return timing;
}

/** True once this process runs with the engine process's malloc settings (or the user's own). */
const inEngineConditions = () => Object.keys(MALLOC_DEFAULTS).every((name) => process.env[name] !== undefined);

export async function benchJanus(dir: string, options: EngineOptions, images: number): Promise<void> {
  if (!inEngineConditions()) {
    // glibc reads its settings at start-up, so they take a fresh process.
    const { env, execArgv } = engineProcessStart();
    const child = spawnSync(process.execPath, [...execArgv, ...process.execArgv, ...process.argv.slice(1)], { env, stdio: 'inherit' });
    if (child.status !== 0) throw new CliError(`the bench's run with the engine's settings ended with ${child.error?.message ?? `exit code ${child.status}`}`, EXIT.internal);
    return;
  }
  const precision = options.precision ?? 'fp32';
  const config = await readJanusConfig(dir);
  const tokens = config.grid ** 2;
  const guidance = config.defaults.guidance > 1 ? config.defaults.guidance : 5;
  const rssBefore = process.memoryUsage().rss;
  const engine = await timeEngine(dir, { ...options, precision }, images, guidance);
  const engineRss = process.resourceUsage().maxRSS * 1024 - rssBefore;
  const engineSteady = process.memoryUsage().rss - rssBefore;
  // 4-bit graphs run on the int8 kernel by default; the same files as published (fp32
  // widening, what transformers.js runs) show what that choice buys, graph for graph.
  const published = engine.precision.includes('(int8 compute)') ? await timeEngine(dir, { ...options, precision, int8Compute: false }, images, guidance) : undefined;

  const weights = GRAPHS.reduce((sum, graph) => sum + statSync(path.join(dir, 'onnx', `${graph}${PRECISION_SUFFIX[precision]}.onnx`)).size, 0);

  const peer = peerTimings(dir, guidance, images, precision);
  const peerTotal = median(peer.runs.map((r) => r.totalMs));
  const peerDecode = median(peer.runs.map((r) => r.decodeMs));
  const peerRss = peer.maxRss - peer.rssBefore;
  const engineTotal = median(engine.totals);
  const engineDecode = median(engine.decodes);
  const { copied, cacheBytes } = engine;

  const rows: [string, string, string, string][] = [
    ['seconds per image, 1 candidate, guidance (median)', seconds(engineTotal), seconds(peerTotal), `x${(peerTotal / engineTotal).toFixed(2)} (goal >= x1.5)`],
    ...(published ? [['  the same files as published (fp32 widening, --fp32-compute)', seconds(median(published.totals)), seconds(peerTotal), `x${(peerTotal / median(published.totals)).toFixed(2)}`] as [string, string, string, string]] : []),
    ['image tokens per second (decoding only)', (tokens / (engineDecode / 1000)).toFixed(1), (tokens / (peerDecode / 1000)).toFixed(1), ''],
    ['  of which decoder graphs (language model + heads) per token', `${(median(engine.graphs) / tokens).toFixed(1)} ms`, published ? `${(median(published.graphs) / tokens).toFixed(1)} ms (engine, as published)` : 'n/a', ''],
    ['time to first preview (1/8 of the tokens, decoded)', seconds(engine.firstPreviewMs), 'no previews', ''],
    ['peak resident memory above the process baseline', gib(engineRss), gib(peerRss), `weights ${gib(weights)} + cache ${gib(cacheBytes)}: x${(engineRss / (weights + cacheBytes)).toFixed(2)} (goal <= x1.2)`],
    ['resident memory after the images, above the baseline', gib(engineSteady), gib(peer.rssAfter - peer.rssBefore), `x${(engineSteady / (weights + cacheBytes)).toFixed(2)} of weights + cache`],
    ['key/value bytes the runtime copies per step (JS)', `${copied} B`, 'attention mask re-concatenated', 'the graph appends to its cache (Concat) itself'],
  ];
  if (config.layers < JANUS_PRO_1B_LAYERS) {
    // Each missing layer costs what one measured layer costs on that side's kernel: the
    // peer runs the files as published, so its layers cost what the engine's do on them.
    const perLayer = (timing: EngineTiming) => median(timing.languageModel) / tokens / config.layers;
    const missing = tokens * (JANUS_PRO_1B_LAYERS - config.layers);
    const enginePerLayer = perLayer(engine);
    const peerPerLayer = perLayer(published ?? engine);
    const [engineFull, peerFull] = [engineTotal + missing * enginePerLayer, peerTotal + missing * peerPerLayer];
    rows.push([
      `extrapolated to ${JANUS_PRO_1B_LAYERS} layers (+576 x ${JANUS_PRO_1B_LAYERS - config.layers} layer-steps at ${enginePerLayer.toFixed(1)} / ${peerPerLayer.toFixed(1)} ms)`,
      seconds(engineFull), seconds(peerFull), `x${(peerFull / engineFull).toFixed(2)}`,
    ]);
  }
  console.log(`model ${path.basename(dir)} (${config.layers} layers, ${config.codes} codes), precision ${engine.precision}, ${tokens} tokens, guidance ${guidance}, ${images} image(s) each, ${engine.provider} provider, both sides with the engine process's malloc settings`);
  const header: [string, string, string, string] = ['figure', 'engine', 'transformers.js', 'ratio / note'];
  const width = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, c) => cell.padEnd(width[c]!)).join(' | ')} |`;
  console.log([line(header), line(width.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
}
