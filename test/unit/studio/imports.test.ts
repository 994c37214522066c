/** Dropped files: a pixel bomb is refused for what it is, whatever its claimed size. */
import { describe, expect, test } from 'vitest';
import { prepareImport } from '../../../main/studio/imports';
import { claimingSize, smallPng } from '../engine/bad-images';

describe('a dropped pixel bomb', () => {
  test.each([
    [16000, 16000],
    [30000, 30000],
    [65535, 65535],
    [100000, 100000],
  ])('claiming %i × %i pixels is refused with the pixel limit, not as "not an image"', async (width, height) => {
    const bomb = claimingSize(await smallPng(), width, height);
    const refusal = prepareImport({ name: 'bomb.png', bytes: new Uint8Array(bomb) }, 64);
    await expect(refusal).rejects.toThrow(`it is ${width} × ${height} pixels; the most this app reads is 8192 × 8192`);
  });
});
