/**
 * Extending the canvas (outpainting), the sliding window of VQ transformers: the image grows
 * by whole token rows or columns on one side, and the new strip is generated inside one
 * grid × grid window of the model's own grid that also holds the kept cells next to it,
 * forced. Right and bottom growth put the kept cells first in raster order (natural context),
 * and candidates are ordered by their score; top and left put them after the new ones, so
 * candidates are ordered by how likely the kept cells are after what was drawn (`fit`), then
 * the score, as editing does. Only that window is decoded; the
 * source's own pixels are put back over the source's area, so they stay byte for byte.
 */
import { readFile } from 'node:fs/promises';
import { extensionLayout, type ExtendSide, type ExtensionLayout } from '../common/extension.js';
import { EngineError, throwIfAborted } from './errors.js';
import { decodeTokens, finishCandidates, prepareRun, runResult } from './generate.js';
import { centreCrop, loadImage, resizeImage, rgbaImage } from './image.js';
import { ForcedTokensProcessor } from './logits/index.js';
import type { LoadedModel } from './models/index.js';
import { isPng, readPngTokens } from './png.js';
import type { ExtendAmount, ExtendRequest, ExtendResult, ImageSource, RgbaImage, RunOptions } from './types.js';

/** A token canvas (columns × rows cells, raster order) and its pixels at the model's cell size. */
export interface TokenCanvas {
  columns: number;
  rows: number;
  tokens: Int32Array;
  pixels: RgbaImage;
}

/** Top and left growth put the kept cells after the new ones in raster order. */
const keepsCellsAfterNew = (side: ExtendSide): boolean => side === 'top' || side === 'left';

/** Copies `block` (blockWidth wide, `channels` values per element) into `target` (targetWidth wide) at (left, top). */
function paste<T extends Int32Array | Uint8ClampedArray>(target: T, targetWidth: number, block: T, blockWidth: number, left: number, top: number, channels = 1): void {
  const stride = blockWidth * channels;
  for (let y = 0; y * stride < block.length; y++) target.set(block.subarray(y * stride, (y + 1) * stride), ((top + y) * targetWidth + left) * channels);
}

/**
 * The source as a token canvas: a PNG this model made carries its tokens (a square image, or
 * one extended before, whose size in pixels gives its cells); any other image is
 * centre-cropped, resized to the model's resolution and encoded.
 */
export async function readTokenCanvas(model: LoadedModel, image: ImageSource): Promise<TokenCanvas> {
  const { grid, resolution, id } = model.info;
  const cellSize = resolution / grid;
  const bytes = typeof image === 'string' ? await readFile(image).catch(() => undefined) : image instanceof Uint8Array ? image : undefined;
  const stored = bytes && isPng(bytes) ? readPngTokens(bytes) : undefined;
  const pixels = await loadImage(image, 'image');
  const columns = pixels.width / cellSize;
  const rows = pixels.height / cellSize;
  if (stored?.modelId === id && Number.isInteger(columns) && Number.isInteger(rows) && stored.tokens.length === columns * rows) {
    return { columns, rows, tokens: stored.tokens, pixels };
  }
  const square = await resizeImage(centreCrop(pixels), resolution, resolution);
  const [tokens] = await model.encodeImages([square]);
  return { columns: grid, rows: grid, tokens: tokens!, pixels: square };
}

/** The window's tokens: the source's where the window overlaps it, FREE over the new strip. */
function windowForcing(source: TokenCanvas, layout: ExtensionLayout, grid: number): Int32Array {
  const forced = new Int32Array(grid * grid).fill(ForcedTokensProcessor.FREE);
  for (let y = 0; y < grid; y++) {
    for (let x = 0; x < grid; x++) {
      const column = layout.window.column + x - layout.source.column;
      const row = layout.window.row + y - layout.source.row;
      if (column >= 0 && column < source.columns && row >= 0 && row < source.rows) forced[y * grid + x] = source.tokens[row * source.columns + column]!;
    }
  }
  return forced;
}

export async function extendImage(model: LoadedModel, request: ExtendRequest, options: RunOptions = {}): Promise<ExtendResult> {
  const start = performance.now();
  const run = prepareRun(model, request);
  const { grid, resolution } = model.info;
  const cellSize = resolution / grid;
  const source = await readTokenCanvas(model, request.image);
  const layout = extensionLayout(source, request, grid);
  if ('refusal' in layout) throw new EngineError('BAD_REQUEST', layout.refusal);
  throwIfAborted(options.signal);

  const decoded = await decodeTokens(model, { ...run, forced: windowForcing(source, layout, grid) }, options);
  const finished = await finishCandidates(model, run.prompt, decoded, options);
  if (!keepsCellsAfterNew(request.side)) {
    // Right and bottom: the kept cells lead in raster order and were the context of every new
    // token, so their own likelihood says little about the strip: the score alone orders.
    for (const candidate of finished.candidates) delete candidate.fit;
    finished.candidates.sort((a, b) => b.score - a.score || a.index - b.index);
  }

  options.onProgress?.({ phase: 'composite', tokensDone: grid * grid, totalTokens: grid * grid });
  const canvasTokens: Int32Array[] = [];
  const composites: RgbaImage[] = [];
  const width = layout.columns * cellSize;
  for (const candidate of finished.candidates) {
    const tokens = new Int32Array(layout.columns * layout.rows);
    paste(tokens, layout.columns, source.tokens, source.columns, layout.source.column, layout.source.row);
    paste(tokens, layout.columns, candidate.tokens, grid, layout.window.column, layout.window.row);
    canvasTokens.push(tokens);
    const image = rgbaImage(width, layout.rows * cellSize);
    paste(image.data, width, candidate.image.data, resolution, layout.window.column * cellSize, layout.window.row * cellSize, 4);
    paste(image.data, width, source.pixels.data, source.pixels.width, layout.source.column * cellSize, layout.source.row * cellSize, 4);
    composites.push(image);
  }
  return {
    kind: 'extend',
    ...runResult(model, { ...run, start }, decoded, finished),
    ...(request.sourceId !== undefined ? { sourceId: request.sourceId } : {}),
    extension: { side: request.side, by: request.by, columns: layout.columns, rows: layout.rows },
    window: layout.window,
    canvasTokens,
    composites,
  };
}
