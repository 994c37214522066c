/**
 * The real main-side implementation, in this process: `createStudio` on a fresh data folder
 * with the tiny test package, reached through the proxy the renderer uses, over a transport
 * that records every call. Store tests and studio tests drive this, never a hand-written
 * stand-in, so they check the main that ships.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { events, type GenerationFinished, type PartiApi } from '../../main/common/contract';
import { buildApi } from '../../main/common/proxy';
import type { HubOptions } from '../../main/studio/downloads';
import { asDownloads, asZipDownload, writeBoardFolder, writeExportsToFolder } from '../../main/studio/export';
import { createStudio, type Host, type Studio } from '../../main/studio/index';
import { inProcessEngineLauncher } from './in-process-engine';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export interface InProcessStudioOptions {
  /** The data folder; a fresh temporary one when left out (and removed on close). */
  dataDir?: string;
  /** Fills the data folder before the studio opens it. */
  seed?: (dataDir: string) => void;
  /** "electron" exports to `exportDir` as its folder dialog would; "bridge" answers with downloads. */
  host?: 'electron' | 'bridge';
  /** "process" runs the engine in its own process as the hosts do; "in-process" (the default) serves it here. */
  engine?: 'process' | 'in-process';
  /** Runs before a call's answer is handed back, e.g. to let events overtake it. */
  beforeAnswer?: (wireName: string) => Promise<void>;
  /** The Hub that models are downloaded from (a mock one on 127.0.0.1 in tests). */
  hub?: HubOptions;
}

export interface InProcessStudio {
  api: PartiApi;
  studio: Studio;
  dataDir: string;
  exportDir: string;
  /** Every call made through `api`, in order. */
  calls: { name: string; input: unknown }[];
  /** What the Electron-like host put on the clipboard. */
  clipboard: { file: string; text: string }[];
  callsTo(name: string): unknown[];
  /** Resolves with the next event of that wire name (e.g. "generation.finished"). */
  nextEvent<T = unknown>(wireName: string): Promise<T>;
  /** Reopens the studio on the same data folder, as a restart does. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function openInProcessStudio(options: InProcessStudioOptions = {}): Promise<InProcessStudio> {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'parti-in-process-'));
  const dataDir = options.dataDir ?? path.join(temp, 'data');
  const exportDir = path.join(temp, 'exports');
  fs.mkdirSync(exportDir);
  options.seed?.(dataDir);
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextDataDir: string | null = null;
  const copiedToClipboard: { file: string; text: string }[] = [];
  const kind = options.host ?? 'bridge';
  const host: Host = {
    kind,
    imageUrl: (id) => (kind === 'electron' ? `parti://image/${id}` : `/image/${id}`),
    reveal: async () => kind === 'electron',
    copyImage: async (file, text) => kind === 'electron' && copiedToClipboard.push({ file, text }) > 0,
    deliverExport: async (files) => (kind === 'electron' ? { kind: 'saved', paths: writeExportsToFolder(exportDir, files) } : asDownloads(files)),
    deliverBoard: async (files, boardName) =>
      kind === 'electron' ? { kind: 'saved', paths: writeBoardFolder(exportDir, boardName, files) } : asZipDownload(files, boardName),
    chooseFolder: async () => (kind === 'electron' ? exportDir : null),
    ...(kind === 'electron' ? { nextDataDir: { get: () => nextDataDir, set: (dir: string) => void (nextDataDir = dir) } } : {}),
  };
  const open = () =>
    createStudio({
      dataDir,
      host,
      embeddedModelsDir: FIXTURES,
      ...(options.engine === 'process' ? {} : { launchEngine: inProcessEngineLauncher() }),
      ...(options.hub ? { hub: options.hub } : {}),
      send: (name, payload) => listeners.get(name)?.forEach((listener) => listener(payload)),
      log: () => undefined,
    });

  const calls: { name: string; input: unknown }[] = [];
  let studio = open();
  await studio.ready;
  const api = buildApi({
    async call(name, input) {
      calls.push({ name, input });
      const envelope = await studio.dispatch(name, input, { startDrag: () => false });
      await options.beforeAnswer?.(name);
      return envelope;
    },
    subscribe(name, listener) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set.add(listener));
      return () => void set.delete(listener);
    },
  });

  const nextEvent = <T>(wireName: string) => {
    if (!events.some((event) => event.wireName === wireName)) throw new Error(`the contract has no event ${wireName}`);
    return new Promise<T>((resolve) => {
      const set = listeners.get(wireName) ?? new Set();
      const once = (payload: unknown) => (set.delete(once), resolve(payload as T));
      listeners.set(wireName, set.add(once));
    });
  };

  return {
    api,
    get studio() {
      return studio;
    },
    dataDir,
    exportDir,
    calls,
    clipboard: copiedToClipboard,
    callsTo: (name) => calls.filter((call) => call.name === name).map((call) => call.input),
    nextEvent,
    async restart() {
      await studio.close();
      studio = open();
      await studio.ready;
    },
    async close() {
      await studio.close();
      fs.rmSync(temp, { recursive: true, force: true });
    },
  };
}

/** Starts a generation and waits for its outcome. */
export async function generateOnce(harness: InProcessStudio, prompt: string, seed: number, candidates = 2): Promise<{ jobId: string; finished: GenerationFinished }> {
  const finished = harness.nextEvent<GenerationFinished>('generation.finished');
  const { jobId } = await harness.api.generation.start({ prompt, seed, settings: { guidance: 3, temperature: 1, topK: 64, topP: 1, candidates } });
  return { jobId, finished: await finished };
}
