/** Image conversions main needs at the boundary: previews as data URLs, masks as RGBA. */
import { encode } from 'fast-png';
import type { Mask } from '../common/contract';
import type { RgbaImage } from '../engine/index';

/** A small image as `data:image/png;base64,...` (previews and candidates; no metadata). */
export function pngDataUrl(image: RgbaImage): string {
  const png = encode({ width: image.width, height: image.height, data: image.data, channels: 4 });
  return `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
}

/** The contract's one-byte-per-pixel mask as the RGBA the engine reads (white = regenerate). */
export function maskToRgba(mask: Mask): RgbaImage {
  const data = new Uint8ClampedArray(mask.width * mask.height * 4);
  mask.data.forEach((value, pixel) => {
    const level = value ? 255 : 0;
    data.set([level, level, level, 255], pixel * 4);
  });
  return { width: mask.width, height: mask.height, data };
}
