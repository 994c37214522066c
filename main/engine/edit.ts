/**
 * Editing: image -> tokens, mask -> token cells, forced decoding of every unmasked cell,
 * candidates ordered by the likelihood of the forced tokens after the first regenerated
 * cell (the raster order otherwise never looks at what follows the change), then by the
 * reranker; finally each candidate is composited over the source so that pixels outside
 * the mask stay the source's own.
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { EngineError, throwIfAborted } from './errors.js';
import { decodeTokens, finishCandidates, prepareRun, runResult } from './generate.js';
import { centreCrop, loadImage, resizeImage, rgbaImage } from './image.js';
import { ForcedTokensProcessor } from './logits/index.js';
import type { LoadedModel } from './models/index.js';
import { isPng, readPngTokens } from './png.js';
import type { EditRequest, EditResult, ImageSource, RgbaImage, RunOptions } from './types.js';

/** A mask pixel marks "regenerate" when its grey level (times its alpha) is at least half white. */
function isMasked(data: Uint8ClampedArray, pixel: number): boolean {
  const o = pixel * 4;
  const grey = (data[o]! + data[o + 1]! + data[o + 2]!) / 3;
  return (grey * data[o + 3]!) / 255 >= 127.5;
}

/**
 * Token cells (grid × grid, raster order) covering the mask: a cell is regenerated when any
 * of its pixels is masked, so every masked pixel lies in a regenerated cell. The mask is
 * square (the crop); cell edges are at round(i × size / grid).
 */
export function maskToCells(mask: RgbaImage, grid: number): boolean[] {
  const cells = new Array<boolean>(grid * grid).fill(false);
  for (let y = 0; y < mask.height; y++) {
    const row = Math.min(grid - 1, Math.floor((y * grid) / mask.height));
    for (let x = 0; x < mask.width; x++) {
      if (isMasked(mask.data, y * mask.width + x)) cells[row * grid + Math.min(grid - 1, Math.floor((x * grid) / mask.width))] = true;
    }
  }
  return cells;
}

/**
 * Blend weight per pixel for the composite: 0 everywhere outside the mask (those pixels stay
 * the source's, exactly), rising to 1 inside it over about `feather` pixels from its edge.
 */
export async function featherAlpha(mask: RgbaImage, feather: number): Promise<Float32Array> {
  const pixels = mask.width * mask.height;
  const binary = new Uint8Array(pixels);
  for (let i = 0; i < pixels; i++) binary[i] = isMasked(mask.data, i) ? 255 : 0;
  const blurred = await sharp(binary, { raw: { width: mask.width, height: mask.height, channels: 1 } })
    .blur(Math.max(0.3, feather / 2))
    .extractChannel(0) // sharp widens one-channel raw input to sRGB
    .raw()
    .toBuffer();
  const alpha = new Float32Array(pixels);
  // Blurred coverage is 1/2 on a straight edge: map [1/2, 1] inside the mask onto [0, 1].
  for (let i = 0; i < pixels; i++) alpha[i] = binary[i] ? Math.min(1, Math.max(0, (blurred[i]! / 255 - 0.5) * 2)) : 0;
  return alpha;
}

/** source × (1 − alpha) + generated × alpha, per pixel; both the same size, result opaque. */
export function composite(source: RgbaImage, generated: RgbaImage, alpha: Float32Array): RgbaImage {
  const out = rgbaImage(source.width, source.height);
  for (let i = 0; i < alpha.length; i++) {
    const a = alpha[i]!;
    for (let c = 0; c < 3; c++) {
      const o = i * 4 + c;
      out.data[o] = a === 0 ? source.data[o]! : Math.round(source.data[o]! * (1 - a) + generated.data[o]! * a);
    }
    out.data[i * 4 + 3] = 255;
  }
  return out;
}

/** The centred square of the image, and of the mask stretched to the image's size. */
async function squareInputs(request: EditRequest): Promise<{ source: RgbaImage; mask: RgbaImage }> {
  const image = await loadImage(request.image, 'image');
  const mask = await resizeImage(await loadImage(request.mask, 'mask'), image.width, image.height);
  return { source: centreCrop(image), mask: centreCrop(mask) };
}

/**
 * The token grid a square PNG made by this model carries (the library keeps every image's
 * tokens in its file); undefined for any other image, which must be encoded.
 */
async function storedTokens(model: LoadedModel, image: ImageSource): Promise<Int32Array | undefined> {
  if (typeof image !== 'string' && !(image instanceof Uint8Array)) return undefined;
  const bytes = typeof image === 'string' ? await readFile(image).catch(() => undefined) : image;
  if (!bytes || !isPng(bytes)) return undefined;
  const stored = readPngTokens(bytes);
  const header = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const square = bytes.length > 24 && header.getUint32(16) === header.getUint32(20); // IHDR width, height
  return stored && square && stored.modelId === model.info.id && stored.tokens.length === model.info.grid ** 2 ? stored.tokens : undefined;
}

/**
 * The source's token grid for forced decoding (editing, variations): the grid a PNG of this
 * model carries, else `square` (the image's centred square) resized and encoded.
 */
export async function sourceTokens(model: LoadedModel, image: ImageSource, square: RgbaImage): Promise<Int32Array> {
  const { resolution } = model.info;
  return (await storedTokens(model, image)) ?? (await model.encodeImages([await resizeImage(square, resolution, resolution)]))[0]!;
}

export async function editImage(model: LoadedModel, request: EditRequest, options: RunOptions = {}): Promise<EditResult> {
  const start = performance.now();
  const run = prepareRun(model, request);
  const { resolution, grid } = model.info;

  const { source, mask } = await squareInputs(request);
  const maskedCells = maskToCells(mask, grid);
  if (!maskedCells.includes(true)) throw new EngineError('BAD_REQUEST', 'The mask is empty: paint white where the image should change.');
  const kept = await sourceTokens(model, request.image, source);
  const forced = Int32Array.from(kept, (token, cell) => (maskedCells[cell] ? ForcedTokensProcessor.FREE : token));
  throwIfAborted(options.signal);

  const decoded = await decodeTokens(model, { ...run, forced, previewBase: kept }, options);
  const finished = await finishCandidates(model, run.prompt, decoded, options);

  options.onProgress?.({ phase: 'composite', tokensDone: grid * grid, totalTokens: grid * grid });
  const alpha = await featherAlpha(mask, (2 * source.width) / resolution);
  const composites: RgbaImage[] = [];
  for (const candidate of finished.candidates) {
    composites.push(composite(source, await resizeImage(candidate.image, source.width, source.height), alpha));
  }
  return {
    kind: 'edit',
    ...runResult(model, { ...run, start }, decoded, finished),
    ...(request.sourceId !== undefined ? { sourceId: request.sourceId } : {}),
    maskedCells,
    composites,
  };
}
