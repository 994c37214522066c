/**
 * Variations ("more like this"): keep a share of the source's token cells exactly and
 * resample the rest with the source's prompt or a new one, by the same forced decoding as
 * editing. Strength 0 keeps every cell (the source back), 1 keeps none (a fresh image with
 * the same seed); in between, `rows` keeps the first round((1 − s) · grid) rows, `cells` a
 * seeded random subset of round((1 − s) · grid²) cells.
 */
import { SAMPLING_LIMITS } from '../common/sampling.js';
import { keptCount, VariationParameters as VariationShape } from '../common/variation.js';
import { EngineError, throwIfAborted } from './errors.js';
import { sourceTokens } from './edit.js';
import { decodeTokens, finishCandidates, prepareRun, runResult, type DecodeOutput } from './generate.js';
import { centreCrop, loadImage } from './image.js';
import { ForcedTokensProcessor } from './logits/index.js';
import type { LoadedModel } from './models/index.js';
import { Xoshiro128 } from './sampler.js';
import type { RunOptions, VariationParameters, VariationRequest, VariationResult } from './types.js';

/**
 * The cells a variation keeps (grid × grid, raster order). The random subset draws from the
 * seed's stream past every candidate's (candidate i uses i jumps), so it never shares numbers
 * with the sampling and is the same for the same seed.
 */
export function keptCells(grid: number, variation: VariationParameters, seed: number): boolean[] {
  const cells = grid * grid;
  const kept = new Array<boolean>(cells).fill(false);
  const count = keptCount(grid, variation);
  if (variation.keep === 'rows') {
    kept.fill(true, 0, count * grid);
    return kept;
  }
  const order = Array.from({ length: cells }, (_, cell) => cell);
  const random = new Xoshiro128(seed, SAMPLING_LIMITS.candidates.max);
  // The first `count` places of a Fisher–Yates shuffle: a uniform subset of that size.
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random.nextFloat() * (cells - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
    kept[order[i]!] = true;
  }
  return kept;
}

/** Every cell kept: nothing to sample, each candidate is the source's grid. */
function sourceOnly(tokens: Int32Array, candidates: number): DecodeOutput {
  return {
    grids: Array.from({ length: candidates }, () => Int32Array.from(tokens)),
    fit: Array<number>(candidates).fill(Number.NaN),
    sampledLogProbability: Array<number>(candidates).fill(Number.NaN),
    encodeMs: 0,
    decodeMs: 0,
    decoderGraphMs: 0,
    graphMs: {},
  };
}

export async function varyImage(model: LoadedModel, request: VariationRequest, options: RunOptions = {}): Promise<VariationResult> {
  const start = performance.now();
  const run = prepareRun(model, request);
  const parsed = VariationShape.safeParse({ strength: request.strength, keep: request.keep });
  if (!parsed.success) {
    throw new EngineError('BAD_REQUEST', `Cannot make a variation with strength ${request.strength} and keep "${request.keep}": the strength is a number from 0 to 1, and keep is rows or cells.`);
  }
  const variation: VariationParameters = parsed.data;
  const kept = keptCells(model.info.grid, variation, run.seed);
  const source = await sourceTokens(model, request.image, centreCrop(await loadImage(request.image, 'image')));
  throwIfAborted(options.signal);

  const decoded = kept.every(Boolean)
    ? sourceOnly(source, run.settings.candidates)
    : await decodeTokens(model, { ...run, forced: Int32Array.from(source, (token, cell) => (kept[cell] ? token : ForcedTokensProcessor.FREE)), previewBase: source }, options);
  const finished = await finishCandidates(model, run.prompt, decoded, options);
  // "More like this" is judged by the prompt: best score first (the reranker, else log-p),
  // not by how well the kept cells fit as edits are (random cells would otherwise rank by fit).
  finished.candidates.sort((a, b) => b.score - a.score || a.index - b.index);
  return {
    kind: 'variation',
    ...runResult(model, { ...run, start }, decoded, finished),
    ...(request.sourceId !== undefined ? { sourceId: request.sourceId } : {}),
    variation,
    keptCells: kept,
  };
}
