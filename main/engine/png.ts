/**
 * PNG files with their generation parameters: an A1111-style `parameters` text chunk (what
 * other tools display) and a `parti-studio` chunk holding ImageMetadata as JSON (what this
 * app reads back). Text goes in tEXt when it is Latin-1, else in an uncompressed iTXt.
 */
import { crc32, inflateSync } from 'node:zlib';
import { decode, encode } from 'fast-png';
import { z } from 'zod';
import { SamplingSettingsSchema } from './settings.js';
import type { ImageMetadata, RgbaImage } from './types.js';

const PARAMETERS_KEY = 'parameters';
const METADATA_KEY = 'parti-studio';

const ImageMetadataSchema = z.object({
  kind: z.enum(['generate', 'edit']),
  prompt: z.string(),
  seed: z.number().int().min(0),
  settings: SamplingSettingsSchema,
  modelId: z.string(),
  rank: z.number().int().min(0).optional(),
  sourceId: z.string().optional(),
});

/** The A1111 `parameters` text: the prompt, then one line of "Key: value" pairs. */
export function formatParameters(meta: ImageMetadata, width: number, height: number): string {
  const s = meta.settings;
  const pairs = [
    ['Sampler', 'Parti autoregressive'],
    ['CFG scale', s.guidance],
    ['Temperature', s.temperature],
    ['Top-k', s.topK],
    ['Top-p', s.topP],
    ['Candidates', s.candidates],
    ['Seed', meta.seed],
    ['Size', `${width}x${height}`],
    ['Model', meta.modelId],
    ...(meta.sourceId !== undefined ? [['Source', meta.sourceId]] : []),
  ];
  return `${meta.prompt}\n${pairs.map(([key, value]) => `${key}: ${value}`).join(', ')}`;
}

/** Encodes an RGBA image as an RGB PNG (alpha is dropped when every pixel is opaque) with both chunks. */
export function encodePng(image: RgbaImage, meta: ImageMetadata): Uint8Array {
  const opaque = image.data.every((value, i) => i % 4 !== 3 || value === 255);
  const data = opaque ? image.data.filter((_, i) => i % 4 !== 3) : image.data;
  const pixels = encode({ width: image.width, height: image.height, data: new Uint8Array(data), channels: opaque ? 3 : 4, depth: 8 });
  return insertBeforeEnd(pixels, [
    textChunk(PARAMETERS_KEY, formatParameters(meta, image.width, image.height)),
    textChunk(METADATA_KEY, JSON.stringify(meta)),
  ]);
}

/** Every tEXt/iTXt chunk of a PNG, keyword -> text. */
export function readPngText(png: Uint8Array): Record<string, string> {
  const text: Record<string, string> = {};
  for (const { type, body } of chunks(png)) {
    const nul = body.indexOf(0);
    if (nul < 0) continue;
    const key = latin1(body.subarray(0, nul));
    if (type === 'tEXt') text[key] = latin1(body.subarray(nul + 1));
    if (type === 'iTXt') {
      const compressed = body[nul + 1] === 1;
      const langEnd = body.indexOf(0, nul + 3);
      const transEnd = body.indexOf(0, langEnd + 1);
      const value = body.subarray(transEnd + 1);
      text[key] = new TextDecoder().decode(compressed ? inflateSync(value) : value);
    }
  }
  return text;
}

/** The ImageMetadata of a PNG this module wrote, or undefined when it has none (or it is unreadable). */
export function readPngMetadata(png: Uint8Array): ImageMetadata | undefined {
  const json = readPngText(png)[METADATA_KEY];
  if (json === undefined) return undefined;
  try {
    const parsed = ImageMetadataSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Decodes a PNG's pixels to RGBA (8-bit RGB or RGBA PNGs). */
export function decodePng(png: Uint8Array): RgbaImage {
  const decoded = decode(png);
  const pixels = decoded.width * decoded.height;
  const data = new Uint8ClampedArray(pixels * 4);
  for (let i = 0; i < pixels; i++) {
    for (let c = 0; c < 4; c++) data[i * 4 + c] = c < decoded.channels ? decoded.data[i * decoded.channels + c]! : 255;
  }
  return { width: decoded.width, height: decoded.height, data };
}

const SIGNATURE_BYTES = 8;

function* chunks(png: Uint8Array): Generator<{ type: string; body: Uint8Array; start: number }> {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let at = SIGNATURE_BYTES; at + 12 <= png.length; ) {
    const length = view.getUint32(at);
    yield { type: latin1(png.subarray(at + 4, at + 8)), body: png.subarray(at + 8, at + 8 + length), start: at };
    at += 12 + length;
  }
}

function latin1(bytes: Uint8Array): string {
  return new TextDecoder('latin1').decode(bytes);
}

function isLatin1(text: string): boolean {
  return /^[\u0000-\u00ff]*$/.test(text);
}

/** tEXt when the text is Latin-1 (what most readers show), else uncompressed UTF-8 iTXt. */
function textChunk(key: string, text: string): Uint8Array {
  if (isLatin1(text)) return chunk('tEXt', Buffer.concat([Buffer.from(key, 'latin1'), Buffer.from([0]), Buffer.from(text, 'latin1')]));
  // keyword NUL, compression flag 0, method 0, empty language NUL, empty translated keyword NUL, text
  return chunk('iTXt', Buffer.concat([Buffer.from(key, 'latin1'), Buffer.from([0, 0, 0, 0, 0]), Buffer.from(text, 'utf8')]));
}

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, 'latin1');
  out.set(body, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
  return out;
}

function insertBeforeEnd(png: Uint8Array, extra: Uint8Array[]): Uint8Array {
  const end = [...chunks(png)].find((c) => c.type === 'IEND');
  if (!end) throw new Error('PNG without IEND');
  return Buffer.concat([png.subarray(0, end.start), ...extra, png.subarray(end.start)]);
}
