/**
 * Dropped files: PNG, JPEG or WebP images made ready for the editor (centre-cropped to a
 * square at the model's resolution), and this app's parameters read from PNG chunks.
 */
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { ImageParameters, type DroppedFile } from '../common/contract';
import { isPng, prepareSourceImage, readPngMetadata, type RgbaImage } from '../engine/index';
import { notFound, UserError } from './errors';

/** Imports kept for editing; the oldest are forgotten first. */
const IMPORTS_KEPT = 16;
const ACCEPTED_FORMATS = new Set(['png', 'jpeg', 'webp']);

/** This app's parameters in a PNG, or null (also for other files and foreign PNGs). */
export function parametersIn(bytes: Uint8Array): ImageParameters | null {
  if (!isPng(bytes)) return null;
  const parsed = ImageParameters.safeParse(readPngMetadata(bytes));
  return parsed.success ? parsed.data : null;
}

export class ImportStore {
  private readonly images = new Map<string, RgbaImage>();

  add(image: RgbaImage): string {
    const id = `import-${randomBytes(6).toString('hex')}`;
    this.images.set(id, image);
    for (const old of [...this.images.keys()].slice(0, Math.max(0, this.images.size - IMPORTS_KEPT))) this.images.delete(old);
    return id;
  }

  get(id: string): RgbaImage {
    const image = this.images.get(id);
    if (!image) throw notFound('dropped image', id);
    return image;
  }
}

async function checkImageFormat(file: DroppedFile): Promise<void> {
  // Header only, without sharp's own pixel limit, so a pixel bomb is refused for its size (in prepareSourceImage), not as "not an image".
  const format = await sharp(file.bytes, { limitInputPixels: false })
    .metadata()
    .then((metadata) => metadata.format as string)
    .catch(() => undefined);
  if (!format || !ACCEPTED_FORMATS.has(format)) {
    const what = format ? `a ${format.toUpperCase()} image` : 'not an image this app can read';
    throw new UserError(`"${file.name}" is ${what}; drop a PNG, JPEG or WebP image.`);
  }
}

/** A dropped file checked and made ready for the editor at the model's resolution. */
export async function prepareImport(file: DroppedFile, resolution: number): Promise<RgbaImage> {
  await checkImageFormat(file);
  return prepareSourceImage(file.bytes, resolution);
}
