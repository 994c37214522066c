/**
 * The main-side implementation with the real engine on the tiny test package, through the
 * same dispatch both hosts use: editing, cancelling, settings that persist, export naming
 * and folder exports that never overwrite.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GenerationFinished, PartiApi } from '../../../main/common/contract';
import { readPngText, readPngTokens } from '../../../main/engine/png';
import { fileBaseName } from '../../../main/studio/export';
import { parametersIn } from '../../../main/studio/imports';
import { FIXTURES, generateOnce, openInProcessStudio, type InProcessStudio } from '../in-process-studio';
import { compressedTextChunk, hugeCanvas, smallPng, withChunks } from '../engine/bad-images';

const settings = { guidance: 3, temperature: 1, topK: 64, topP: 1, candidates: 2 };

/** With Electron's host: its folder dialog answers with the export folder. */
let main: InProcessStudio;
let api: PartiApi;
let dataDir: string;
let exportDir: string;

const nextFinished = () => main.nextEvent<GenerationFinished>('generation.finished');

/** Runs a generation; main saves its candidates itself. Returns their gallery items, best first. */
async function generateRun(prompt: string, seed: number) {
  const { finished } = await generateOnce(main, prompt, seed);
  if (finished.outcome !== 'done') throw new Error(`generation ${finished.outcome}`);
  return Promise.all(finished.candidates.map((candidate) => api.gallery.get({ id: candidate.imageId })));
}

/** The bytes of a gallery image's file. */
const readFileOf = (id: string): Uint8Array => fs.readFileSync(main.studio.imageFile(id)!);

beforeAll(async () => {
  main = await openInProcessStudio({ host: 'electron' });
  ({ api, dataDir, exportDir } = main);
});
afterAll(() => main.close());

describe('generation and editing', () => {
  test('a finished run is saved whole with nobody keeping it: one run, best first, each with its rank', async () => {
    const items = await generateRun('a blue square', 11);
    expect(items.map((item) => item.parameters.rank)).toEqual([0, 1]);
    expect(new Set(items.map((item) => item.runId)).size).toBe(1);
    expect(items[0]!.url).toBe(`parti://image/${items[0]!.id}`);
    const listed = (await api.gallery.list()).items.filter((item) => item.runId === items[0]!.runId);
    expect(listed.map((item) => item.id)).toEqual(items.map((item) => item.id));
    expect((await api.gallery.list({ search: '11' })).items.map((item) => item.id)).toEqual(items.map((item) => item.id));
  });

  test('the latest run is there to reattach to: while it runs, and once it is over', async () => {
    const finished = nextFinished();
    const progressed = new Promise<void>((resolve) => {
      const off = api.generation.onProgress(() => (off(), resolve()));
    });
    const { jobId } = await api.generation.start({ prompt: 'a green cross', settings, seed: 4 });
    await progressed;
    const running = await api.generation.current();
    expect(running).toMatchObject({ jobId, kind: 'generate', prompt: 'a green cross', seed: 4, candidateCount: 2, finished: null });
    const result = await finished;
    expect((await api.generation.current())?.finished).toEqual(result);
  });

  test('an edit regenerates masked cells and is kept linked to its source', async () => {
    const [source] = await generateRun('a red circle', 3);
    const side = 64;
    const mask = { width: side, height: side, data: new Uint8Array(side * side).map((_, i) => (i % side < side / 2 ? 1 : 0)) };
    expect((await api.edit.maskCells({ mask })).cells).toEqual(
      Array.from({ length: 64 }, (_, cell) => cell).filter((cell) => cell % 8 < 4),
    );
    const finished = nextFinished();
    await api.edit.regenerate({ source: { kind: 'image', id: source!.id }, prompt: 'a red circle', mask, settings, seed: 5 });
    const result = await finished;
    if (result.outcome !== 'done') throw new Error(`edit ${result.outcome}`);
    expect(result.candidates[0]!.parameters).toMatchObject({ kind: 'edit', sourceId: source!.id });
    // The masked left half is followed by kept cells, so each candidate reports its fit, best first.
    const fits = result.candidates.map((candidate) => candidate.fit!);
    expect(fits.every(Number.isFinite)).toBe(true);
    expect(fits).toEqual([...fits].sort((a, b) => b - a));
    const saved = await api.gallery.get({ id: result.candidates[0]!.imageId });
    expect(saved).toMatchObject({ parameters: { kind: 'edit', sourceId: source!.id, rank: 0 } });
  });

  test('an extension is saved larger, linked to its source both ways, with its side, amount and whole canvas in the file; bad amounts are refused in one line', async () => {
    const [source] = await generateRun('a red circle at the left', 8);
    const finished = nextFinished();
    await api.edit.extend({ source: { kind: 'image', id: source!.id }, prompt: 'a green cross at the right', side: 'right', by: 3, settings, seed: 9 });
    const result = await finished;
    if (result.outcome !== 'done') throw new Error(`extend ${result.outcome}`);
    const saved = await api.gallery.get({ id: result.candidates[0]!.imageId });
    expect(saved.parameters).toMatchObject({ kind: 'extend', sourceId: source!.id, extension: { side: 'right', by: 3, columns: 11, rows: 8 } });
    const file = readFileOf(saved.id);
    expect(await sharp(file).metadata()).toMatchObject({ width: 88, height: 64 });
    expect(readPngTokens(file)?.tokens).toHaveLength(88);
    expect(readPngText(file).parameters).toContain(`Source: ${source!.id}, Extend: right by 3`);
    const kept = await sharp(file).extract({ left: 0, top: 0, width: 64, height: 64 }).raw().toBuffer();
    expect(kept.equals(await sharp(readFileOf(source!.id)).raw().toBuffer())).toBe(true);
    expect((await api.gallery.details({ id: source!.id })).derived.map((link) => link.item.id)).toEqual(expect.arrayContaining([saved.id]));
    expect((await api.gallery.details({ id: saved.id })).source?.item.id).toBe(source!.id);

    await expect(api.edit.extend({ source: { kind: 'image', id: source!.id }, prompt: 'x', side: 'right', by: 0, settings, seed: 1 })).rejects.toThrow(/by: extend by at least 1 token row or column/);
    const refused = nextFinished();
    await api.edit.extend({ source: { kind: 'image', id: source!.id }, prompt: 'x', side: 'top', by: 9, settings, seed: 1 });
    expect(await refused).toMatchObject({ outcome: 'failed', error: "Cannot extend by 9: the amount is a whole number of token rows from 1 to 8 (the model's grid)." });
  });

  test('gallery.details gives an image’s place in its run, its timings and its lineage both ways; gallery.get refuses a trashed image', async () => {
    const [best, second] = await generateRun('a green square', 21);
    const finished = nextFinished();
    await api.variations.make({ source: { kind: 'image', id: best!.id }, prompt: 'a green square', strength: 0.5, keep: 'rows', settings, seed: 22 });
    const variation = await finished;
    if (variation.outcome !== 'done') throw new Error(`variation ${variation.outcome}`);

    const sourceDetails = await api.gallery.details({ id: best!.id });
    expect(sourceDetails).toMatchObject({ trashed: false, runSize: 2, source: null, sourceGone: false });
    expect(sourceDetails.runMates.map((mate) => mate.id)).toEqual([second!.id]);
    expect(sourceDetails.derived.map((link) => link.item.id)).toEqual(variation.candidates.map((candidate) => candidate.imageId));
    const { timings } = sourceDetails;
    expect(timings!.totalMs).toBeGreaterThan(0);
    expect(timings!.decodeMs).toBeLessThanOrEqual(timings!.totalMs);

    const derived = await api.gallery.details({ id: variation.candidates[1]!.imageId });
    expect(derived).toMatchObject({ runSize: 2, item: { parameters: { rank: 1, kind: 'variation' } }, source: { item: { id: best!.id }, trashed: false } });

    await api.gallery.trash({ ids: [best!.id] });
    await expect(api.gallery.get({ id: best!.id })).rejects.toThrow(/^That image is in the trash: restore it to use it\.$/);
    expect((await api.gallery.details({ id: variation.candidates[0]!.imageId })).source).toMatchObject({ item: { id: best!.id }, trashed: true });
    await api.gallery.restore({ ids: [best!.id] });
    await expect(api.gallery.details({ id: 'nothing-here' })).rejects.toThrow(/No image/);
  });

  test('variations keep the source’s top rows, run through the engine process and are saved linked to their source', async () => {
    const [source] = await generateRun('a red circle', 6);
    const sourceTokens = readPngTokens(readFileOf(source!.id))!.tokens;
    const finished = nextFinished();
    await api.variations.make({ source: { kind: 'image', id: source!.id }, prompt: 'a blue circle', strength: 0.5, keep: 'rows', settings, seed: 12 });
    const result = await finished;
    if (result.outcome !== 'done') throw new Error(`variation ${result.outcome}`);
    expect((await api.generation.current())?.kind).toBe('variation');
    for (const candidate of result.candidates) {
      const saved = await api.gallery.get({ id: candidate.imageId });
      expect(saved.parameters).toMatchObject({ kind: 'variation', prompt: 'a blue circle', sourceId: source!.id, variation: { strength: 0.5, keep: 'rows' } });
      const png = readFileOf(candidate.imageId);
      expect(Array.from(readPngTokens(png)!.tokens.subarray(0, 32))).toEqual(Array.from(sourceTokens.subarray(0, 32)));
      expect(readPngText(png).parameters).toMatch(/Source: .*, Variation strength: 0\.5, Variation keep: rows$/);
    }
  });

  test('variations refuse a strength outside 0 to 1 and an unknown keep mode in one line', async () => {
    const [source] = await generateRun('a red circle', 7);
    const make = (strength: number, keep: string) =>
      api.variations.make({ source: { kind: 'image', id: source!.id }, prompt: 'a red circle', strength, keep: keep as 'rows', settings, seed: 1 });
    await expect(make(1.5, 'rows')).rejects.toThrow(/^variations.make: invalid request: strength: strength is at most 1$/);
    await expect(make(-0.1, 'cells')).rejects.toThrow(/^variations.make: invalid request: strength: strength is at least 0$/);
    await expect(make(0.5, 'columns')).rejects.toThrow(/^variations.make: invalid request: keep: /);
    await expect(api.variations.make({ source: { kind: 'image', id: 'no-such-image' }, prompt: 'a red circle', strength: 0.5, keep: 'rows', settings, seed: 1 })).rejects.toThrow(/no-such-image/);
  });

  test('a dropped JPEG is cropped to a square for the editor and can be edited', async () => {
    const jpeg = await sharp({ create: { width: 120, height: 80, channels: 3, background: '#3366cc' } }).jpeg().toBuffer();
    const imported = await api.files.importImage({ name: 'photo.jpg', bytes: new Uint8Array(jpeg) });
    expect(imported.parameters).toBeNull();
    const png = Buffer.from(imported.image.split(',')[1]!, 'base64');
    expect(await sharp(png).metadata()).toMatchObject({ width: 64, height: 64 });
    const finished = nextFinished();
    const mask = { width: 8, height: 8, data: new Uint8Array(64).fill(1) };
    await api.edit.regenerate({ source: { kind: 'import', id: imported.importId }, prompt: 'a green cross', mask, settings, seed: null });
    expect((await finished).outcome).toBe('done');
  });

  test('a truncated PNG, a pixel bomb and a PNG text bomb dropped in are refused in one line each', async () => {
    const png = await smallPng();
    const drop = (name: string, bytes: Uint8Array) => api.files.importImage({ name, bytes: new Uint8Array(bytes) });
    await expect(drop('cut.png', png.subarray(0, png.length - 12))).rejects.toThrow(/^Cannot read the image as an image \(the PNG file is truncated: it has no IEND chunk\)\.$/);
    await expect(drop('huge.png', await hugeCanvas(16000, 'png'))).rejects.toThrow(/^Cannot read the image: it is 16000 × 16000 pixels; the most this app reads is 8192 × 8192/);
    const bomb = withChunks(png, [compressedTextChunk('parti-studio', 64 * 1024 * 1024)]);
    await expect(api.files.readParameters({ name: 'bomb.png', bytes: new Uint8Array(bomb) })).rejects.toThrow(/^This PNG is not one this app can read: its text chunk "parti-studio" inflates to more than 1 MB\.$/);
  });

  test('cancel stops a running job', async () => {
    const finished = nextFinished();
    const { jobId } = await api.generation.start({ prompt: 'a big yellow triangle', settings: { ...settings, candidates: 8 }, seed: 1 });
    expect(await api.generation.cancel({ jobId })).toEqual({ cancelled: true });
    expect(await finished).toEqual({ jobId, outcome: 'cancelled' });
    expect(await api.generation.cancel({ jobId })).toEqual({ cancelled: false });
    expect((await api.gallery.list({ search: 'yellow triangle' })).total).toBe(0);
  });

  test('unknown words are located in the prompt as typed', async () => {
    const { words } = await api.prompts.unknownWords({ text: 'A Red  zorblax, circle' });
    expect(words).toEqual([{ word: 'zorblax', start: 7, end: 14, suggestion: null }]);
  });
});

describe('export', () => {
  test('templates fill placeholders and refuse unknown ones', () => {
    const image = { id: 'i1', parameters: { prompt: 'a red: circle?', seed: 9, modelId: 'm' }, createdAt: new Date(2024, 0, 2, 3, 4, 5).getTime() };
    const fill = (template: string) => fileBaseName(template, image as never, 2);
    expect(fill('{prompt} {seed} {index} {date} {time} {model} {id}')).toBe('a red_ circle_ 9 3 2024-01-02 03-04-05 m i1');
    expect(fill('../{seed}')).toBe('image.._9'); // no hidden files, no folders
    expect(fill('CON')).toBe('CON_');
    expect(() => fill('{nope}')).toThrow('Unknown placeholder {nope}');
  });

  test('several images go into a folder at 8× nearest, never over existing files', async () => {
    const { items } = await api.gallery.list({ search: 'blue square' });
    fs.writeFileSync(path.join(exportDir, '11.png'), 'already here');
    const result = await api.export.images({
      ids: items.map((item) => item.id),
      options: { format: 'png', scale: 8, resample: 'nearest', nameTemplate: '{seed}' },
    });
    if (result.kind !== 'saved') throw new Error('expected saved files');
    expect(result.paths.map((p) => path.basename(p))).toEqual(['11 (2).png', '11 (3).png']);
    expect(fs.readFileSync(path.join(exportDir, '11.png'), 'utf8')).toBe('already here');
    const exported = fs.readFileSync(result.paths[0]!);
    expect(await sharp(exported).metadata()).toMatchObject({ width: 512, height: 512 });
    expect(parametersIn(exported)).toMatchObject({ prompt: 'a blue square', seed: 11 });
    // The A1111 text names the model's own size, not the export's, and the run's best as rank 1.
    expect(readPngText(exported).parameters).toMatch(/, Seed: 11, Rank: 1, Size: 64x64, /);
  });
});

describe('settings', () => {
  test('sampling starts from the open model’s defaults and follows a switch of model', async () => {
    const tinyDefaults = { guidance: 3, temperature: 1, topK: 64, topP: 1, candidates: 8 };
    expect((await api.settings.get()).settings.sampling).toEqual(tinyDefaults);
    const other = path.join(exportDir, '..', 'other-model');
    fs.cpSync(path.join(FIXTURES, 'tiny-package'), other, { recursive: true });
    const manifestPath = path.join(other, 'manifest.json');
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
    fs.writeFileSync(manifestPath, JSON.stringify({ ...manifest, id: 'other', defaults: { ...manifest.defaults, guidance: 2, candidates: 3 } }));
    const switched = await api.settings.set({ modelPackage: other, sampling: { topK: 32 } });
    expect(switched.runtime.model?.id).toBe('other');
    expect(switched.settings.sampling).toEqual({ ...tinyDefaults, guidance: 2, candidates: 3, topK: 32 });
    expect((await api.settings.set({ modelPackage: null })).settings.sampling).toEqual(tinyDefaults);
  });

  test('persist across restarts, field by field, and report the model in use', async () => {
    await api.settings.set({ sampling: { guidance: 5 }, seedMode: 'locked', lockedSeed: 42, export: { scale: 4 } });
    await main.restart();
    const { settings: saved, runtime } = await api.settings.get();
    expect(saved).toMatchObject({ seedMode: 'locked', lockedSeed: 42, sampling: { guidance: 5, topK: 64 }, export: { scale: 4 } });
    expect(runtime).toMatchObject({ host: 'electron', dataDir, model: { id: 'tiny-test' } });
    expect((await api.library.info()).images).toBeGreaterThan(0);
    await expect(api.settings.set({ sampling: { topP: 0 } })).rejects.toThrow('settings.set: invalid request: sampling.topP');
  });

  test('a data folder chosen in Electron is reported for the next launch', async () => {
    expect((await api.settings.get()).runtime.nextDataDir).toBeNull();
    expect((await api.settings.chooseDataDir()).runtime).toMatchObject({ dataDir, nextDataDir: exportDir });
  });
});
