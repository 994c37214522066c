/**
 * Extending the canvas on both families (the tiny shapes package and the tiny Janus
 * replica): the kept cells' tokens are unchanged, the result has the stated size, the kept
 * pixels are byte-equal to the source's, and bad requests are refused in one line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTEND_SIDES, type ExtendSide } from '../../../main/common/extension.js';
import { decodePng, Engine, encodePng, isEngineError, metadataOf, readPngMetadata, readPngText, readPngTokens, type ExtendResult, type RgbaImage } from '../../../main/engine/index.js';
import { cropImage } from '../../../main/engine/image.js';
import { JANUS_TINY } from './janus-peer.js';
import { TINY_PACKAGE } from './fixtures.js';

/** A generated image as the library saves it: its pixels and its token grid in one PNG. */
async function madeImage(engine: Engine, prompt: string, seed: number): Promise<{ png: Uint8Array; tokens: Int32Array; image: RgbaImage }> {
  const made = await engine.generate({ prompt, seed, settings: { candidates: 1 } });
  const best = made.candidates[0]!;
  return { png: encodePng(best.image, metadataOf(made, 0), best.tokens), tokens: best.tokens, image: best.image };
}

/** The canvas PNG of the best candidate, as the studio saves it. */
const resultPng = (result: ExtendResult, rank = 0) => encodePng(result.composites[rank]!, metadataOf(result, rank), result.canvasTokens[rank]);

/** Cells of a raster canvas `columns` wide inside the block at (left, top) of size w × h. */
function block(tokens: Int32Array, columns: number, left: number, top: number, w: number, h: number): number[] {
  const out: number[] = [];
  for (let y = top; y < top + h; y++) for (let x = left; x < left + w; x++) out.push(tokens[y * columns + x]!);
  return out;
}

/** Asserts the kept part of every candidate: tokens, and pixels byte for byte. */
function expectSourceKept(result: ExtendResult, source: { tokens: Int32Array; image: RgbaImage }, grid: number, cellSize: number): void {
  const { side, by, columns } = result.extension;
  const left = side === 'left' ? by : 0;
  const top = side === 'top' ? by : 0;
  result.canvasTokens.forEach((tokens, rank) => {
    expect(block(tokens, columns, left, top, grid, grid)).toEqual(Array.from(source.tokens));
    const kept = cropImage(result.composites[rank]!, left * cellSize, top * cellSize, grid * cellSize, grid * cellSize);
    expect(Buffer.from(kept.data).equals(Buffer.from(source.image.data))).toBe(true);
    // The generated window is the candidate itself, placed on the canvas.
    expect(block(tokens, columns, result.window.column, result.window.row, grid, grid)).toEqual(Array.from(result.candidates[rank]!.tokens));
  });
}

describe('Engine.extend on shapes-v1 (tiny package)', () => {
  let engine: Engine;
  let source: Awaited<ReturnType<typeof madeImage>>;
  beforeAll(async () => {
    engine = await Engine.open({ packageDir: TINY_PACKAGE, provider: 'cpu' });
    source = await madeImage(engine, 'a red circle at the left', 3);
  });
  afterAll(() => engine.close());

  const sizes: Record<ExtendSide, [number, number]> = { top: [64, 88], bottom: [64, 88], left: [88, 64], right: [88, 64] };
  for (const side of EXTEND_SIDES) {
    it(`grows ${side} by 3 cells: stated size, kept tokens and pixels unchanged, lineage and parameters in the PNG`, async () => {
      const result = await engine.extend({ image: source.png, side, by: 3, prompt: `a blue square at the ${side}`, seed: 5, settings: { candidates: 3 }, sourceId: 'src-9' });
      const [width, height] = sizes[side];
      expect(result.kind).toBe('extend');
      expect(result.extension).toEqual({ side, by: 3, columns: width / 8, rows: height / 8 });
      for (const image of result.composites) expect([image.width, image.height]).toEqual([width, height]);
      expectSourceKept(result, source, 8, 8);

      const png = resultPng(result);
      expect(readPngMetadata(png)).toMatchObject({ kind: 'extend', sourceId: 'src-9', extension: { side, by: 3 } });
      expect(readPngText(png).parameters).toContain(`Size: ${width}x${height}, Model: tiny-test, Source: src-9, Extend: ${side} by 3`);
      expect(readPngTokens(png)?.tokens).toEqual(result.canvasTokens[0]);
      expect([decodePng(png).width, decodePng(png).height]).toEqual([width, height]);
    });
  }

  it('orders top and left growth by how likely the kept cells are after the new ones (fit)', async () => {
    for (const side of ['top', 'left'] as const) {
      const result = await engine.extend({ image: source.png, side, by: 2, prompt: 'a green cross', seed: 8, settings: { candidates: 4 } });
      const fits = result.candidates.map((candidate) => candidate.fit!);
      expect(fits.every((fit) => Number.isFinite(fit) && fit < 0)).toBe(true);
      expect([...fits].sort((a, b) => b - a)).toEqual(fits);
    }
  });

  it('orders right and bottom growth by the score alone: the kept cells there were context, not a suffix', async () => {
    for (const side of ['right', 'bottom'] as const) {
      const result = await engine.extend({ image: source.png, side, by: 2, prompt: 'a green cross', seed: 8, settings: { candidates: 4 } });
      expect(result.candidates.map((candidate) => candidate.fit)).toEqual([undefined, undefined, undefined, undefined]);
      const scores = result.candidates.map((candidate) => candidate.score);
      expect(new Set(scores).size).toBe(4);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    }
  });

  it('extends an extended image again along the same axis, keeping the whole earlier canvas', async () => {
    const first = await engine.extend({ image: source.png, side: 'right', by: 4, prompt: 'a blue square', seed: 1 });
    const firstPng = resultPng(first);
    const second = await engine.extend({ image: firstPng, side: 'right', by: 8, prompt: 'a yellow triangle', seed: 2 });
    expect(second.extension).toMatchObject({ columns: 20, rows: 8 });
    expect(second.composites[0]!.width).toBe(160);
    expect(block(second.canvasTokens[0]!, 20, 0, 0, 12, 8)).toEqual(Array.from(first.canvasTokens[0]!));
    const kept = cropImage(second.composites[0]!, 0, 0, 96, 64);
    expect(Buffer.from(kept.data).equals(Buffer.from(first.composites[0]!.data))).toBe(true);
  });

  it('encodes an outside image (centre-cropped) and keeps the crop it was given', async () => {
    const outside: RgbaImage = { width: 64, height: 64, data: new Uint8ClampedArray(64 * 64 * 4).fill(200) };
    const result = await engine.extend({ image: outside, side: 'bottom', by: 8, prompt: 'a red circle', seed: 4 });
    expect(result.extension).toMatchObject({ columns: 8, rows: 16 });
    expect(Buffer.from(cropImage(result.composites[0]!, 0, 0, 64, 64).data).equals(Buffer.from(outside.data))).toBe(true);
  });

  it('refuses bad requests in one line that says what is allowed', async () => {
    const wide = resultPng(await engine.extend({ image: source.png, side: 'left', by: 8, prompt: 'a red circle', seed: 6 }));
    const cases: [Parameters<Engine['extend']>[0], RegExp][] = [
      [{ image: source.png, side: 'right', by: 0, prompt: 'x' }, /Cannot extend by 0: the amount is a whole number of token columns from 1 to 8/],
      [{ image: source.png, side: 'top', by: 9, prompt: 'x' }, /Cannot extend by 9: the amount is a whole number of token rows from 1 to 8/],
      [{ image: source.png, side: 'left', by: 2.5, prompt: 'x' }, /Cannot extend by 2.5/],
      [{ image: source.png, side: 'up' as ExtendSide, by: 2, prompt: 'x' }, /Cannot extend to "up": the side is one of top, bottom, left, right/],
      [{ image: wide, side: 'bottom', by: 2, prompt: 'x' }, /it is 16 token columns wide, and it grows bottom only while it is 8 columns wide/],
      [{ image: wide, side: 'right', by: 8, prompt: 'x' }, /the image would be 24 token columns long, and the most is 32/],
      [{ image: new Uint8Array([1, 2, 3]), side: 'right', by: 2, prompt: 'x' }, /Cannot read the image as an image/],
    ];
    const twiceWide = resultPng(await engine.extend({ image: wide, side: 'right', by: 8, prompt: 'x', seed: 1 }));
    const thriceWide = resultPng(await engine.extend({ image: twiceWide, side: 'right', by: 8, prompt: 'x', seed: 1 }));
    cases[5] = [{ image: thriceWide, side: 'right', by: 1, prompt: 'x' }, /the image would be 33 token columns long, and the most is 32 \(4 windows/];
    for (const [request, message] of cases) {
      const error = await engine.extend(request).catch((e: unknown) => e);
      expect(isEngineError(error, 'BAD_REQUEST'), String(error)).toBe(true);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    }
  });
});

describe('Engine.extend on the Janus family (tiny replica)', () => {
  let engine: Engine;
  let source: Awaited<ReturnType<typeof madeImage>>;
  beforeAll(async () => {
    engine = await Engine.open({ packageDir: JANUS_TINY, provider: 'cpu', precision: 'fp32' });
    source = await madeImage(engine, 'a red fox', 5);
  });
  afterAll(() => engine.close());

  it('grows right by 4 and top by 6 cells from its own tokens (no image encoder): kept tokens and pixels unchanged', async () => {
    for (const [side, by, width, height] of [['right', 4, 448, 384], ['top', 6, 384, 480]] as const) {
      const result = await engine.extend({ image: source.png, side, by, prompt: 'a blue bird', seed: 9, settings: { candidates: 2 } });
      expect(result.extension).toEqual({ side, by, columns: width / 16, rows: height / 16 });
      for (const image of result.composites) expect([image.width, image.height]).toEqual([width, height]);
      expectSourceKept(result, source, 24, 16);
    }
  });

  it('says plainly that an outside image needs the image encoder', async () => {
    const outside: RgbaImage = { width: 64, height: 64, data: new Uint8ClampedArray(64 * 64 * 4).fill(90) };
    const error = await engine.extend({ image: outside, side: 'right', by: 2, prompt: 'a fox' }).catch((e: unknown) => e);
    expect(isEngineError(error, 'NO_IMAGE_ENCODER')).toBe(true);
  });
});
