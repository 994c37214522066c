/** Pixel plumbing: decoding any image with sharp, square crops, resizing, and model tensors. */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { EngineError } from './errors.js';
import { pngTruncation } from './png.js';
import type { ImageSource, RgbaImage } from './types.js';

export function rgbaImage(width: number, height: number, data = new Uint8ClampedArray(width * height * 4)): RgbaImage {
  return { width, height, data };
}

function isRgba(source: ImageSource): source is RgbaImage {
  return typeof source === 'object' && 'width' in source && 'data' in source;
}

/** The most pixels any input may have; larger ones are refused from their header, before decoding. */
export const MAX_INPUT_PIXELS = 8192 * 8192;
/** Inputs are decoded at most this many pixels on a side, so edits never hold full-resolution copies of a huge image. */
export const MAX_WORKING_SIDE = 2048;

function checkPixelCount(width: number, height: number, name: string): void {
  if (width * height <= MAX_INPUT_PIXELS) return;
  const side = Math.sqrt(MAX_INPUT_PIXELS);
  throw new EngineError(
    'BAD_REQUEST',
    `Cannot read ${name}: it is ${width} × ${height} pixels; the most this app reads is ${side} × ${side} (${Math.round(MAX_INPUT_PIXELS / 1e6)} megapixels).`,
  );
}

/**
 * Decodes a path, encoded bytes or raw RGBA into RGBA, scaled down to fit MAX_WORKING_SIDE.
 * Throws BAD_REQUEST if unreadable, truncated or over MAX_INPUT_PIXELS.
 */
export async function loadImage(source: ImageSource, what = 'image'): Promise<RgbaImage> {
  const name = typeof source === 'string' ? source : `the ${what}`;
  if (isRgba(source)) {
    checkPixelCount(source.width, source.height, name);
    return source;
  }
  let bytes: Uint8Array;
  let size: { width?: number | undefined; height?: number | undefined };
  try {
    bytes = typeof source === 'string' ? await readFile(source) : source;
    const truncation = pngTruncation(bytes);
    if (truncation) throw new Error(truncation);
    size = await sharp(bytes, { limitInputPixels: false }).metadata(); // the header only; the limit is ours, below
  } catch (error) {
    throw new EngineError('BAD_REQUEST', `Cannot read ${name} as an image (${(error as Error).message}).`);
  }
  checkPixelCount(size.width ?? 0, size.height ?? 0, name);
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'truncated' })
      .rotate()
      .resize({ width: MAX_WORKING_SIDE, height: MAX_WORKING_SIDE, fit: 'inside', withoutEnlargement: true })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return rgbaImage(info.width, info.height, new Uint8ClampedArray(data.buffer, data.byteOffset, data.length));
  } catch (error) {
    throw new EngineError('BAD_REQUEST', `Cannot read ${name} as an image (${(error as Error).message}).`);
  }
}

/** Resamples to width × height with sharp's default (Lanczos 3), stretching if the aspect differs. */
export async function resizeImage(image: RgbaImage, width: number, height: number): Promise<RgbaImage> {
  if (image.width === width && image.height === height) return image;
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer();
  return rgbaImage(width, height, new Uint8ClampedArray(data.buffer, data.byteOffset, data.length));
}

/** The largest centred square (integer offsets, extra pixel on the right/bottom dropped). */
export function centreSquare(width: number, height: number): { left: number; top: number; size: number } {
  const size = Math.min(width, height);
  return { left: Math.floor((width - size) / 2), top: Math.floor((height - size) / 2), size };
}

export function cropImage(image: RgbaImage, left: number, top: number, width: number, height: number): RgbaImage {
  const out = rgbaImage(width, height);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * image.width + left) * 4;
    out.data.set(image.data.subarray(from, from + width * 4), y * width * 4);
  }
  return out;
}

/** The largest centred square of an image. */
export function centreCrop(image: RgbaImage): RgbaImage {
  const { left, top, size } = centreSquare(image.width, image.height);
  return cropImage(image, left, top, size, size);
}

/** What an edit starts from: the image decoded, centre-cropped to a square and resized to `resolution`. */
export async function prepareSourceImage(source: ImageSource, resolution: number): Promise<RgbaImage> {
  return resizeImage(centreCrop(await loadImage(source)), resolution, resolution);
}

/** RGBA images (all resolution × resolution) -> float32 [B, 3, R, R] in [0, 1]. */
export function imagesToPixels(images: readonly RgbaImage[], resolution: number): Float32Array {
  const plane = resolution * resolution;
  const out = new Float32Array(images.length * 3 * plane);
  images.forEach((image, b) => {
    for (let i = 0; i < plane; i++) {
      for (let c = 0; c < 3; c++) out[(b * 3 + c) * plane + i] = image.data[i * 4 + c]! / 255;
    }
  });
  return out;
}

/** Image b of float32 [B, 3, R, R] in [0, 1] -> opaque RGBA. */
export function pixelsToImage(pixels: Float32Array, b: number, resolution: number): RgbaImage {
  const plane = resolution * resolution;
  const image = rgbaImage(resolution, resolution);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) image.data[i * 4 + c] = Math.round(pixels[(b * 3 + c) * plane + i]! * 255);
    image.data[i * 4 + 3] = 255;
  }
  return image;
}
