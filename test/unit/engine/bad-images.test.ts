/** Bad image files on every decode path: text zip bombs, truncated PNGs, pixel bombs. */
import { describe, expect, it } from 'vitest';
import { loadImage, MAX_INPUT_PIXELS, MAX_WORKING_SIDE, prepareSourceImage } from '../../../main/engine/image.js';
import { encodePng, MAX_TEXT_CHUNK_BYTES, MAX_TEXT_TOTAL_BYTES, readPngMetadata, readPngText } from '../../../main/engine/png.js';
import type { ImageParameters } from '../../../main/engine/types.js';
import { compressedTextChunk, hugeCanvas, smallPng, withChunks } from './bad-images.js';

const MB = 1024 * 1024;
const meta: ImageParameters = { kind: 'generate', prompt: 'a red circle', seed: 3, settings: { guidance: 1, temperature: 1, topK: 64, topP: 1, candidates: 1 }, modelId: 'm' };

describe('PNG text zip bombs', () => {
  it('refuses one compressed text chunk that inflates past the per-chunk cap, saying so', async () => {
    const bomb = withChunks(await smallPng(), [compressedTextChunk('parti-studio', 8 * MB)]);
    expect(bomb.length).toBeLessThan(20_000);
    expect(() => readPngMetadata(bomb)).toThrow(/text chunk "parti-studio" inflates to more than 1 MB/);
    expect(() => readPngText(bomb)).toThrow(/inflates to more than 1 MB/);
  });

  it('caps the total of all text chunks, each under the per-chunk cap', async () => {
    const chunks = Array.from({ length: 8 }, (_, i) => compressedTextChunk(`comment-${i}`, MAX_TEXT_CHUNK_BYTES - 1000));
    expect(8 * (MAX_TEXT_CHUNK_BYTES - 1000)).toBeGreaterThan(MAX_TEXT_TOTAL_BYTES);
    const png = withChunks(await smallPng(), chunks);
    expect(() => readPngText(png)).toThrow(/more than 4 MB of text/);
  });

  it('reads only the chunk the app uses: a bomb or broken stream under another keyword is never inflated', async () => {
    const broken = compressedTextChunk('Software', 1000).fill(0x55, 21, 31);
    const png = withChunks(encodePng({ width: 2, height: 2, data: new Uint8ClampedArray(16).fill(255) }, meta), [compressedTextChunk('Comment', 64 * MB), broken]);
    expect(readPngMetadata(png)).toEqual(meta);
  });

  it('decoding the pixels of a PNG carrying a text bomb stays quick', async () => {
    const bomb = withChunks(await smallPng(), Array.from({ length: 4 }, () => compressedTextChunk('Comment', 16 * MB)));
    const started = performance.now();
    expect((await loadImage(bomb)).width).toBe(64);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('truncated PNGs', () => {
  it.each([
    ['without its IEND chunk', 12],
    ['cut inside its pixel data', 300],
  ])('refuses a PNG %s with a clear message', async (_, cut) => {
    const png = await smallPng();
    await expect(loadImage(png.subarray(0, png.length - cut))).rejects.toThrow(/Cannot read the image as an image \(the PNG file is truncated/);
  });
});

describe('pixel limit', () => {
  it('states the limit and refuses a 16000² PNG and JPEG before decoding them', async () => {
    expect(MAX_INPUT_PIXELS).toBe(8192 * 8192);
    for (const format of ['png', 'jpeg'] as const) {
      const bomb = await hugeCanvas(16000, format);
      const started = performance.now();
      await expect(loadImage(bomb)).rejects.toThrow(/16000 × 16000 pixels; the most this app reads is 8192 × 8192 \(67 megapixels\)/);
      await expect(prepareSourceImage(bomb, 64)).rejects.toThrow(/the most this app reads/);
      expect(performance.now() - started).toBeLessThan(3000);
    }
  });

  it('refuses raw RGBA over the limit too', async () => {
    await expect(loadImage({ width: 9000, height: 8000, data: new Uint8ClampedArray(4) })).rejects.toThrow(/9000 × 8000 pixels/);
  });

  it('works on a large accepted image at most MAX_WORKING_SIDE on a side, never at full resolution', async () => {
    const large = await hugeCanvas(6000, 'png');
    const image = await loadImage(large);
    expect([image.width, image.height]).toEqual([MAX_WORKING_SIDE, MAX_WORKING_SIDE]);
    expect(image.data.length).toBe(MAX_WORKING_SIDE * MAX_WORKING_SIDE * 4);
  });
});
