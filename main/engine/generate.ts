/**
 * The generation loop: prepare (the model family feeds the prompt once) -> step the decoder
 * -> process the logits -> sample -> stream progress -> stop after grid × grid tokens; then
 * detokenize and order the candidates (the model's reranker, or else their mean
 * log-probability). All candidates, and their unconditional twins for guidance, are rows of
 * one batch. Nothing here knows which family runs (models/model.ts).
 */
import { throwIfAborted } from './errors.js';
import { applyGuidance, buildProcessors, ForcedTokensProcessor, processLogits, type LogitsBatch } from './logits/index.js';
import type { LoadedModel, StepLogits } from './models/index.js';
import { candidateGenerators, sampleCategorical } from './sampler.js';
import { resolveSeed, resolveSettings } from './settings.js';
import type { PreparedPrompt } from './models/index.js';
import type { Candidate, GenerateRequest, GenerateResult, ProgressEvent, RgbaImage, RunOptions, SamplingSettings } from './types.js';

export interface DecodePlan {
  prompt: PreparedPrompt;
  /** What the unconditional rows read (guidance only); the empty prompt when left out. */
  negativePrompt?: PreparedPrompt;
  settings: SamplingSettings;
  seed: number;
  /** Editing: the token each position must take, or ForcedTokensProcessor.FREE where it is sampled. */
  forced?: Int32Array;
  /** Benchmark only: false re-feeds the whole prefix every step instead of using the cache. */
  useCache?: boolean;
  /** Fills cells not decoded yet in previews (editing: the source's tokens); transparent otherwise. */
  previewBase?: Int32Array;
}

export interface DecodeOutput {
  grids: Int32Array[];
  /** Per candidate, mean log-probability (conditional rows) of the forced tokens after the first free one; NaN if none. */
  fit: number[];
  /** Per candidate, mean log-probability of its sampled tokens under the distribution each was drawn from. */
  sampledLogProbability: number[];
  encodeMs: number;
  decodeMs: number;
  /** The part of decodeMs spent in the decoder graph (the rest is logits processing, sampling, previews). */
  decoderGraphMs: number;
  /** Milliseconds per graph of the decoding state (the family's own split of decoderGraphMs). */
  graphMs: Readonly<Record<string, number>>;
}

/** Previews at least every eighth of the tokens. */
function previewInterval(totalTokens: number): number {
  return Math.max(1, Math.floor(totalTokens / 8));
}

/** Samples `settings.candidates` token grids for the plan. Throws CANCELLED when the signal fires. */
export async function decodeTokens(model: LoadedModel, plan: DecodePlan, options: RunOptions = {}): Promise<DecodeOutput> {
  const { settings, forced } = plan;
  const { grid } = model.info;
  const cells = grid * grid;
  const n = settings.candidates;
  const guided = settings.guidance !== 1;
  const rows = guided ? 2 * n : n;
  const report = (event: ProgressEvent) => options.onProgress?.(event);

  const encodeStart = performance.now();
  report({ phase: 'encode', tokensDone: 0, totalTokens: cells });
  const state = await model.startDecoding({ prompt: plan.prompt, negativePrompt: plan.negativePrompt ?? model.prepare(''), candidates: n, guided, useCache: plan.useCache ?? true });
  let decoderGraphMs = 0;
  const timed = async (run: Promise<StepLogits>) => {
    const start = performance.now();
    const out = await run;
    decoderGraphMs += performance.now() - start;
    return out;
  };
  const step = (tokens: number[], steps: number) => timed(state.step(tokens, steps));
  const encodeMs = performance.now() - encodeStart;
  throwIfAborted(options.signal);

  const decodeStart = performance.now();
  const processors = buildProcessors(settings, forced);
  const generators = candidateGenerators(plan.seed, n);
  const grids = Array.from({ length: n }, () => new Int32Array(cells));
  const isFree = (p: number) => !forced || forced[p] === ForcedTokensProcessor.FREE;
  const freePositions = Array.from({ length: cells }, (_, p) => p).filter(isFree);
  const firstFree = freePositions[0] ?? cells;
  const lastFree = freePositions.at(-1) ?? cells - 1;
  const logLikelihood = new Float64Array(n);
  const sampledLogProbability = new Float64Array(n);
  let sampledCount = 0;
  let scored = 0;
  const score = (logits: LogitsBatch, position: number) => {
    scoreForced(logits, n, forced![position]!, logLikelihood);
    scored++;
  };
  const interval = previewInterval(cells);
  const reportDecoded = async (done: number) =>
    report({ phase: 'decode', tokensDone: done, totalTokens: cells, previews: options.onProgress ? await previews(model, grids, done, plan.previewBase) : undefined });

  // Forced runs are known in advance, so each is fed as one chunk: the prefix before the first
  // free cell (with the start token), and the suffix after the last one (scored as a whole).
  for (const g of grids) g.set(forced?.subarray(0, firstFree) ?? []);
  let logits = await timed(state.begin(rowTokens(rows, n, (c) => grids[c]!.subarray(0, firstFree)), firstFree));
  for (let position = firstFree; position <= lastFree; position++) {
    throwIfAborted(options.signal);
    const last = stepAt(logits, logits.steps - 1);
    if (!isFree(position)) score(last, position);
    const next = guided ? applyGuidance(last, settings.guidance) : last;
    processLogits(processors, next, position);
    for (let c = 0; c < n; c++) grids[c]![position] = sampleCategorical(next.data, c * next.vocab, next.vocab, generators[c]!);
    if (!model.rerank && isFree(position)) {
      addLogProbabilities(next, n, (c) => grids[c]![position]!, sampledLogProbability);
      sampledCount++;
    }

    const done = position + 1;
    if (done % interval === 0 || done === cells) await reportDecoded(done);
    if (done === cells) break;
    const suffix = position === lastFree ? Array.from(forced?.subarray(done, cells - 1) ?? []) : [];
    logits = await step(rowTokens(rows, n, (c) => [grids[c]![position]!, ...suffix]), 1 + suffix.length);
  }
  if (lastFree < cells - 1) {
    throwIfAborted(options.signal);
    for (let s = 0; s < logits.steps; s++) score(stepAt(logits, s), lastFree + 1 + s);
    for (const g of grids) g.set(forced!.subarray(lastFree + 1), lastFree + 1);
    await reportDecoded(cells);
  }
  throwIfAborted(options.signal);
  return {
    grids,
    fit: Array.from(logLikelihood, (sum) => (scored > 0 ? sum / scored : Number.NaN)),
    sampledLogProbability: Array.from(sampledLogProbability, (sum) => (sampledCount > 0 ? sum / sampledCount : Number.NaN)),
    encodeMs,
    decodeMs: performance.now() - decodeStart,
    decoderGraphMs,
    graphMs: state.graphMs,
  };
}

/** Decoder input for every row: row r belongs to candidate r mod n (cond rows, then uncond twins). */
function rowTokens(rows: number, n: number, tokensOf: (candidate: number) => ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) out.push(...Array.from(tokensOf(r % n)));
  return out;
}

/** The logits of fed position `step` of each row. */
function stepAt(logits: StepLogits, step: number): LogitsBatch {
  if (logits.steps === 1) return { data: logits.data, rows: logits.rows, vocab: logits.vocab };
  const data = new Float32Array(logits.rows * logits.vocab);
  for (let r = 0; r < logits.rows; r++) {
    const from = (r * logits.steps + step) * logits.vocab;
    data.set(logits.data.subarray(from, from + logits.vocab), r * logits.vocab);
  }
  return { data, rows: logits.rows, vocab: logits.vocab };
}

/** Adds log softmax(cond row)[token] to each candidate's total (cond rows are the first n). */
function scoreForced(logits: LogitsBatch, n: number, token: number, totals: Float64Array): void {
  addLogProbabilities(logits, n, () => token, totals);
}

/** Adds log softmax(row c)[tokenOf(c)] to candidate c's total, for the first n rows. */
function addLogProbabilities(logits: LogitsBatch, n: number, tokenOf: (candidate: number) => number, totals: Float64Array): void {
  for (let c = 0; c < n; c++) {
    const row = logits.data.subarray(c * logits.vocab, (c + 1) * logits.vocab);
    let max = -Infinity;
    for (const v of row) max = Math.max(max, v);
    let sum = 0;
    for (const v of row) sum += Math.exp(v - max);
    totals[c]! += row[tokenOf(c)]! - max - Math.log(sum);
  }
}

/** Partial images: cells not decoded yet show `base`'s token when given, else are transparent. */
async function previews(model: LoadedModel, grids: Int32Array[], done: number, base?: Int32Array): Promise<RgbaImage[]> {
  const partial = grids.map((g) => {
    const copy = base ? Int32Array.from(base) : new Int32Array(g.length);
    copy.set(g.subarray(0, done));
    return copy;
  });
  const images = await model.detokenize(partial);
  if (!base) for (const image of images) hideCellsFrom(image, done, model.info.grid);
  return images;
}

/** Sets alpha 0 on every cell from raster index `first` on. */
function hideCellsFrom(image: RgbaImage, first: number, grid: number): void {
  const cellSize = image.width / grid;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (Math.floor(y / cellSize) * grid + Math.floor(x / cellSize) >= first) image.data[(y * image.width + x) * 4 + 3] = 0;
    }
  }
}

/** Detokenizes and orders decoded grids (reranker, else mean log-probability); candidates come back best first. */
export async function finishCandidates(
  model: LoadedModel,
  prompt: PreparedPrompt,
  decoded: DecodeOutput,
  options: RunOptions,
): Promise<{ candidates: Candidate[]; detokenizeMs: number; rerankMs: number }> {
  const cells = decoded.grids[0]?.length ?? 0;
  const detokenizeStart = performance.now();
  options.onProgress?.({ phase: 'detokenize', tokensDone: cells, totalTokens: cells });
  const images = await model.detokenize(decoded.grids);
  throwIfAborted(options.signal);
  const rerankStart = performance.now();
  options.onProgress?.({ phase: 'rerank', tokensDone: cells, totalTokens: cells });
  const scores = model.rerank ? await model.rerank(prompt, decoded.grids) : decoded.sampledLogProbability;
  throwIfAborted(options.signal);
  const candidates = decoded.grids.map((tokens, index): Candidate => {
    const likelihood = decoded.fit[index]!;
    return { index, tokens, image: images[index]!, score: scores[index]!, ...(Number.isNaN(likelihood) ? {} : { fit: likelihood }) };
  });
  // Edits: likelier forced suffix first, then the score; generation: the score alone.
  candidates.sort((a, b) => (b.fit ?? 0) - (a.fit ?? 0) || b.score - a.score || a.index - b.index);
  return { candidates, detokenizeMs: rerankStart - detokenizeStart, rerankMs: performance.now() - rerankStart };
}

type FinishedCandidates = Awaited<ReturnType<typeof finishCandidates>>;

/** What a request resolves to, once: the prompt as read, the full settings and the seed. */
export interface PreparedRun {
  prompt: PreparedPrompt;
  /** What the unconditional rows read: the negative prompt, or the empty one. */
  negativePrompt: PreparedPrompt;
  settings: SamplingSettings;
  seed: number;
}

export function prepareRun(model: LoadedModel, request: GenerateRequest): PreparedRun {
  return {
    prompt: model.prepare(request.prompt),
    negativePrompt: model.prepare(request.negativePrompt?.trim() ?? ''),
    settings: resolveSettings(model.info.defaults, request.settings ?? {}),
    seed: resolveSeed(request.seed),
  };
}

/** The fields every result shares: what was asked, how the model read it, the candidates, the timings. */
export function runResult(
  model: LoadedModel,
  run: PreparedRun & { start: number },
  decoded: DecodeOutput,
  finished: FinishedCandidates,
) {
  return {
    prompt: run.prompt.text,
    ...(run.negativePrompt.text ? { negativePrompt: run.negativePrompt.text } : {}),
    normalizedPrompt: run.prompt.normalized,
    unknownWords: run.prompt.unknownWords,
    seed: run.seed,
    settings: run.settings,
    modelId: model.info.id,
    candidates: finished.candidates,
    scoreKind: model.info.scoreKind,
    timings: {
      totalMs: performance.now() - run.start,
      encodeMs: decoded.encodeMs,
      decodeMs: decoded.decodeMs,
      detokenizeMs: finished.detokenizeMs,
      rerankMs: finished.rerankMs,
    },
  };
}

export async function generateImages(model: LoadedModel, request: GenerateRequest, options: RunOptions = {}): Promise<GenerateResult> {
  const start = performance.now();
  const run = prepareRun(model, request);
  const decoded = await decodeTokens(model, run, options);
  const finished = await finishCandidates(model, run.prompt, decoded, options);
  return { kind: 'generate', ...runResult(model, { ...run, start }, decoded, finished) };
}
