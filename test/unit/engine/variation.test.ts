/** Variations on both model families: strength 0 is the source, 1 a fresh run, in between the stated share kept exactly. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, encodePng, formatParameters, isEngineError, keptCells, metadataOf, readPngMetadata, type GenerateResult, type RgbaImage } from '../../../main/engine/index.js';
import { prepareSourceImage } from '../../../main/engine/image.js';
import { encodeImages } from '../../../main/engine/models/shapes/image-tokens.js';
import { openPackage } from '../../../main/engine/models/shapes/package.js';
import { TINY_PACKAGE } from './fixtures.js';
import { JANUS_TINY } from './janus-peer.js';

const tokensOf = (result: GenerateResult) => result.candidates.map((candidate) => Array.from(candidate.tokens));
const keptIndices = (kept: boolean[]) => kept.flatMap((keep, cell) => (keep ? [cell] : []));

describe('keptCells', () => {
  it('rows from the top: the first round((1 − s) · grid) rows', () => {
    expect(keptIndices(keptCells(8, { strength: 0.3, keep: 'rows' }, 1))).toEqual(Array.from({ length: 6 * 8 }, (_, cell) => cell));
    expect(keptCells(8, { strength: 0, keep: 'rows' }, 1).every(Boolean)).toBe(true);
    expect(keptCells(8, { strength: 1, keep: 'rows' }, 1).some(Boolean)).toBe(false);
    expect(keptIndices(keptCells(24, { strength: 0.5, keep: 'rows' }, 1))).toHaveLength(12 * 24);
  });

  it('random cells: round((1 − s) · cells) of them, the same subset for the same seed, another for another seed', () => {
    const subset = keptIndices(keptCells(8, { strength: 0.3, keep: 'cells' }, 42));
    expect(subset).toHaveLength(45); // round(0.7 × 64) = round(44.8)
    expect(keptIndices(keptCells(8, { strength: 0.3, keep: 'cells' }, 42))).toEqual(subset);
    expect(keptIndices(keptCells(8, { strength: 0.3, keep: 'cells' }, 43))).not.toEqual(subset);
    expect(subset.some((cell) => cell >= 48)).toBe(true); // not a prefix: cells come from the bottom rows too
    expect(keptIndices(keptCells(24, { strength: 0.5, keep: 'cells' }, 7))).toHaveLength(288);
    expect(keptCells(8, { strength: 0, keep: 'cells' }, 5).every(Boolean)).toBe(true);
    expect(keptCells(8, { strength: 1, keep: 'cells' }, 5).some(Boolean)).toBe(false);
  });
});

/** The same checks for each family: a source made by the engine (its PNG carries its tokens). */
function familyChecks(open: () => Promise<Engine>, prompt: string, candidates: number, orderedCandidates: number) {
  let engine: Engine;
  let source: GenerateResult;
  let png: Uint8Array;
  beforeAll(async () => {
    engine = await open();
    source = await engine.generate({ prompt, seed: 3, settings: { candidates: 1 } });
    png = encodePng(source.candidates[0]!.image, metadataOf(source, 0), source.candidates[0]!.tokens);
  }, 120_000);
  afterAll(() => engine.close());
  const sourceTokens = () => Array.from(source.candidates[0]!.tokens);

  it('strength 0 returns the source tokens (and pixels) exactly', async () => {
    for (const keep of ['rows', 'cells'] as const) {
      const result = await engine.vary({ image: png, prompt, seed: 9, strength: 0, keep, settings: { candidates } });
      expect(result.keptCells.every(Boolean)).toBe(true);
      for (const candidate of result.candidates) {
        expect(Array.from(candidate.tokens)).toEqual(sourceTokens());
        expect(Buffer.from(candidate.image.data).equals(Buffer.from(source.candidates[0]!.image.data))).toBe(true);
      }
    }
  }, 120_000);

  it('strength 1 matches a fresh run with the same seed, token for token', async () => {
    const fresh = await engine.generate({ prompt, seed: 21, settings: { candidates } });
    for (const keep of ['rows', 'cells'] as const) {
      const varied = await engine.vary({ image: png, prompt, seed: 21, strength: 1, keep, settings: { candidates } });
      expect(tokensOf(varied)).toEqual(tokensOf(fresh));
    }
  }, 120_000);

  it('in between keeps exactly the stated share of cells, with the source’s tokens, and resamples the rest', async () => {
    const { grid } = engine.package;
    for (const keep of ['rows', 'cells'] as const) {
      const result = await engine.vary({ image: png, prompt, seed: 17, strength: 0.5, keep, settings: { candidates } });
      expect(result.keptCells).toEqual(keptCells(grid, { strength: 0.5, keep }, 17));
      expect(result.keptCells.filter(Boolean)).toHaveLength(keep === 'rows' ? Math.round(grid / 2) * grid : Math.round((grid * grid) / 2));
      for (const candidate of result.candidates) {
        result.keptCells.forEach((kept, cell) => kept && expect(candidate.tokens[cell]).toBe(source.candidates[0]!.tokens[cell]));
        expect(result.keptCells.some((kept, cell) => !kept && candidate.tokens[cell] !== source.candidates[0]!.tokens[cell])).toBe(true);
      }
    }
  }, 120_000);

  it('orders candidates as edits are: likelier kept cells after the first resampled one first (random cells), else by score', async () => {
    const ordered = async (keep: 'rows' | 'cells') => (await engine.vary({ image: png, prompt, seed: 5, strength: 0.5, keep, settings: { candidates: orderedCandidates } })).candidates;
    const cells = await ordered('cells');
    const fits = cells.map((candidate) => candidate.fit!);
    expect(fits.every(Number.isFinite)).toBe(true);
    expect(fits).toEqual([...fits].sort((x, y) => y - x));
    // Kept rows all come before the first resampled cell: nothing to fit, so the score orders them.
    const rows = await ordered('rows');
    expect(rows.every((candidate) => candidate.fit === undefined)).toBe(true);
    const scores = rows.map((candidate) => candidate.score);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
  }, 120_000);

  it('records strength, mode and source in the image parameters and the PNG’s parameters text', async () => {
    const result = await engine.vary({ image: png, prompt: 'another prompt', seed: 4, strength: 0.25, keep: 'cells', sourceId: 'src-7', settings: { candidates: 1 } });
    const meta = metadataOf(result, 0);
    expect(meta).toMatchObject({ kind: 'variation', prompt: 'another prompt', sourceId: 'src-7', variation: { strength: 0.25, keep: 'cells' } });
    const written = encodePng(result.candidates[0]!.image, meta, result.candidates[0]!.tokens);
    expect(readPngMetadata(written)).toEqual(meta);
    expect(formatParameters(meta, 64, 64)).toMatch(/Source: src-7, Variation strength: 0\.25, Variation keep: cells$/);
  }, 120_000);

  return () => engine;
}

describe('encoder–decoder family (shapes)', () => {
  const engine = familyChecks(() => Engine.open({ packageDir: TINY_PACKAGE, provider: 'cpu' }), 'a red circle at the top left', 3, 8);

  it('encodes an image the app did not make and keeps its encoded tokens', async () => {
    const picture: RgbaImage = { width: 80, height: 64, data: new Uint8ClampedArray(80 * 64 * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 7) % 256)) };
    const model = await openPackage(TINY_PACKAGE, { provider: 'cpu' });
    const [encoded] = await encodeImages(model, [await prepareSourceImage(picture, 64)]);
    await model.release();
    const result = await engine().vary({ image: picture, prompt: 'a blue square', seed: 2, strength: 0.5, keep: 'rows', settings: { candidates: 2 } });
    for (const candidate of result.candidates) expect(Array.from(candidate.tokens.subarray(0, 32))).toEqual(Array.from(encoded!.subarray(0, 32)));
  });

  it.each([
    [1.5, 'rows'],
    [-0.1, 'cells'],
    [Number.NaN, 'rows'],
    [0.5, 'columns'],
  ])('refuses strength %s with keep %s in one line', async (strength, keep) => {
    const picture: RgbaImage = { width: 64, height: 64, data: new Uint8ClampedArray(64 * 64 * 4).fill(200) };
    const error = await engine().vary({ image: picture, prompt: 'a blue square', strength, keep: keep as 'rows' }).catch((e: unknown) => e);
    expect(isEngineError(error, 'BAD_REQUEST')).toBe(true);
    expect((error as Error).message).toBe(`Cannot make a variation with strength ${strength} and keep "${keep}": the strength is a number from 0 to 1, and keep is rows or cells.`);
  });
});

describe('decoder-only family (Janus)', () => {
  const engine = familyChecks(() => Engine.open({ packageDir: JANUS_TINY, provider: 'cpu', precision: 'fp32' }), 'a red fox', 1, 3);

  it('says plainly that an outside image needs the image encoder', async () => {
    const outside: RgbaImage = { width: 64, height: 64, data: new Uint8ClampedArray(64 * 64 * 4).fill(90) };
    const error = await engine().vary({ image: outside, prompt: 'a fox', strength: 0.5, keep: 'rows' }).catch((e: unknown) => e);
    expect(isEngineError(error, 'NO_IMAGE_ENCODER')).toBe(true);
  });
});
