/** Integration: editing on the tiny package. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, encodePng, isEngineError, metadataOf, readPngMetadata, type RgbaImage } from '../../../main/engine/index.js';
import { encodeImages } from '../../../main/engine/models/shapes/image-tokens.js';
import { openPackage, type ModelPackage } from '../../../main/engine/models/shapes/package.js';
import { cropImage, prepareSourceImage } from '../../../main/engine/image.js';
import { TINY_PACKAGE } from './fixtures.js';

let engine: Engine;
let model: ModelPackage;
beforeAll(async () => {
  engine = await Engine.open({ packageDir: TINY_PACKAGE, provider: 'cpu' });
  model = await openPackage(TINY_PACKAGE, { provider: 'cpu' });
});
afterAll(async () => {
  await engine.close();
  await model.release();
});

/** A 120 × 90 picture: grey with a red block (centre-cropped to 90 × 90 by the engine). */
function sourcePicture(): RgbaImage {
  const width = 120;
  const height = 90;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const red = x > 30 && x < 60 && y > 20 && y < 50;
      data.set(red ? [220, 38, 38, 255] : [128, 128, 128, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

/** A mask of another size (60 × 45, stretched to the image) whose white square covers the crop's lower right quarter. */
function lowerRightMask(): RgbaImage {
  const width = 60;
  const height = 45;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // image x = 2 mask x; the crop spans image x 15..105, y 0..90; lower-right quarter: x 60..105, y 45..90
      const white = x >= 30 && x < 52 && y >= 23;
      data.set(white ? [255, 255, 255, 255] : [0, 0, 0, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

describe('Engine.edit', () => {
  it('regenerates only the masked cells and keeps every other token', async () => {
    const image = sourcePicture();
    const result = await engine.edit({ image, mask: lowerRightMask(), prompt: 'a blue square at the bottom right', seed: 11, settings: { candidates: 3 }, sourceId: 'src-1' });
    const [sourceTokens] = await encodeImages(model, [await prepareSourceImage(image, 64)]);
    const masked = result.maskedCells.flatMap((m, i) => (m ? [i] : []));
    // crop x 60..105 -> cells from column floor(45 * 8 / 90) = 4; y 46..90 -> rows from 4
    expect(masked).toEqual([36, 37, 38, 39, 44, 45, 46, 47, 52, 53, 54, 55, 60, 61, 62, 63]);
    for (const candidate of result.candidates) {
      candidate.tokens.forEach((token, cell) => {
        if (!result.maskedCells[cell]) expect(token).toBe(sourceTokens![cell]);
      });
      expect(Number.isFinite(candidate.fit)).toBe(true);
    }
    expect(result.sourceId).toBe('src-1');
    expect(readPngMetadata(encodePng(result.composites[0]!, metadataOf(result, 0)))?.sourceId).toBe('src-1');
  });

  it('feeds the forced suffix after a top-left mask as one chunk and still keeps and scores it', async () => {
    const image = sourcePicture();
    const mask: RgbaImage = { width: 90, height: 90, data: new Uint8ClampedArray(90 * 90 * 4) };
    for (let y = 0; y < 90; y++) for (let x = 0; x < 90; x++) mask.data.set(x < 20 && y < 20 ? [255, 255, 255, 255] : [0, 0, 0, 255], (y * 90 + x) * 4);
    const squareImage = cropImage(image, 15, 0, 90, 90);
    const events: number[] = [];
    const result = await engine.edit({ image: squareImage, mask, prompt: 'a red circle', seed: 8, settings: { candidates: 3 } }, { onProgress: (e) => e.phase === 'decode' && events.push(e.tokensDone) });
    expect(result.maskedCells.flatMap((m, i) => (m ? [i] : []))).toEqual([0, 1, 8, 9]);
    const [sourceTokens] = await encodeImages(model, [await prepareSourceImage(squareImage, 64)]);
    for (const candidate of result.candidates) {
      for (let cell = 10; cell < 64; cell++) expect(candidate.tokens[cell]).toBe(sourceTokens![cell]);
      expect(candidate.fit!).toBeLessThan(0);
    }
    const likelihoods = result.candidates.map((c) => c.fit!);
    expect(likelihoods).toEqual([...likelihoods].sort((a, b) => b - a));
    expect(events.at(-1)).toBe(64);
  });

  it('orders candidates by the likelihood of the forced tokens after the mask', async () => {
    const result = await engine.edit({ image: sourcePicture(), mask: lowerRightMask(), prompt: 'a red circle', seed: 4, settings: { candidates: 4 } });
    // this mask ends on the last cell but starts mid-grid: forced cells follow the first masked one
    const likelihoods = result.candidates.map((c) => c.fit!);
    expect(likelihoods).toEqual([...likelihoods].sort((a, b) => b - a));
  });

  it('composites over the crop: pixels outside the mask stay the source, exactly', async () => {
    const image = sourcePicture();
    const result = await engine.edit({ image, mask: lowerRightMask(), prompt: 'a green cross', seed: 2, settings: { candidates: 1 } });
    const out = result.composites[0]!;
    expect([out.width, out.height]).toEqual([90, 90]);
    for (let y = 0; y < 90; y++) {
      for (let x = 0; x < 90; x++) {
        const maskX = Math.floor((x + 15) / 2);
        const maskY = Math.floor(y / 2);
        if (maskX >= 30 && maskX < 52 && maskY >= 23) continue;
        const at = (y * 90 + x) * 4;
        const from = (y * 120 + x + 15) * 4;
        expect(Array.from(out.data.subarray(at, at + 3))).toEqual(Array.from(image.data.subarray(from, from + 3)));
      }
    }
  });

  it('refuses an empty mask and an unreadable image with BAD_REQUEST', async () => {
    const black: RgbaImage = { width: 4, height: 4, data: new Uint8ClampedArray(64).fill(0) };
    const empty = await engine.edit({ image: sourcePicture(), mask: black, prompt: 'x' }).catch((e: unknown) => e);
    expect(isEngineError(empty, 'BAD_REQUEST')).toBe(true);
    await expect(engine.edit({ image: '/no/such/file.png', mask: black, prompt: 'x' })).rejects.toThrow(/Cannot read \/no\/such\/file\.png/);
  });
});
