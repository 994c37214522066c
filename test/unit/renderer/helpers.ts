/**
 * A store over the real main-side implementation (in this process, tiny test package), with
 * a platform that runs debounced work at once and records downloads and copies.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { ImageParameters } from '../../../main/common/contract';
import { encodePng } from '../../../main/engine/png';
import { Library } from '../../../main/library/index';
import { parametersIn } from '../../../main/studio/imports';
import { createStudioStore, loadStudio, type Platform } from '../../../renderer/src/store';
import { openInProcessStudio, type InProcessStudio, type InProcessStudioOptions } from '../in-process-studio';

const open: InProcessStudio[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((harness) => harness.close()));
});

export function testPlatform() {
  const downloads: { fileName: string }[] = [];
  const copied: string[] = [];
  const copiedImages: { url: string; text: string }[] = [];
  const platform: Platform = {
    download: (file) => void downloads.push(file),
    copyText: async (text) => void copied.push(text),
    copyImage: async (url, text) => void copiedImages.push({ url, text }),
    setTimeout: (run) => {
      run();
      return 0;
    },
    clearTimeout: () => undefined,
    session: memoryStorage(),
  };
  return { platform, downloads, copied, copiedImages };
}

/** Session storage in memory; pass one to two stores to stand for a page and its reload. */
export function memoryStorage(): Platform['session'] {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

/** A loaded store over a fresh in-process main; closed after the test. */
export async function studioWithMain(options: InProcessStudioOptions & { session?: Platform['session'] } = {}) {
  const main = await openInProcessStudio(options);
  open.push(main);
  const { platform, downloads, copied, copiedImages } = testPlatform();
  const store = createStudioStore({ api: main.api, platform: { ...platform, ...(options.session ? { session: options.session } : {}) } });
  await loadStudio(store);
  return { main, store, state: () => store.getState(), downloads, copied, copiedImages };
}

export const parametersFor = (prompt: string, seed: number): ImageParameters => ({
  kind: 'generate',
  prompt,
  seed,
  settings: { guidance: 3, temperature: 1, topK: 64, topP: 1, candidates: 4 },
  modelId: 'tiny-test',
});

/** A 64 × 64 PNG as the engine writes them, carrying `parameters`. */
export const pngFor = (parameters: ImageParameters): Uint8Array =>
  encodePng({ width: 64, height: 64, data: new Uint8ClampedArray(64 * 64 * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 13 + parameters.seed) & 0xff)) }, parameters);

/** Seeds the data folder with one image per prompt, the first the newest; returns their ids. */
export function addImages(dataDir: string, prompts: readonly string[]): string[] {
  const library = Library.open({ dataDir, readParameters: parametersIn });
  try {
    const now = Date.now();
    const images = prompts.map((prompt, i) => {
      const parameters = parametersFor(prompt, i);
      return { png: pngFor(parameters), parameters, provider: 'cpu', createdAt: now - i * 1000 };
    });
    return library.images.add(images).map((image) => image.id);
  } finally {
    library.close();
  }
}

/** Waits until `ready()` holds (main's work runs on its own time), failing after `timeoutMs`. */
export async function until(ready: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for main');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function lastNotice(state: { workspace: { notices: { message: string }[] } }): string | undefined {
  return state.workspace.notices.at(-1)?.message;
}

export const exportedFiles = (main: InProcessStudio): string[] => fs.readdirSync(main.exportDir).map((file) => path.basename(file));

/**
 * A store over a fresh main in which the engine has made a run of two for `prompt` (so its PNGs
 * carry their tokens); `best` is that run's best candidate.
 */
export async function studioWithGeneratedImage(prompt: string) {
  const studio = await studioWithMain();
  const { state } = studio;
  await state().settings.update({ sampling: { candidates: 2 } });
  state().prompt.setText(prompt);
  await state().generation.generate();
  await until(() => state().generation.job?.status === 'done');
  return { ...studio, best: state().generation.job!.candidates[0]! };
}
