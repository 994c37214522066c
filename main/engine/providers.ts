/**
 * Execution-provider choice and fallback. ONNX Runtime throws when a provider cannot
 * start (no GPU adapter, missing CUDA libraries), so each session is created with one
 * provider at a time, falling back along a list that always ends with CPU; the provider
 * that succeeded is the one the session really runs on (nodes it lacks kernels for still
 * run on CPU inside it, as ONNX Runtime always does).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import ort from 'onnxruntime-node';
import type { ProviderSetting, SessionProvider } from './types.js';

// A provider that cannot start also logs its failure from ORT's process-wide logger; the
// engine already reports it (warning + SessionProvider.fallbacks), so keep only fatal logs.
ort.env.logLevel = 'fatal';

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
function sessionOptions(provider: string, threads: number | undefined): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    ...(threads !== undefined ? { intraOpNumThreads: threads } : {}),
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
}

/**
 * Creates a session on the first provider of `order` that starts. Each failure is passed to
 * `onWarning` and recorded in the report; only a CPU failure (a broken graph) is thrown.
 * `failed` carries failures between the graphs of one package, so a provider that cannot
 * start is tried (and warned about) once, not once per graph. `modelPath` may depend on the
 * provider (a precision per provider); where it throws, that provider is skipped likewise.
 */
export async function createSession(
  graph: string,
  modelPath: string | ((provider: string) => string),
  order: string[],
  onWarning: (message: string) => void,
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
      const file = typeof modelPath === 'string' ? modelPath : modelPath(provider);
      const session = await ort.InferenceSession.create(file, sessionOptions(provider, threads));
      return { session, report: { graph, provider, fallbacks } };
    } catch (error) {
      if (provider === 'cpu') throw error;
      const message = firstLine(error);
      fallbacks.push({ provider, error: message });
      failed.set(provider, message);
      onWarning(`${graph}: execution provider '${provider}' failed to start, falling back (${message})`);
    }
  }
  throw new Error(`no execution provider in [${order.join(', ')}] started for ${graph}`);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? text).slice(0, 300);
}
