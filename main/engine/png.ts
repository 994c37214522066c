/**
 * PNG files with their generation parameters: an A1111-style `parameters` text chunk (what
 * other tools display) and a `parti-studio` chunk holding ImageParameters as JSON (what this
 * app reads back). Text goes in tEXt when it is Latin-1, else in an uncompressed iTXt.
 */
import { crc32, inflateSync } from 'node:zlib';
import { decode, encode } from 'fast-png';
import { ImageParameters } from '../common/image-parameters.js';
import { EngineError } from './errors.js';
import type { RgbaImage } from './types.js';

const PARAMETERS_KEY = 'parameters';
const METADATA_KEY = 'parti-studio';
const METADATA_ONLY = new Set([METADATA_KEY]);
/** The image's token grid and the model that made it: `<model id> <base64 of int32 LE tokens>`. */
const TOKENS_KEY = 'parti-tokens';
const TOKENS_ONLY = new Set([TOKENS_KEY]);

/**
 * The A1111 `parameters` text: the prompt, then one line of "Key: value" pairs. `Size` is the
 * size the model made (an upscaled export says so too), `Rank` the place in its run (1 = best).
 */
export function formatParameters(meta: ImageParameters, width: number, height: number): string {
  const s = meta.settings;
  const pairs = [
    ['Sampler', 'Parti autoregressive'],
    ['CFG scale', s.guidance],
    ['Temperature', s.temperature],
    ['Top-k', s.topK],
    ['Top-p', s.topP],
    ['Candidates', s.candidates],
    ['Seed', meta.seed],
    ...(meta.rank !== undefined ? [['Rank', meta.rank + 1]] : []),
    ['Size', `${width}x${height}`],
    ['Model', meta.modelId],
    ...(meta.sourceId !== undefined ? [['Source', meta.sourceId]] : []),
    ...(meta.extension ? [['Extend', `${meta.extension.side} by ${meta.extension.by}`]] : []),
    ...(meta.variation ? [['Variation strength', meta.variation.strength], ['Variation keep', meta.variation.keep]] : []),
  ];
  // A1111 writes the negative prompt on its own line between the prompt and the settings.
  const negative = meta.negativePrompt ? `Negative prompt: ${meta.negativePrompt}\n` : '';
  return `${meta.prompt}\n${negative}${pairs.map(([key, value]) => `${key}: ${value}`).join(', ')}`;
}

/**
 * Encodes an RGBA image as an RGB PNG (alpha is dropped when every pixel is opaque) with both
 * chunks, and the token grid the image was decoded from when given (editing it later forces
 * those tokens instead of encoding the pixels again); `nativeSize` is the model's size when
 * `image` is an upscaled copy.
 */
export function encodePng(
  image: RgbaImage,
  meta: ImageParameters,
  tokens?: Int32Array,
  nativeSize: { width: number; height: number } = image,
): Uint8Array {
  const opaque = image.data.every((value, i) => i % 4 !== 3 || value === 255);
  const data = opaque ? image.data.filter((_, i) => i % 4 !== 3) : image.data;
  const pixels = encode({ width: image.width, height: image.height, data: new Uint8Array(data), channels: opaque ? 3 : 4, depth: 8 });
  return insertBeforeEnd(pixels, [
    textChunk(PARAMETERS_KEY, formatParameters(meta, nativeSize.width, nativeSize.height)),
    textChunk(METADATA_KEY, JSON.stringify(meta)),
    ...(tokens ? [textChunk(TOKENS_KEY, `${meta.modelId} ${Buffer.from(tokens.buffer, tokens.byteOffset, tokens.byteLength).toString('base64')}`)] : []),
  ]);
}

/** The token grid a PNG of this app was made from, and the model id; undefined when it carries none. */
export function readPngTokens(png: Uint8Array): { modelId: string; tokens: Int32Array } | undefined {
  const text = readPngText(png, TOKENS_ONLY)[TOKENS_KEY];
  const space = text?.lastIndexOf(' ') ?? -1;
  if (text === undefined || space < 0) return undefined;
  const bytes = Buffer.from(text.slice(space + 1), 'base64');
  if (bytes.length % 4 !== 0) return undefined;
  const tokens = new Int32Array(bytes.length / 4);
  for (let i = 0; i < tokens.length; i++) tokens[i] = bytes.readInt32LE(i * 4);
  return { modelId: text.slice(0, space), tokens };
}

/**
 * Caps on inflated text, so a compressed chunk of a few KB cannot expand to gigabytes (a
 * zip bomb): our own metadata is a few hundred bytes.
 */
export const MAX_TEXT_CHUNK_BYTES = 1024 * 1024;
export const MAX_TEXT_TOTAL_BYTES = 4 * 1024 * 1024;
const megabytes = (bytes: number): string => `${bytes / (1024 * 1024)} MB`;

/**
 * The tEXt/iTXt chunks of a PNG, keyword -> text; only the keywords in `only` when given
 * (other chunks are never inflated). Throws BAD_REQUEST when text exceeds the caps or a
 * compressed chunk is broken.
 */
export function readPngText(png: Uint8Array, only?: ReadonlySet<string>): Record<string, string> {
  const text: Record<string, string> = {};
  let total = 0;
  for (const { type, body } of chunks(png)) {
    if (type !== 'tEXt' && type !== 'iTXt') continue;
    const nul = body.indexOf(0);
    if (nul < 0) continue;
    const key = latin1(body.subarray(0, nul));
    if (only && !only.has(key)) continue;
    const bytes = type === 'tEXt' ? body.subarray(nul + 1) : iTxtBytes(key, body, nul, Math.min(MAX_TEXT_CHUNK_BYTES, MAX_TEXT_TOTAL_BYTES - total));
    total += bytes.length;
    if (bytes.length > MAX_TEXT_CHUNK_BYTES) throw tooMuchText(`text chunk "${key}" is larger than ${megabytes(MAX_TEXT_CHUNK_BYTES)}`);
    if (total > MAX_TEXT_TOTAL_BYTES) throw tooMuchText(`more than ${megabytes(MAX_TEXT_TOTAL_BYTES)} of text`);
    text[key] = type === 'tEXt' ? latin1(bytes) : new TextDecoder().decode(bytes);
  }
  return text;
}

/** An iTXt chunk's text bytes, inflating at most `limit` bytes when it is compressed. */
function iTxtBytes(key: string, body: Uint8Array, nul: number, limit: number): Uint8Array {
  const compressed = body[nul + 1] === 1;
  const langEnd = body.indexOf(0, nul + 3);
  const transEnd = body.indexOf(0, langEnd + 1);
  const value = body.subarray(transEnd + 1);
  if (!compressed) return value;
  try {
    return inflateSync(value, { maxOutputLength: Math.max(1, limit) });
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_BUFFER_TOO_LARGE') throw tooMuchText(`text chunk "${key}" is not valid compressed data`);
    throw tooMuchText(limit < MAX_TEXT_CHUNK_BYTES ? `more than ${megabytes(MAX_TEXT_TOTAL_BYTES)} of text` : `text chunk "${key}" inflates to more than ${megabytes(MAX_TEXT_CHUNK_BYTES)}`);
  }
}

const tooMuchText = (what: string): EngineError => new EngineError('BAD_REQUEST', `This PNG is not one this app can read: its ${what}.`);

/** The ImageParameters of a PNG this module wrote, or undefined when it has none; throws BAD_REQUEST past the text caps. */
export function readPngMetadata(png: Uint8Array): ImageParameters | undefined {
  const json = readPngText(png, METADATA_ONLY)[METADATA_KEY];
  if (json === undefined) return undefined;
  try {
    const parsed = ImageParameters.safeParse(JSON.parse(json));
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
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export const isPng = (bytes: Uint8Array): boolean => PNG_SIGNATURE.every((byte, i) => bytes[i] === byte);

/**
 * Why a PNG is truncated (a chunk running past the end, or no IEND), or undefined when it is
 * whole or not a PNG. Decoders accept some truncations and show half an image.
 */
export function pngTruncation(bytes: Uint8Array): string | undefined {
  if (!isPng(bytes)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = SIGNATURE_BYTES; at + 12 <= bytes.length; at += 12 + view.getUint32(at)) {
    const type = latin1(bytes.subarray(at + 4, at + 8));
    if (at + 12 + view.getUint32(at) > bytes.length) return `the PNG file is truncated: its ${type} chunk runs past the end`;
    if (type === 'IEND') return undefined;
  }
  return 'the PNG file is truncated: it has no IEND chunk';
}

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

/** One PNG chunk: length, type, body, CRC. */
export function chunk(type: string, body: Uint8Array): Uint8Array {
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
