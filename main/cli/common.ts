/**
 * What the command-line tools share: flag parsing, opening the engine from flags, and the
 * exit codes scripts can rely on. A user mistake ends with one line on stderr and its
 * code; only an unexpected failure (a bug) prints a stack trace.
 *
 * Exit codes:
 *   0  success
 *   1  unexpected internal error (with stack trace)
 *   2  usage: unknown flag, missing or malformed value
 *   3  model package: not found, invalid, wrong version, missing/truncated/corrupt file
 *   4  input: unreadable image or prompts file, empty mask, out-of-range setting
 *   5  evaluation: the judge could not run, or a figure missed its goal
 *   130 cancelled (Ctrl-C)
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PROVIDER_SETTINGS, type ProviderSetting } from '../common/providers.js';
import { Engine, isEngineError, type EngineErrorCode, type EngineOptions, type SamplingSettings } from '../engine/index.js';

export const EXIT = { ok: 0, internal: 1, usage: 2, package: 3, input: 4, evaluation: 5, cancelled: 130 } as const;

/** A mistake of the person running the command: printed as one line, exits with `code`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: number = EXIT.usage,
  ) {
    super(message);
  }
}

const EXIT_BY_ENGINE_CODE: Record<EngineErrorCode, number> = {
  PACKAGE_NOT_FOUND: EXIT.package,
  PACKAGE_INVALID: EXIT.package,
  PACKAGE_VERSION: EXIT.package,
  FILE_MISSING: EXIT.package,
  FILE_TRUNCATED: EXIT.package,
  FILE_CORRUPT: EXIT.package,
  GRAPH_MISMATCH: EXIT.package,
  NO_IMAGE_ENCODER: EXIT.package,
  BAD_REQUEST: EXIT.input,
  CANCELLED: EXIT.cancelled,
  ENGINE_STOPPED: EXIT.internal, // only the studio runs the engine in a process of its own
};

/** Runs a command's main, turning known errors into one line and an exit code. */
export function runCli(name: string, main: (signal: AbortSignal) => Promise<void>): void {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  main(controller.signal).then(
    () => process.exit(EXIT.ok),
    (error: unknown) => {
      if (error instanceof CliError) return fail(name, error.message, error.code);
      if (isEngineError(error)) return fail(name, error.message, EXIT_BY_ENGINE_CODE[error.code]);
      console.error(error);
      process.exit(EXIT.internal);
    },
  );
}

function fail(name: string, message: string, code: number): never {
  console.error(`${name}: ${message}`);
  process.exit(code);
}

/** node:util parseArgs with its errors turned into usage errors. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(options: T, usage: string) {
  try {
    return parseArgs({ options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new CliError(`${(error as Error).message.split('\n')[0]} (usage: ${usage})`);
  }
}

export function numberFlag(value: string | undefined, flag: string, integer = false): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || (integer && !Number.isInteger(number))) {
    throw new CliError(`--${flag} must be ${integer ? 'an integer' : 'a number'}, got "${value}"`);
  }
  return number;
}

/** Flags shared by generate, edit, eval and bench. */
export const ENGINE_FLAGS = {
  model: { type: 'string' },
  'models-dir': { type: 'string' },
  provider: { type: 'string' },
  threads: { type: 'string' },
  precision: { type: 'string' },
} as const;

export const SAMPLING_FLAGS = {
  seed: { type: 'string' },
  cfg: { type: 'string' },
  temperature: { type: 'string' },
  'top-k': { type: 'string' },
  'top-p': { type: 'string' },
  candidates: { type: 'string' },
} as const;

export const ENGINE_USAGE = '[--model ID|DIR] [--models-dir DIR] [--provider auto|cpu|webgpu|dml|coreml|cuda] [--threads N] [--precision fp32|fp16|q4|q4f16|q8]';
export const SAMPLING_USAGE = '[--seed N] [--cfg F] [--temperature F] [--top-k N] [--top-p F] [--candidates N]';

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;
const str = (values: Values, key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);

export function samplingFromFlags(values: Values): { seed?: number; settings: Partial<SamplingSettings> } {
  const seed = numberFlag(str(values, 'seed'), 'seed', true);
  const settings: Partial<SamplingSettings> = {
    guidance: numberFlag(str(values, 'cfg'), 'cfg'),
    temperature: numberFlag(str(values, 'temperature'), 'temperature'),
    topK: numberFlag(str(values, 'top-k'), 'top-k', true),
    topP: numberFlag(str(values, 'top-p'), 'top-p'),
    candidates: numberFlag(str(values, 'candidates'), 'candidates', true),
  };
  return { ...(seed !== undefined ? { seed } : {}), settings };
}

/** Engine options from the flags: --model is a model id, or a folder holding manifest.json or a Hugging Face config.json. */
export function engineOptionsFromFlags(values: Values): EngineOptions {
  const provider = str(values, 'provider') ?? 'auto';
  if (!(PROVIDER_SETTINGS as readonly string[]).includes(provider)) {
    throw new CliError(`--provider must be one of ${PROVIDER_SETTINGS.join(', ')}, got "${provider}"`);
  }
  const model = str(values, 'model');
  const modelsDir = str(values, 'models-dir');
  const threads = numberFlag(str(values, 'threads'), 'threads', true);
  const precision = str(values, 'precision');
  const isFolder = model !== undefined && ['manifest.json', 'config.json'].some((file) => existsSync(path.join(model, file)));
  return {
    provider: provider as ProviderSetting,
    onWarning: (message) => console.error(`warning: ${message}`),
    ...(isFolder ? { packageDir: model } : model !== undefined ? { modelId: model } : {}),
    ...(modelsDir !== undefined ? { userModelsDir: modelsDir } : {}),
    ...(threads !== undefined ? { threads } : {}),
    ...(precision !== undefined ? { precision } : {}),
  };
}

export function openEngineFromFlags(values: Values): Promise<Engine> {
  return Engine.open(engineOptionsFromFlags(values));
}

export function requireFlag(values: Values, key: string, usage: string): string {
  const value = str(values, key);
  if (value === undefined || value === '') throw new CliError(`--${key} is required (usage: ${usage})`);
  return value;
}
