/**
 * Downloads of Hugging Face repositories into `<data folder>/models/<owner>--<name>/`,
 * through @huggingface/hub (its file listing, its resolve URLs and its ranged blobs). Files
 * are fetched into `<data folder>/downloads/<owner>--<name>/` and the folder is moved into
 * models/ only once every file has its listed size and sha256, so a half-fetched folder is
 * never offered as a model. What was fetched stays on disk across pauses, failures and
 * restarts; resuming asks only for the missing bytes (HTTP Range). The unfinished downloads
 * are kept in the library database.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fsp, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { downloadFile, HubApiError, listFiles, type ListFileEntry } from '@huggingface/hub';
import { z } from 'zod';
import type { DownloadRequest, DownloadStatus, HubListing } from '../common/contract';
import { formatBytes } from '../common/limits';
import { PRECISION_SUFFIX } from '../engine/index';
import { UserError } from './errors';

export const DEFAULT_HUB_URL = 'https://huggingface.co';
const RECORDS_KEY = 'downloads';
/** Written into a finished download: where it came from, for the model list. */
export const SOURCE_NOTE = 'parti-source.json';
const PROGRESS_INTERVAL_MS = 150;
const SPEED_WINDOW_MS = 5000;

export interface HubOptions {
  /** The Hub or a mirror of it (what HF_ENDPOINT names). */
  hubUrl: string;
  /** For gated and private repositories (HF_TOKEN). */
  accessToken?: string;
  /** Free bytes on the disk holding `dir`; `fs.statfs` unless a test answers. */
  freeBytes?: (dir: string) => Promise<number>;
  /** Appends fetched bytes to a file; a test makes it fail as a full disk does. */
  append?: (file: FileHandle, chunk: Uint8Array) => Promise<unknown>;
}

/** `HF_ENDPOINT` and `HF_TOKEN`, as the Hugging Face tools read them. */
export function hubOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): HubOptions {
  return { hubUrl: env.HF_ENDPOINT?.replace(/\/+$/, '') || DEFAULT_HUB_URL, ...(env.HF_TOKEN ? { accessToken: env.HF_TOKEN } : {}) };
}

const PlannedFile = z.object({ path: z.string(), size: z.number().int().nonnegative(), sha256: z.string().nullable() });
type PlannedFile = z.infer<typeof PlannedFile>;
const DownloadRecord = z.object({
  id: z.string(),
  repo: z.string(),
  revision: z.string(),
  precision: z.string(),
  files: z.array(PlannedFile),
  /** Files whose size and hash were checked, so a resume does not hash them again. */
  verified: z.array(z.string()),
  state: z.enum(['downloading', 'verifying', 'paused', 'failed']),
  error: z.string().nullable(),
});
type DownloadRecord = z.infer<typeof DownloadRecord>;

export const SourceNote = z.object({ repo: z.string(), revision: z.string(), precision: z.string() });

// ---------------------------------------------------------------------------------------
// Which files a precision needs

/** Longest suffix first, so `_q4f16` is not read as `_q4`; fp32's empty suffix last. */
const SUFFIXES = Object.entries(PRECISION_SUFFIX).sort((a, b) => b[1].length - a[1].length);

function graphOf(filePath: string): { graph: string; precision: string } | null {
  const match = /^onnx\/(.+)\.onnx$/.exec(filePath);
  if (!match) return null;
  const base = match[1]!;
  const [precision, suffix] = SUFFIXES.find(([, s]) => s === '' || base.endsWith(s))!;
  return { graph: base.slice(0, base.length - suffix.length), precision };
}

/**
 * The files of one precision: every file outside onnx/, each graph in that precision (in
 * fp32 where the repository has no copy in it), and the graphs' external data files.
 * Null when the language model is not published in that precision.
 */
export function filesFor(entries: readonly ListFileEntry[], precision: string): PlannedFile[] | null {
  const files = entries.filter((entry) => entry.type === 'file');
  const graphs = new Map<string, Map<string, ListFileEntry>>();
  for (const entry of files) {
    const graph = graphOf(entry.path);
    if (graph) graphs.set(graph.graph, (graphs.get(graph.graph) ?? new Map()).set(graph.precision, entry));
  }
  if (!graphs.get('language_model')?.has(precision)) return null;
  const chosen = [...graphs.values()].flatMap((byPrecision) => {
    const entry = byPrecision.get(precision) ?? byPrecision.get('fp32');
    return entry ? [entry] : [];
  });
  const chosenPaths = chosen.map((entry) => entry.path);
  const wanted = files.filter(
    (entry) =>
      chosenPaths.includes(entry.path) ||
      (!entry.path.startsWith('onnx/') && !entry.path.startsWith('.')) ||
      chosenPaths.some((graph) => entry.path.startsWith(`${graph}_data`)),
  );
  return wanted.map((entry) => ({ path: entry.path, size: entry.lfs?.size ?? entry.size, sha256: entry.lfs?.oid ?? null }));
}

/** The precisions a listing offers, smallest download first. */
export function precisionsOf(entries: readonly ListFileEntry[]): HubListing['precisions'] {
  return Object.keys(PRECISION_SUFFIX)
    .flatMap((precision) => {
      const files = filesFor(entries, precision);
      return files ? [{ precision, files: files.length, bytes: files.reduce((sum, file) => sum + file.size, 0) }] : [];
    })
    .sort((a, b) => a.bytes - b.bytes);
}

// ---------------------------------------------------------------------------------------
// Messages

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

function codeOf(error: unknown): string | undefined {
  const direct = (error as { code?: unknown } | null)?.code;
  if (typeof direct === 'string') return direct;
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause !== undefined && cause !== error ? codeOf(cause) : undefined;
}

const messageText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** One line saying what went wrong with the Hub, for every failure it has. */
export function describeHubFailure(error: unknown, repo: string, hubUrl: string): string {
  if (error instanceof UserError) return error.message;
  const host = new URL(hubUrl).host;
  if (error instanceof HubApiError) {
    if (error.statusCode === 404) return `The repository "${repo}" was not found on ${host}: check its id (owner/name); a private one also needs HF_TOKEN.`;
    if (error.statusCode === 401 || error.statusCode === 403) {
      return `"${repo}" is gated: accept its licence at ${hubUrl}/${repo} while signed in, then start Parti Studio with HF_TOKEN set to an access token of that account.`;
    }
    return `${host} answered ${error.statusCode} for "${repo}": ${error.message.split('. URL:')[0]}.`;
  }
  const code = codeOf(error);
  if (code === 'ENOSPC') return `The disk is full: "${repo}" could not be written. Free some space, then resume.`;
  if ((code !== undefined && NETWORK_CODES.has(code)) || /fetch failed|terminated|socket/i.test(messageText(error))) {
    return `Cannot reach ${host} (offline, or the connection was refused or dropped).`;
  }
  return `The download of "${repo}" was interrupted: ${messageText(error)}.`;
}

// ---------------------------------------------------------------------------------------
// The service

interface Running {
  controller: AbortController;
  done: Promise<void>;
}

export interface DownloadServiceDeps {
  /** Unfinished downloads, kept in the library database. */
  store: { get(key: string): unknown; set(key: string, value: unknown): void };
  /** Finished downloads land here, one sub-folder each. */
  modelsDir: string;
  /** Unfinished ones are fetched here. */
  stagingDir: string;
  hub: HubOptions;
  onProgress(status: DownloadStatus): void;
  /** The set of downloads or of downloaded models changed. */
  onChanged(): void;
}

export const downloadIdOf = (repo: string): string => repo.replace('/', '--');

export class DownloadService {
  private readonly records = new Map<string, DownloadRecord>();
  private readonly running = new Map<string, Running>();
  private readonly bytesDone = new Map<string, number>();
  private readonly samples = new Map<string, { at: number; bytes: number }[]>();
  private readonly lastProgressAt = new Map<string, number>();
  /** Set while the studio closes: nothing is announced to renderers any more. */
  private closing = false;

  /** Downloads that were running when the studio last closed are paused, saying so. */
  constructor(private readonly deps: DownloadServiceDeps) {
    const stored = z.array(DownloadRecord).safeParse(deps.store.get(RECORDS_KEY));
    for (const record of stored.success ? stored.data : []) {
      const wasRunning = record.state === 'downloading' || record.state === 'verifying';
      this.records.set(record.id, wasRunning ? { ...record, state: 'paused', error: 'Interrupted when Parti Studio closed; resume to continue.' } : record);
    }
    this.save();
  }

  /** Measures what is on disk (a restart's starting point). */
  async list(): Promise<DownloadStatus[]> {
    for (const record of this.records.values()) if (!this.running.has(record.id)) this.bytesDone.set(record.id, await this.bytesOnDisk(record));
    return [...this.records.values()].map((record) => this.status(record));
  }

  async inspect(repo: string, revision: string): Promise<HubListing> {
    const entries = await this.listing(repo, revision);
    const precisions = precisionsOf(entries);
    if (precisions.length === 0) {
      throw new UserError(`"${repo}" has no onnx/language_model*.onnx: it is not a Janus-layout ONNX repository this studio can run.`);
    }
    return { repo, revision, precisions };
  }

  async start(request: Required<DownloadRequest>): Promise<void> {
    const id = downloadIdOf(request.repo);
    if (this.records.has(id)) throw new UserError(`"${request.repo}" is already being downloaded; resume or cancel that download.`);
    const target = path.join(this.deps.modelsDir, id);
    if (await exists(target)) throw new UserError(`"${request.repo}" is already downloaded (${target}); remove it first to download it again.`);
    const files = filesFor(await this.listing(request.repo, request.revision), request.precision);
    if (!files) {
      const offered = (await this.inspect(request.repo, request.revision)).precisions.map((p) => p.precision).join(', ');
      throw new UserError(`"${request.repo}" has no ${request.precision} graphs; it offers ${offered}.`);
    }
    const record: DownloadRecord = { id, ...request, files, verified: [], state: 'paused', error: null };
    await this.ensureSpace(record, 0);
    this.records.set(id, record);
    this.bytesDone.set(id, 0);
    this.run(record);
  }

  async resume(id: string): Promise<void> {
    const record = this.record(id);
    if (this.running.has(id)) return;
    const onDisk = await this.bytesOnDisk(record);
    await this.ensureSpace(record, onDisk);
    this.bytesDone.set(id, onDisk);
    this.run(record);
  }

  async pause(id: string): Promise<void> {
    const record = this.record(id);
    await this.stop(id);
    record.state = 'paused';
    record.error = null;
    this.save();
  }

  /** Stops the download and deletes what it fetched. */
  async cancel(id: string): Promise<void> {
    this.record(id);
    await this.stop(id);
    this.records.delete(id);
    this.save();
    await fsp.rm(path.join(this.deps.stagingDir, id), { recursive: true, force: true });
    this.deps.onChanged();
  }

  /** Pauses every running download (kept as interrupted for the next start). */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.running.keys()].map((id) => this.stop(id)));
  }

  // -------------------------------------------------------------------------------------

  private record(id: string): DownloadRecord {
    const record = this.records.get(id);
    if (!record) throw new UserError(`No unfinished download "${id}" (it may have finished or been cancelled).`);
    return record;
  }

  private save(): void {
    this.deps.store.set(RECORDS_KEY, [...this.records.values()]);
  }

  private async listing(repo: string, revision: string): Promise<ListFileEntry[]> {
    const { hubUrl, accessToken } = this.deps.hub;
    try {
      const entries: ListFileEntry[] = [];
      for await (const entry of listFiles({ repo, revision, recursive: true, hubUrl, ...(accessToken ? { accessToken } : {}) })) entries.push(entry);
      return entries;
    } catch (error) {
      throw new UserError(describeHubFailure(error, repo, hubUrl));
    }
  }

  private async ensureSpace(record: DownloadRecord, alreadyFetched: number): Promise<void> {
    const needed = totalOf(record) - alreadyFetched;
    await fsp.mkdir(this.deps.stagingDir, { recursive: true });
    const free = await (this.deps.hub.freeBytes ?? freeBytesOnDisk)(this.deps.stagingDir);
    if (free < needed) {
      throw new UserError(
        `Not enough free disk space for "${record.repo}" (${record.precision}): it needs ${formatBytes(needed)} more and ${formatBytes(free)} is free in ${this.deps.stagingDir}.`,
      );
    }
  }

  private run(record: DownloadRecord): void {
    const controller = new AbortController();
    record.state = 'downloading';
    record.error = null;
    this.save();
    this.samples.set(record.id, []);
    const done = this.fetchAll(record, controller.signal)
      .then(() => this.finish(record))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        record.state = 'failed';
        const message = describeHubFailure(error, record.repo, this.deps.hub.hubUrl);
        record.error = error instanceof UserError ? message : `${message} What was fetched is kept; resume to continue.`;
        this.save();
      })
      .finally(() => {
        this.running.delete(record.id);
        if (!this.closing) this.deps.onChanged();
      });
    this.running.set(record.id, { controller, done });
    this.deps.onChanged();
  }

  private async stop(id: string): Promise<void> {
    const running = this.running.get(id);
    if (!running) return;
    running.controller.abort();
    await running.done;
  }

  private async fetchAll(record: DownloadRecord, signal: AbortSignal): Promise<void> {
    const staging = path.join(this.deps.stagingDir, record.id);
    for (const file of record.files) {
      const target = path.join(staging, file.path);
      await fsp.mkdir(path.dirname(target), { recursive: true });
      let have = await sizeOf(target);
      if (have > file.size) {
        await fsp.rm(target);
        record.verified = record.verified.filter((done) => done !== file.path);
        have = 0;
      }
      if (have < file.size) await this.fetchFile(record, file, target, have, signal);
      if (!record.verified.includes(file.path)) await this.verify(record, file, target, signal);
    }
  }

  private async fetchFile(record: DownloadRecord, file: PlannedFile, target: string, have: number, signal: AbortSignal): Promise<void> {
    // The blob's stream reports a failed request only by its message; the request's own error says why.
    let requestError: unknown;
    const fetchWithSignal: typeof fetch = async (input, init) => {
      try {
        return await fetch(input, { ...init, signal });
      } catch (error) {
        requestError = error;
        throw error;
      }
    };
    const { hubUrl, accessToken } = this.deps.hub;
    const blob = await downloadFile({
      repo: record.repo,
      path: file.path,
      revision: record.revision,
      hubUrl,
      xet: false,
      fetch: fetchWithSignal,
      ...(accessToken ? { accessToken } : {}),
    });
    if (!blob) throw new UserError(`"${record.repo}" lists ${file.path} but does not serve it; try again later.`);
    if (blob.size !== file.size) throw new UserError(`"${record.repo}" lists ${file.path} as ${file.size} bytes but serves ${blob.size}; try again later.`);
    const handle = await fsp.open(target, 'a');
    const append = this.deps.hub.append ?? ((into: FileHandle, chunk: Uint8Array) => into.write(chunk));
    try {
      const reader = blob.slice(have).stream().getReader();
      for (;;) {
        const { done, value } = await reader.read().catch((error: unknown) => {
          throw requestError ?? error;
        });
        if (done) break;
        await append(handle, value);
        this.advance(record, value.length);
      }
    } finally {
      await handle.close();
    }
    if (signal.aborted) throw new Error('stopped');
  }

  private async verify(record: DownloadRecord, file: PlannedFile, target: string, signal: AbortSignal): Promise<void> {
    record.state = 'verifying';
    this.report(record, true);
    const size = await sizeOf(target);
    const hashOk = file.sha256 === null || (await sha256Of(target)) === file.sha256;
    if (signal.aborted) throw new Error('stopped');
    if (size !== file.size || !hashOk) {
      await fsp.rm(target, { force: true });
      this.bytesDone.set(record.id, await this.bytesOnDisk(record));
      throw new UserError(
        `${file.path} of "${record.repo}" arrived corrupted (its ${hashOk ? 'size' : 'sha256'} differs from the Hub's listing); it was deleted, resume to fetch it again.`,
      );
    }
    record.verified.push(file.path);
    record.state = 'downloading';
    this.save();
  }

  /** Every file is there and checked: the folder becomes a model. */
  private async finish(record: DownloadRecord): Promise<void> {
    const staging = path.join(this.deps.stagingDir, record.id);
    const note: z.infer<typeof SourceNote> = { repo: record.repo, revision: record.revision, precision: record.precision };
    await fsp.writeFile(path.join(staging, SOURCE_NOTE), `${JSON.stringify(note, null, 1)}\n`);
    await fsp.mkdir(this.deps.modelsDir, { recursive: true });
    await fsp.rename(staging, path.join(this.deps.modelsDir, record.id));
    this.records.delete(record.id);
    this.bytesDone.delete(record.id);
    this.save();
  }

  private advance(record: DownloadRecord, bytes: number): void {
    this.bytesDone.set(record.id, (this.bytesDone.get(record.id) ?? 0) + bytes);
    this.report(record, false);
  }

  private report(record: DownloadRecord, always: boolean): void {
    const now = Date.now();
    const samples = this.samples.get(record.id) ?? [];
    samples.push({ at: now, bytes: this.bytesDone.get(record.id) ?? 0 });
    while (samples.length > 2 && now - samples[0]!.at > SPEED_WINDOW_MS) samples.shift();
    this.samples.set(record.id, samples);
    if (!always && now - (this.lastProgressAt.get(record.id) ?? 0) < PROGRESS_INTERVAL_MS) return;
    this.lastProgressAt.set(record.id, now);
    this.deps.onProgress(this.status(record));
  }

  private status(record: DownloadRecord): DownloadStatus {
    const bytesDone = this.bytesDone.get(record.id) ?? 0;
    const totalBytes = totalOf(record);
    const samples = this.running.has(record.id) ? (this.samples.get(record.id) ?? []) : [];
    const first = samples[0];
    const last = samples[samples.length - 1];
    const elapsed = first && last ? last.at - first.at : 0;
    const bytesPerSecond = first && last && elapsed >= 200 ? ((last.bytes - first.bytes) * 1000) / elapsed : null;
    const etaMs = bytesPerSecond ? ((totalBytes - bytesDone) / bytesPerSecond) * 1000 : null;
    const { id, repo, revision, precision, state, error } = record;
    return { id, repo, revision, precision, state, bytesDone, totalBytes, bytesPerSecond, etaMs, error };
  }

  private async bytesOnDisk(record: DownloadRecord): Promise<number> {
    const staging = path.join(this.deps.stagingDir, record.id);
    const sizes = await Promise.all(record.files.map(async (file) => Math.min(file.size, await sizeOf(path.join(staging, file.path)))));
    return sizes.reduce((sum, size) => sum + size, 0);
  }
}

const totalOf = (record: DownloadRecord) => record.files.reduce((sum, file) => sum + file.size, 0);

async function freeBytesOnDisk(dir: string): Promise<number> {
  const stats = await fsp.statfs(dir);
  return stats.bavail * stats.bsize;
}

async function sizeOf(file: string): Promise<number> {
  return fsp.stat(file).then((stats) => stats.size, () => 0);
}

async function exists(file: string): Promise<boolean> {
  return fsp.stat(file).then(() => true, () => false);
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
