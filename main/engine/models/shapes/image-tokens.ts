/** The VQ image tokenizer's two graphs: pixels -> tokens (image_encoder) and tokens -> pixels (detokenizer). */
import ort from 'onnxruntime-node';
import { imagesToPixels, pixelsToImage } from '../../image.js';
import type { ModelPackage } from './package.js';
import type { RgbaImage } from '../../types.js';

/** Token grids (each grid × grid, raster order) -> one RGBA image each, in one batch. */
export async function detokenize(model: ModelPackage, grids: readonly Int32Array[]): Promise<RgbaImage[]> {
  const { resolution } = model.manifest.image;
  const out = await model.sessions.detokenizer.run({ tokens: tokensTensor(grids) });
  const pixels = out.pixels!.data as Float32Array;
  return grids.map((_, b) => pixelsToImage(pixels, b, resolution));
}

/** Images at the model's resolution -> token grids. */
export async function encodeImages(model: ModelPackage, images: readonly RgbaImage[]): Promise<Int32Array[]> {
  const { resolution, grid } = model.manifest.image;
  const pixels = new ort.Tensor('float32', imagesToPixels(images, resolution), [images.length, 3, resolution, resolution]);
  const out = await model.sessions.imageEncoder.run({ pixels });
  const tokens = out.tokens!.data as BigInt64Array;
  const cells = grid * grid;
  return images.map((_, b) => Int32Array.from(tokens.subarray(b * cells, (b + 1) * cells), Number));
}

export function tokensTensor(grids: readonly Int32Array[]): ort.Tensor {
  const cells = grids[0]?.length ?? 0;
  const data = new BigInt64Array(grids.length * cells);
  grids.forEach((grid, b) => grid.forEach((token, i) => (data[b * cells + i] = BigInt(token))));
  return new ort.Tensor('int64', data, [grids.length, cells]);
}
