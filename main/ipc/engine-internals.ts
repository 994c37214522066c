/**
 * Engine functions main needs that `main/engine/index.ts` does not export yet. Kept in
 * this one file so that switching to the public API is a change here only.
 * TODO(engine): export `maskToCells` and a "centre-crop and resize for the model" helper.
 */
import { maskToCells } from '../engine/edit.js';
import { centreSquare, cropImage, loadImage, resizeImage } from '../engine/image.js';
import type { ImageSource, RgbaImage } from '../engine/index';

export { maskToCells };

/** The image the engine will edit: centre-cropped to a square and resized to `resolution`. */
export async function prepareSourceImage(source: ImageSource, resolution: number): Promise<RgbaImage> {
  const image = await loadImage(source);
  const { left, top, size } = centreSquare(image.width, image.height);
  return resizeImage(cropImage(image, left, top, size, size), resolution, resolution);
}
