import { describe, expect, it } from 'vitest';
import { decode } from 'fast-png';
import { decodePng, encodePng, formatParameters, readPngMetadata, readPngText } from '../../../main/engine/png.js';
import type { ImageParameters, RgbaImage } from '../../../main/engine/types.js';

const settings = { guidance: 3, temperature: 0.9, topK: 64, topP: 1, candidates: 8 };
const meta: ImageParameters = { kind: 'generate', prompt: 'a red circle at the top left', seed: 1234, settings, modelId: 'shapes-v1', rank: 0 };

function gradient(width: number, height: number, alpha = 255): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([i % 256, (i * 7) % 256, (i * 13) % 256, alpha], i * 4);
  return { width, height, data };
}

describe('PNG with parameters', () => {
  it('round-trips the metadata and the pixels', () => {
    const image = gradient(5, 3);
    const png = encodePng(image, meta);
    expect(readPngMetadata(png)).toEqual(meta);
    expect(decodePng(png)).toEqual(image);
    expect(decode(png).channels).toBe(3); // opaque images are stored as RGB
  });

  it('writes an A1111-style parameters chunk with the rank (1 = best) and the native size of an upscaled copy', () => {
    const text = readPngText(encodePng(gradient(8, 8), { ...meta, rank: 2, kind: 'edit', sourceId: 'img-7' }, undefined, { width: 4, height: 4 }));
    expect(text.parameters).toBe(
      'a red circle at the top left\nSampler: Parti autoregressive, CFG scale: 3, Temperature: 0.9, Top-k: 64, Top-p: 1, Candidates: 8, Seed: 1234, Rank: 3, Size: 4x4, Model: shapes-v1, Source: img-7',
    );
  });

  it('stores non-Latin-1 prompts in iTXt and reads them back', () => {
    const unicode = { ...meta, prompt: 'un cercle rouge ✨ 日本' };
    const png = encodePng(gradient(2, 2), unicode);
    expect(Buffer.from(png).includes(Buffer.from('iTXt'))).toBe(true);
    expect(readPngMetadata(png)?.prompt).toBe(unicode.prompt);
    expect(readPngText(png).parameters?.startsWith(unicode.prompt)).toBe(true);
  });

  it('keeps alpha when the image has transparency', () => {
    const image = gradient(3, 3, 128);
    expect(decodePng(encodePng(image, meta))).toEqual(image);
  });

  it('returns undefined for a PNG without (or with broken) metadata', () => {
    const png = encodePng(gradient(2, 2), meta);
    const broken = Buffer.from(png);
    const at = broken.indexOf('"kind"');
    broken.write('X', at + 1, 'latin1'); // breaks the JSON key, the CRC is not checked by the reader
    expect(readPngMetadata(broken)).toBeUndefined();
    expect(formatParameters(meta, 1, 1)).toContain('Seed: 1234');
  });
});
