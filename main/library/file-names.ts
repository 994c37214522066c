/** File names the library and export create: free (never overwriting) and safe on every platform. */
import fs from 'node:fs';
import path from 'node:path';

/** `base + extension`, or `base (2)…`, the first name `isTaken` refuses not (never overwrites). */
export function freeFileName(base: string, extension: string, isTaken: (name: string) => boolean): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? `${base}${extension}` : `${base} (${n})${extension}`;
    if (!isTaken(name)) return name;
  }
}

/** A free name in `dir`: neither on disk nor in `taken`. */
export const freeNameIn = (dir: string, base: string, extension: string, taken: ReadonlySet<string> = new Set()): string =>
  freeFileName(base, extension, (name) => taken.has(name) || fs.existsSync(path.join(dir, name)));

const RESERVED_WINDOWS_NAMES = /^(con|prn|aux|nul|com\d|lpt\d)$/i;
const MAX_NAME_LENGTH = 150;

/** Replaces what Windows, macOS or Linux forbid in a file name; never empty. */
export function sanitizeFileName(name: string): string {
  const cleaned = name
    .replace(/[\u0000-\u001f<>:"/\\|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[. ]+$/, '')
    .slice(0, MAX_NAME_LENGTH)
    .trim();
  if (cleaned === '' || cleaned.startsWith('.')) return `image${cleaned}`;
  return RESERVED_WINDOWS_NAMES.test(cleaned) ? `${cleaned}_` : cleaned;
}
