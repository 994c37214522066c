/**
 * Hostile and broken image files, built in memory so no big fixture is committed: PNGs whose
 * compressed text inflates to far more than the file, truncated PNGs, huge-canvas PNGs.
 */
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { chunk } from '../../../main/engine/png.js';

/** A compressed iTXt chunk whose text is `inflatedBytes` spaces (deflate shrinks it ~1000×). */
export function compressedTextChunk(key: string, inflatedBytes: number): Uint8Array {
  const text = deflateSync(Buffer.alloc(inflatedBytes, 0x20), { level: 9 });
  return chunk('iTXt', Buffer.concat([Buffer.from(key, 'latin1'), Buffer.from([0, 1, 0, 0, 0]), text]));
}

/** `png` with `extra` chunks inserted before IEND. */
export function withChunks(png: Uint8Array, extra: Uint8Array[]): Buffer {
  const iend = Buffer.from(png).lastIndexOf(Buffer.from('IEND', 'latin1')) - 4;
  return Buffer.concat([png.subarray(0, iend), ...extra, png.subarray(iend)]);
}

/** A valid little PNG (a gradient, so its pixel data spans a few hundred bytes). */
export async function smallPng(side = 64): Promise<Buffer> {
  const raw = Buffer.alloc(side * side * 3).map((_, i) => (i * 37) % 251);
  return sharp(raw, { raw: { width: side, height: side, channels: 3 } }).png().toBuffer();
}

/** A flat-colour PNG or JPEG canvas of side × side: tiny on disk, huge decoded. */
export async function hugeCanvas(side: number, format: 'png' | 'jpeg'): Promise<Buffer> {
  const canvas = sharp({ create: { width: side, height: side, channels: 3, background: '#808080' }, limitInputPixels: false });
  return format === 'png' ? canvas.png({ compressionLevel: 9 }).toBuffer() : canvas.jpeg().toBuffer();
}

/** `png` with its IHDR claiming width × height (CRC fixed), pixel data unchanged: a header-only pixel bomb. */
export function claimingSize(png: Uint8Array, width: number, height: number): Buffer {
  const bytes = Buffer.from(png);
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  bytes.writeUInt32BE(crc32(bytes.subarray(12, 29)), 29);
  return bytes;
}
