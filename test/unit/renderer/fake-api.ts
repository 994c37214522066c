/**
 * An in-memory stand-in for main, speaking the contract's `PartiApi`, so that the stores can
 * be tested as plain TypeScript. Jobs do not run by themselves: tests push their events.
 */
import type {
  GalleryChanged,
  GalleryItem,
  GenerationFinished,
  GenerationProgress,
  ImageParameters,
  PartiApi,
  PromptEntry,
  SamplingSettings,
  SettingsState,
} from '../../../main/common/contract';
import type { Platform } from '../../../renderer/src/store';

export const SAMPLING: SamplingSettings = { guidance: 3, temperature: 1, topK: 64, topP: 1, candidates: 4 };
export const PIXEL_PNG = 'data:image/png;base64,iVBORw0KGgo=';

type Listener<T> = (payload: T) => void;

class Emitter<T> {
  private readonly listeners = new Set<Listener<T>>();
  on = (listener: Listener<T>) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };
  emit(payload: T) {
    for (const listener of this.listeners) listener(payload);
  }
}

export function parametersFor(prompt: string, seed: number, kind: ImageParameters['kind'] = 'generate'): ImageParameters {
  return { kind, prompt, seed, settings: SAMPLING, modelId: 'shapes-v1' };
}

export function galleryItem(id: string, prompt: string, createdAt: number, seed = 7): GalleryItem {
  return {
    id,
    prompt,
    seed,
    parameters: parametersFor(prompt, seed),
    modelId: 'shapes-v1',
    provider: 'cpu',
    createdAt,
    favourite: false,
    sourceId: null,
    missing: false,
    url: `parti://image/${id}`,
  };
}

export class FakeMain {
  readonly progress = new Emitter<GenerationProgress>();
  readonly finished = new Emitter<GenerationFinished>();
  readonly galleryChanged = new Emitter<GalleryChanged>();
  readonly settingsChanged = new Emitter<SettingsState>();
  readonly calls: { name: string; input: unknown }[] = [];

  items: (GalleryItem & { trashed?: boolean })[] = [];
  prompts: PromptEntry[] = [];
  knownWords = new Set(['red', 'blue', 'circle', 'square', 'a', 'on', 'the', 'left', 'right']);
  nextJob = 1;
  settings: SettingsState = {
    settings: {
      modelPackage: null,
      executionProvider: 'auto',
      sampling: SAMPLING,
      seedMode: 'random',
      lockedSeed: 1,
      export: { format: 'png', scale: 4, resample: 'nearest', nameTemplate: '{prompt}-{seed}', quality: 92 },
    },
    runtime: {
      model: { id: 'shapes-v1', name: 'Shapes world v1', resolution: 64, grid: 8, defaults: SAMPLING },
      modelError: null,
      activeProvider: 'cpu',
      availableProviders: ['cpu'],
      dataDir: '/tmp/parti-data',
      nextDataDir: null,
      host: 'bridge',
    },
  };

  private record(name: string, input: unknown) {
    this.calls.push({ name, input });
  }

  callsTo(name: string): unknown[] {
    return this.calls.filter((call) => call.name === name).map((call) => call.input);
  }

  readonly api: PartiApi = {
    generation: {
      start: async (input) => {
        this.record('generation.start', input);
        return { jobId: `job${this.nextJob++}`, seed: input.seed ?? 1234 };
      },
      cancel: async (input) => {
        this.record('generation.cancel', input);
        return { cancelled: true };
      },
      keep: async (input) => {
        this.record('generation.keep', input);
        const kept = input.indices.map((index) =>
          galleryItem(`${input.jobId}-${index}`, `kept ${index}`, Date.now() + index),
        );
        this.items.unshift(...kept);
        return { items: kept };
      },
      discard: async (input) => {
        this.record('generation.discard', input);
        return { ok: true };
      },
      onProgress: this.progress.on,
      onFinished: this.finished.on,
    },
    edit: {
      regenerate: async (input) => {
        this.record('edit.regenerate', input);
        return { jobId: `job${this.nextJob++}`, seed: input.seed ?? 99 };
      },
      maskCells: async ({ mask }) => {
        this.record('edit.maskCells', { mask });
        // Any masked pixel selects its cell, as the engine does.
        const grid = 8;
        const cellSize = mask.width / grid;
        const cells = new Set<number>();
        mask.data.forEach((value, i) => {
          if (value) cells.add(Math.floor(Math.floor(i / mask.width) / cellSize) * grid + Math.floor((i % mask.width) / cellSize));
        });
        return { grid, cells: [...cells].sort((a, b) => a - b) };
      },
    },
    gallery: {
      list: async (query = {}) => {
        this.record('gallery.list', query);
        const words = (query.search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
        const matches = this.items
          .filter((item) => !item.trashed)
          .filter((item) => !query.favouritesOnly || item.favourite)
          .filter((item) => words.every((word) => item.prompt.toLowerCase().includes(word)))
          .sort((a, b) => b.createdAt - a.createdAt);
        const offset = query.offset ?? 0;
        const items = matches.slice(offset, offset + (query.limit ?? 100)).map(({ trashed: _trashed, ...item }) => item);
        return { items, total: matches.length, offset };
      },
      get: async ({ id }) => this.itemById(id),
      setFavourite: async ({ id, favourite }) => {
        this.record('gallery.setFavourite', { id, favourite });
        const item = this.itemById(id);
        item.favourite = favourite;
        return { ...item };
      },
      trash: async ({ ids }) => {
        this.record('gallery.trash', { ids });
        for (const id of ids) this.itemById(id).trashed = true;
        return { ids };
      },
      restore: async ({ ids }) => {
        this.record('gallery.restore', { ids });
        for (const id of ids) this.itemById(id).trashed = false;
        return { ids };
      },
      reveal: async ({ id }) => ({ revealed: false, path: `/tmp/parti-data/images/${id}.png` }),
      startDrag: async () => ({ started: false }),
      onChanged: this.galleryChanged.on,
    },
    prompts: {
      list: async (query = {}) => {
        this.record('prompts.list', query);
        const search = (query.search ?? '').toLowerCase();
        const items = this.prompts
          .filter((entry) => entry.text.toLowerCase().includes(search))
          .sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.lastUsedAt - a.lastUsedAt);
        return { items };
      },
      record: async ({ text, settings }) => {
        const entry = { id: this.prompts.length + 1, text, settings, lastUsedAt: Date.now(), count: 1, pinned: false };
        this.prompts.push(entry);
        return entry;
      },
      pin: async ({ id, pinned }) => {
        const entry = this.prompts.find((prompt) => prompt.id === id);
        if (!entry) throw new Error(`no prompt ${id}`);
        entry.pinned = pinned;
        return { ...entry };
      },
      unknownWords: async ({ text }) => {
        this.record('prompts.unknownWords', { text });
        const words = [...text.matchAll(/[A-Za-z0-9]+/g)]
          .filter((match) => !this.knownWords.has(match[0].toLowerCase()))
          .map((match) => ({ word: match[0].toLowerCase(), start: match.index, end: match.index + match[0].length, suggestion: 'circle' }));
        return { words };
      },
    },
    files: {
      importImage: async (file) => {
        this.record('files.importImage', file);
        if (file.name.endsWith('.broken.png')) throw new Error('the file is not a valid PNG');
        const parameters = file.name.startsWith('parti-') ? parametersFor('a red circle', 42) : null;
        return { importId: 'import1', image: PIXEL_PNG, parameters };
      },
      readParameters: async () => ({ parameters: null }),
    },
    export: {
      image: async (input) => {
        this.record('export.image', input);
        return { kind: 'download', files: [{ fileName: `${input.id}.png`, mimeType: 'image/png', bytes: new Uint8Array([1]) }] };
      },
      images: async (input) => {
        this.record('export.images', input);
        return { kind: 'saved', paths: input.ids.map((id) => `/out/${id}.png`) };
      },
    },
    settings: {
      get: async () => this.settings,
      set: async (patch) => {
        this.record('settings.set', patch);
        const current = this.settings.settings;
        this.settings = {
          ...this.settings,
          settings: {
            ...current,
            ...patch,
            sampling: { ...current.sampling, ...patch.sampling },
            export: { ...current.export, ...patch.export },
          } as SettingsState['settings'],
        };
        return this.settings;
      },
      chooseModelPackage: async () => this.settings,
      chooseDataDir: async () => this.settings,
      onChanged: this.settingsChanged.on,
    },
    library: {
      info: async () => ({ dataDir: '/tmp/parti-data', images: this.items.length, favourites: 0, trashed: 0, missing: 0, prompts: 0, reimportedAtStart: 0 }),
      reveal: async () => ({ revealed: false, path: '/tmp/parti-data' }),
    },
  };

  private itemById(id: string) {
    const item = this.items.find((candidate) => candidate.id === id);
    if (!item) throw new Error(`no image ${id}`);
    return item;
  }
}

/** Runs debounced work at once, and records downloads and copies. */
export function testPlatform() {
  const downloads: { fileName: string }[] = [];
  const copied: string[] = [];
  const platform: Platform = {
    download: (file) => void downloads.push(file),
    copyText: async (text) => void copied.push(text),
    setTimeout: (run) => {
      run();
      return 0;
    },
    clearTimeout: () => undefined,
  };
  return { platform, downloads, copied };
}

/** Lets pending promise chains settle. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
