/**
 * Execution-provider choice and fallback. ONNX Runtime throws when a provider cannot
 * start (no GPU adapter, missing CUDA libraries), so each session is created with one
 * provider at a time, falling back along a list that always ends with CPU; the provider
 * that succeeded is the one the session really runs on (nodes it lacks kernels for still
 * run on CPU inside it, as ONNX Runtime always does).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import ort from 'onnxruntime-node';
import type { ProviderCheck } from '../common/providers.js';
import type { ProviderSetting, ProvidersReport, SessionProvider } from './types.js';

// A provider that cannot start also logs its failure from ORT's process-wide logger; the
// engine already reports it (warning + SessionProvider.fallbacks), so keep only fatal logs.
ort.env.logLevel = 'fatal';
// ONNX Runtime's Linux and macOS builds send usage telemetry to Microsoft and leave a
// `.ses` and a `mat-debug-<pid>.log` in TMPDIR and a cache under ~/.cache; the studio is
// offline and leaves no files behind. Read when the first session creates ORT's environment
// (and inherited by the provider probes below).
process.env.ORT_DISABLE_TELEMETRY = '1';

/** GPU providers worth trying under `auto`, best first, per platform. */
const GPU_PROVIDERS_BY_PLATFORM: Partial<Record<NodeJS.Platform, string[]>> = {
  win32: ['dml', 'cuda', 'webgpu'],
  darwin: ['coreml', 'webgpu'],
  linux: ['cuda', 'webgpu'],
};

/** Where onnxruntime-node keeps its native libraries (dist/index.js -> bin/napi-v6/<platform>/<arch>). */
const NATIVE_DIR = path.join(path.dirname(createRequire(import.meta.url).resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', process.platform, process.arch);

function providerLibrary(name: string): string {
  return process.platform === 'win32' ? `onnxruntime_providers_${name}.dll` : `libonnxruntime_providers_${name}.so`;
}

/**
 * Providers this onnxruntime-node build can load here. Unbundled ones (CUDA, TensorRT) are
 * listed only when their provider library was installed (the opt-in CUDA download).
 */
export function availableProviders(): string[] {
  return ort
    .listSupportedBackends()
    .filter((backend) => backend.bundled || existsSync(path.join(NATIVE_DIR, providerLibrary(backend.name))))
    .map((backend) => backend.name);
}

/** The providers to try, in order, for a setting; always ends with 'cpu'. */
export function providerOrder(
  setting: ProviderSetting,
  platform: NodeJS.Platform = process.platform,
  available: string[] = availableProviders(),
): string[] {
  if (setting === 'cpu') return ['cpu'];
  // `auto` only tries what this build ships; an explicit choice is always tried (and may fall back).
  const wanted =
    setting === 'auto' ? (GPU_PROVIDERS_BY_PLATFORM[platform] ?? []).filter((p) => available.includes(p)) : [setting];
  return [...wanted, 'cpu'];
}

/** Decoders below this size run single-threaded unless threads are asked for (see defaultThreads). */
const SMALL_DECODER_BYTES = 64 * 2 ** 20;

/**
 * Intra-op threads when none are asked for. A small decoder runs on one thread: its per-step
 * MatMuls are too small to split, so a second thread only adds wake-ups (shapes-v1 here: a
 * step at batch 2 took 1.50 ms on one thread and 1.80 ms on two; at batch 32, 9.4 and
 * 9.0 ms), and the other core stays free for the UI. Larger models get ORT's default.
 */
export function defaultThreads(decoderBytes: number): number | undefined {
  return decoderBytes < SMALL_DECODER_BYTES ? 1 : undefined;
}

export interface CreatedSession {
  session: ort.InferenceSession;
  report: SessionProvider;
}

/**
 * Options shared by every session: full graph optimisation; ORT's own error log quiet (we
 * report fallbacks); intra-op threads that sleep instead of spinning between runs, since
 * the decoder runs many small steps on a machine it shares with the UI (spinning threads
 * measured 2-4x slower steps under CPU contention).
 */
function sessionOptions(provider: string, threads: number | undefined, source: GraphSource): ort.InferenceSession.SessionOptions {
  // A graph given as bytes finds its external data (`.onnx_data`) beside the file it was read from.
  const externalData = typeof source === 'string' ? {} : { model_external_initializers_file_folder_path: path.dirname(source.file) };
  return {
    executionProviders: [provider],
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    ...(threads !== undefined ? { intraOpNumThreads: threads } : {}),
    extra: { session: { intra_op: { allow_spinning: '0' }, ...externalData } },
  };
}

/** A graph file, or a file's bytes as rewritten in memory (graph-rewrite.ts). */
export type GraphSource = string | { file: string; bytes: Uint8Array };

/**
 * Creates a session on the first provider of `order` that starts. Each failure is recorded
 * in the report (hosts show it: one line in a command, the reasons in Settings); only a CPU
 * failure (a broken graph) is thrown. `failed` carries failures between the graphs of one
 * package, so a provider that cannot start is tried once, not once per graph. `source` may depend on the
 * provider (a precision per provider); where it throws, that provider is skipped likewise.
 */
export async function createSession(
  graph: string,
  source: string | ((provider: string) => GraphSource | Promise<GraphSource>),
  order: string[],
  threads?: number,
  failed = new Map<string, string>(),
): Promise<CreatedSession> {
  const fallbacks: SessionProvider['fallbacks'] = [];
  for (const provider of order) {
    const earlier = failed.get(provider);
    if (earlier !== undefined) {
      fallbacks.push({ provider, error: earlier });
      continue;
    }
    try {
      const model = typeof source === 'string' ? source : await source(provider);
      if (provider !== 'cpu') {
        const refusal = await probeQuietly(provider, typeof model === 'string' ? model : model.file);
        if (refusal !== null) throw new Error(refusal);
      }
      const options = sessionOptions(provider, threads, model);
      const session = await (typeof model === 'string' ? ort.InferenceSession.create(model, options) : ort.InferenceSession.create(model.bytes, options));
      return { session, report: { graph, provider, fallbacks } };
    } catch (error) {
      if (provider === 'cpu') throw error;
      const message = firstLine(error);
      fallbacks.push({ provider, error: message });
      failed.set(provider, message);
    }
  }
  throw new Error(`no execution provider in [${order.join(', ')}] started for ${graph}`);
}

/** A provider that no session runs on, why in a few words (`reason`) and in ORT's (`detail`). */
export interface ProviderFallback {
  provider: string;
  reason: string;
  detail: string;
}

/** The providers tried and given up, once each, for the hosts to show. */
export function providerFallbacks(report: ProvidersReport): ProviderFallback[] {
  const used = new Set(report.sessions.map((session) => session.provider));
  const seen = new Map<string, ProviderFallback>();
  for (const { provider, error } of report.sessions.flatMap((session) => session.fallbacks)) {
    if (!used.has(provider) && !seen.has(provider)) seen.set(provider, { provider, reason: shortReason(error), detail: error });
  }
  return [...seen.values()];
}

/** A provider's failure in a few words, for the one line a command prints; the full reason stays in the report. */
function shortReason(error: string): string {
  if (/adapter/i.test(error)) return 'no GPU adapter found';
  if (/cannot open shared object|\.so[.: ]|\.dll|LoadLibrary/i.test(error)) return 'its libraries are not installed';
  return error.length > 80 ? `${error.slice(0, 77)}…` : error;
}

/**
 * A one-MatMul model (169 bytes, made with onnx.helper) for asking whether a provider starts
 * at all, with no model open: what stops a provider here (no adapter, no driver, missing
 * libraries) does not depend on the graph.
 */
const PROBE_MODEL_BASE64 =
  'CAgSC3BhcnRpLXByb2JlOpEBChEKAXgKAXcSAXkiBk1hdE11bBIFcHJvYmUqSwgECAQQASJAAACAPwAAgD8AAIA/AACAPwAAgD8AAIA/AACAPwAAgD8AAIA/AACAPwAAgD8AAIA/AACAPwAAgD8AAIA/AACAP0IBd1oTCgF4Eg4KDAgBEggKAggBCgIIBGITCgF5Eg4KDAgBEggKAggBCgIIBEIECgAQEQ==';
const PROBE_MODEL = `base64:${PROBE_MODEL_BASE64}`;

/**
 * The child that tries a provider on a model file (or `base64:` model bytes): its stdout
 * carries the refusal (empty when it started); its stderr is dropped.
 */
const PROBE_SCRIPT = `
const ort = require(process.argv[1]);
ort.env.logLevel = 'fatal';
const source = process.argv[2];
const model = source.startsWith('base64:') ? Buffer.from(source.slice(7), 'base64') : source;
ort.InferenceSession.create(model, { executionProviders: [process.argv[3]], logSeverityLevel: 4 })
  .then(() => process.exit(0), (error) => { process.stdout.write(String(error && error.message || error)); process.exit(3); });
`;
const PROBE_TIMEOUT_MS = 30_000;
const probes = new Map<string, Promise<string | null>>();

/**
 * Whether `provider` starts, tried in a child process: a GPU stack without an adapter
 * (Dawn's Vulkan backend, CUDA without a driver) writes native warnings straight to stderr,
 * which would read as a crash. Null when it started; else the first line of its error.
 * Electron cannot run itself as Node once its RunAsNode fuse is off, so there the probe is
 * skipped (null) and the caller tries the provider in-process.
 */
function probeQuietly(provider: string, file: string): Promise<string | null> {
  if (process.versions.electron) return Promise.resolve(null);
  const key = `${provider}\0${file}`;
  let probe = probes.get(key);
  if (!probe) {
    probe = new Promise((resolve) => {
      const ortEntry = createRequire(import.meta.url).resolve('onnxruntime-node');
      const child = spawn(process.execPath, ['-e', PROBE_SCRIPT, ortEntry, file, provider], { stdio: ['ignore', 'pipe', 'ignore'], timeout: PROBE_TIMEOUT_MS });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('error', (error) => resolve(`could not be tried (${error.message})`));
      child.on('close', (code) => resolve(code === 0 ? null : firstLine(out.trim() || `its probe exited with code ${code}`)));
    });
    probes.set(key, probe);
  }
  return probe;
}

/** Tries the probe model on `provider` in this process (Electron, where no Node child can be started). */
async function startsInProcess(provider: string): Promise<string | null> {
  try {
    const session = await ort.InferenceSession.create(Buffer.from(PROBE_MODEL_BASE64, 'base64'), { executionProviders: [provider], logSeverityLevel: 4 });
    await session.release();
    return null;
  } catch (error) {
    return firstLine(error);
  }
}

let checks: Promise<ProviderCheck[]> | null = null;

/**
 * Which of the providers this build ships really start on this machine, each tried once
 * per process (CPU always does). Settings lists only those that start, with the reasons
 * for the others.
 */
export function checkProviders(): Promise<ProviderCheck[]> {
  checks ??= Promise.all(
    availableProviders().map(async (provider): Promise<ProviderCheck> => {
      const refusal = provider === 'cpu' ? null : process.versions.electron ? await startsInProcess(provider) : await probeQuietly(provider, PROBE_MODEL);
      return refusal === null ? { provider, starts: true, reason: null, detail: null } : { provider, starts: false, reason: shortReason(refusal), detail: refusal };
    }),
  );
  return checks;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? text).slice(0, 300);
}
