/**
 * Export: each image re-encoded at 1×/2×/4×/8× (pixel-exact or smooth), as PNG with its
 * parameters embedded, or JPEG/WebP without; named from a template; delivered by the host
 * (native dialogs in Electron, downloads in the bridge). Nothing is overwritten silently.
 */
import fs from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import sharp from 'sharp';
import type { ExportOptions, ExportResult } from '../common/contract';
import { encodePng } from '../engine/index';
import { freeFileName, freeNameIn, sanitizeFileName } from '../library/file-names';
import { asStorageError, type LibraryImage } from '../library/index';
import { notFound, UserError } from './errors';
import type { Services } from './services';

/** A rendered image; its final name is chosen where it is delivered (free in that folder or batch). */
export interface ExportFile {
  baseName: string;
  extension: string;
  mimeType: string;
  bytes: Uint8Array;
}

type Options = Required<ExportOptions>;

export const EXPORT_FORMATS = {
  png: { extension: '.png', mimeType: 'image/png', label: 'PNG image' },
  jpeg: { extension: '.jpg', mimeType: 'image/jpeg', label: 'JPEG image' },
  webp: { extension: '.webp', mimeType: 'image/webp', label: 'WebP image' },
} as const;

const PROMPT_CHARS_IN_NAME = 80;
const pad = (n: number) => String(n).padStart(2, '0');

type Fill = (image: LibraryImage, index: number) => string;

/** A Map, not a plain object, so `{constructor}` or `{__proto__}` is unknown rather than inherited. */
const PLACEHOLDERS = new Map<string, Fill>(Object.entries({
  prompt: (image) => image.parameters.prompt.slice(0, PROMPT_CHARS_IN_NAME),
  seed: (image) => String(image.parameters.seed),
  id: (image) => image.id,
  model: (image) => image.parameters.modelId,
  index: (_image, index) => String(index + 1),
  date: (image) => {
    const d = new Date(image.createdAt);
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  },
  time: (image) => {
    const d = new Date(image.createdAt);
    return `${pad(d.getHours())}-${pad(d.getMinutes())}-${pad(d.getSeconds())}`;
  },
} satisfies Record<string, Fill>));

/** The template with its placeholders filled in, made safe as a file name (no extension). */
export function fileBaseName(template: string, image: LibraryImage, index: number): string {
  const filled = template.replace(/\{([^{}]*)\}/g, (_whole, name: string) => {
    const fill = PLACEHOLDERS.get(name);
    if (!fill) {
      const known = [...PLACEHOLDERS.keys()].map((key) => `{${key}}`).join(' ');
      throw new UserError(`Unknown placeholder {${name}} in the file-name template; use ${known}.`);
    }
    return fill(image, index);
  });
  return sanitizeFileName(filled);
}

/** The image file re-encoded as `options` ask. */
export async function renderExport(file: Uint8Array, image: LibraryImage, options: Options): Promise<Uint8Array> {
  const source = sharp(file);
  const { width = 0, height = 0 } = await source.metadata();
  const scaled = source.resize(width * options.scale, height * options.scale, {
    kernel: options.resample === 'nearest' ? 'nearest' : 'lanczos3',
  });
  switch (options.format) {
    case 'png': {
      const { data, info } = await scaled.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      const rgba = new Uint8ClampedArray(data.buffer, data.byteOffset, data.length);
      return encodePng({ width: info.width, height: info.height, data: rgba }, image.parameters, undefined, { width, height });
    }
    case 'jpeg':
      return scaled.flatten().jpeg({ quality: options.quality }).toBuffer(); // sharp drops metadata by default
    case 'webp':
      return scaled.webp({ quality: options.quality }).toBuffer();
  }
}

/** Every image rendered and given its template name; stops between images once `signal` fires (the requester is gone). */
export async function exportFiles(services: Pick<Services, 'library'>, ids: readonly string[], options: Options, signal?: AbortSignal): Promise<ExportFile[]> {
  const { images } = services.library;
  const { extension, mimeType } = EXPORT_FORMATS[options.format];
  const files: ExportFile[] = [];
  for (const [index, id] of ids.entries()) {
    if (signal?.aborted) throw new UserError(`Export stopped after ${index} of ${ids.length} images: whoever asked for it is gone.`);
    const image = images.get(id);
    if (!image) throw notFound('image', id);
    const bytes = images.readFile(id);
    if (!bytes) throw new UserError(`The file of "${image.parameters.prompt}" is missing from the library folder.`);
    const baseName = fileBaseName(options.nameTemplate, image, index);
    files.push({ baseName, extension, mimeType, bytes: await renderExport(bytes, image, options) });
  }
  return files;
}

/** The files as downloads, with names unique within the batch (`name (2).png`). */
export function asDownloads(files: readonly ExportFile[]): ExportResult {
  const taken = new Set<string>();
  return {
    kind: 'download',
    files: files.map(({ baseName, extension, mimeType, bytes }) => {
      const fileName = freeFileName(baseName, extension, (name) => taken.has(name));
      taken.add(fileName);
      return { fileName, mimeType, bytes };
    }),
  };
}

/**
 * A board's files as one zip download named after it, each entry named as `asDownloads`
 * names it. Stored, not deflated: the images are compressed already.
 */
export function asZipDownload(files: readonly ExportFile[], boardName: string): ExportResult {
  const result = asDownloads(files);
  if (result.kind !== 'download') return result;
  const entries = Object.fromEntries(result.files.map((file) => [file.fileName, file.bytes]));
  return {
    kind: 'download',
    files: [{ fileName: `${sanitizeFileName(boardName)}.zip`, mimeType: 'application/zip', bytes: zipSync(entries, { level: 0 }) }],
  };
}

/** A new folder named after the board inside `parent` (`Name (2)` when taken), holding the files; returns their paths. */
export function writeBoardFolder(parent: string, boardName: string, files: readonly ExportFile[]): string[] {
  const dir = path.join(parent, freeNameIn(parent, sanitizeFileName(boardName), ''));
  fs.mkdirSync(dir);
  return writeExportsToFolder(dir, files);
}

/**
 * Writes files into `dir`, each under a name not yet there (`name (2).png`); returns the
 * paths. All or nothing: when one cannot be written (a full disk, a read-only folder), the
 * ones this call wrote are removed and the reason is said in one sentence.
 */
export function writeExportsToFolder(dir: string, files: readonly ExportFile[]): string[] {
  const written: string[] = [];
  try {
    for (const file of files) written.push(writeNewFile(dir, file));
  } catch (error) {
    for (const target of written) fs.rmSync(target, { force: true });
    throw asStorageError(error, `the folder ${dir}`, 'No image was exported.');
  }
  return written;
}

/** One file under a free name in `dir`; a partial file is removed when the write fails. */
function writeNewFile(dir: string, file: ExportFile): string {
  for (;;) {
    const target = path.join(dir, freeNameIn(dir, file.baseName, file.extension));
    let created = false;
    try {
      const fd = fs.openSync(target, 'wx'); // 'wx' fails rather than overwrite a file made meanwhile
      created = true;
      try {
        fs.writeFileSync(fd, file.bytes);
      } finally {
        fs.closeSync(fd);
      }
      return target;
    } catch (error) {
      if (created) fs.rmSync(target, { force: true });
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
