import { describe, expect, it } from 'vitest';
import { composite, featherAlpha, maskToCells } from '../../../main/engine/edit.js';
import { centreSquare, cropImage } from '../../../main/engine/image.js';
import type { RgbaImage } from '../../../main/engine/types.js';

function solid(width: number, height: number, rgba: number[]): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set(rgba, i * 4);
  return { width, height, data };
}

/** A black mask with a white rectangle [x0, x1) × [y0, y1). */
function rectMask(size: number, x0: number, y0: number, x1: number, y1: number): RgbaImage {
  const mask = solid(size, size, [0, 0, 0, 255]);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) mask.data.set([255, 255, 255, 255], (y * size + x) * 4);
  return mask;
}

const cellsOf = (flags: boolean[]) => flags.flatMap((f, i) => (f ? [i] : []));

describe('maskToCells', () => {
  it('marks exactly the cells a rectangle touches', () => {
    // 64 px, grid 8: 8 px cells; x 10..25 touches columns 1..3, y 0..8 row 0 only.
    expect(cellsOf(maskToCells(rectMask(64, 10, 0, 25, 8), 8))).toEqual([1, 2, 3]);
  });

  it('scales to any mask size (a 640 px mask on an 8 × 8 grid)', () => {
    expect(cellsOf(maskToCells(rectMask(640, 560, 560, 640, 640), 8))).toEqual([63]);
    expect(cellsOf(maskToCells(rectMask(640, 0, 0, 1, 1), 8))).toEqual([0]);
  });

  it('ignores dark grey and transparent white', () => {
    const mask = solid(16, 16, [100, 100, 100, 255]);
    mask.data.set([255, 255, 255, 0], 0);
    expect(maskToCells(mask, 4).some(Boolean)).toBe(false);
  });
});

describe('featherAlpha and composite', () => {
  it('keeps every pixel outside the mask exactly the source, and the deep inside fully generated', async () => {
    const size = 64;
    const mask = rectMask(size, 16, 16, 48, 48);
    const alpha = await featherAlpha(mask, 4);
    const source = solid(size, size, [10, 20, 30, 255]);
    const generated = solid(size, size, [200, 150, 100, 255]);
    const out = composite(source, generated, alpha);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const inside = x >= 16 && x < 48 && y >= 16 && y < 48;
        const pixel = Array.from(out.data.subarray((y * size + x) * 4, (y * size + x) * 4 + 4));
        if (!inside) expect(pixel).toEqual([10, 20, 30, 255]);
      }
    }
    expect(Array.from(out.data.subarray((32 * size + 32) * 4, (32 * size + 32) * 4 + 3))).toEqual([200, 150, 100]);
  });

  it('feathers the seam: alpha rises from the mask edge inward', async () => {
    const alpha = await featherAlpha(rectMask(64, 16, 16, 48, 48), 6);
    const row = 32 * 64;
    expect(alpha[row + 15]).toBe(0);
    expect(alpha[row + 16]!).toBeLessThan(alpha[row + 18]!);
    expect(alpha[row + 18]!).toBeLessThan(alpha[row + 22]!);
    expect(alpha[row + 32]).toBeCloseTo(1, 5);
  });
});

describe('centre crop', () => {
  it('takes the largest centred square', () => {
    expect(centreSquare(100, 60)).toEqual({ left: 20, top: 0, size: 60 });
    expect(centreSquare(60, 101)).toEqual({ left: 0, top: 20, size: 60 });
    const image = solid(4, 2, [0, 0, 0, 255]);
    image.data.set([9, 9, 9, 255], (1 * 4 + 1) * 4);
    const crop = cropImage(image, 1, 0, 2, 2);
    expect(Array.from(crop.data.subarray(8, 12))).toEqual([9, 9, 9, 255]);
  });
});
