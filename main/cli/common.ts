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
 *   6  output: an output file or folder cannot be written (read-only, disk full, a file in the way)
 *   130 cancelled (Ctrl-C)
 */
import { constants, existsSync, statSync } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PROVIDER_SETTINGS, type ProviderSetting } from '../common/providers.js';
import { Engine, isEngineError, providerFallbacks, settingRangeError, type EngineErrorCode, type EngineOptions, type SamplingSettings } from '../engine/index.js';

export const EXIT = { ok: 0, internal: 1, usage: 2, package: 3, input: 4, evaluation: 5, output: 6, cancelled: 130 } as const;

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
  QUEUE_FULL: EXIT.internal, // a command runs one request at a time, so this would be a bug
  CANCELLED: EXIT.cancelled,
  ENGINE_STOPPED: EXIT.internal, // only the studio runs the engine in a process of its own
};

/** Runs a command's main, turning known errors into one line and an exit code. */
/** The running command's name, which starts each line it prints on stderr. */
let commandName = 'parti';

export function runCli(name: string, main: (signal: AbortSignal) => Promise<void>): void {
  commandName = name;
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  main(controller.signal).then(
    () => process.exit(EXIT.ok),
    (error: unknown) => {
      if (error instanceof CliError) return fail(name, error.message, error.code);
      if (isEngineError(error)) return fail(name, error.message, EXIT_BY_ENGINE_CODE[error.code]);
      if (isFsError(error)) return fail(name, describeFsError(error), EXIT.output);
      console.error(error);
      process.exit(EXIT.internal);
    },
  );
}

function fail(name: string, message: string, code: number): never {
  console.error(`${name}: ${message}`);
  process.exit(code);
}

/**
 * `--flag -3` as `--flag=-3` for string flags, so a negative number reaches the range check
 * (parseArgs alone reads it as a missing value: "argument is ambiguous").
 */
function joinNegativeValues(args: readonly string[], options: NonNullable<ParseArgsConfig['options']>): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    const isStringFlag = arg.startsWith('--') && options[arg.slice(2)]?.type === 'string';
    if (isStringFlag && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else joined.push(arg);
  }
  return joined;
}

/** node:util parseArgs with its errors turned into usage errors. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(options: T, usage: string) {
  try {
    return parseArgs({ args: joinNegativeValues(process.argv.slice(2), options), options, strict: true, allowPositionals: false }).values;
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
  'fp32-compute': { type: 'boolean' },
  verbose: { type: 'boolean' },
} as const;

export const SAMPLING_FLAGS = {
  seed: { type: 'string' },
  cfg: { type: 'string' },
  temperature: { type: 'string' },
  'top-k': { type: 'string' },
  'top-p': { type: 'string' },
  candidates: { type: 'string' },
  'negative-prompt': { type: 'string' },
} as const;

export const ENGINE_USAGE = '[--model ID|DIR] [--models-dir DIR] [--provider auto|cpu|webgpu|dml|coreml|cuda] [--threads N] [--precision fp32|fp16|q4|q4f16|q8] [--fp32-compute] [--verbose]';
export const SAMPLING_USAGE = '[--seed N] [--cfg F] [--temperature F] [--top-k N] [--top-p F] [--candidates N] [--negative-prompt TEXT]';

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;
const str = (values: Values, key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);

/** Each sampling flag and the setting it sets. */
const SETTING_OF_FLAG = { cfg: 'guidance', temperature: 'temperature', 'top-k': 'topK', 'top-p': 'topP', candidates: 'candidates' } as const;

/** The sampling flags, each range-checked on its own so the message names the flag and what it allows. */
export function samplingFromFlags(values: Values): { seed?: number; settings: Partial<SamplingSettings>; negativePrompt?: string } {
  const seed = numberFlag(str(values, 'seed'), 'seed', true);
  const settings: Partial<SamplingSettings> = {};
  for (const [flag, key] of Object.entries(SETTING_OF_FLAG)) {
    const value = numberFlag(str(values, flag), flag, key === 'topK' || key === 'candidates');
    if (value === undefined) continue;
    const allowed = settingRangeError(key, value);
    if (allowed) throw new CliError(`--${flag} ${value} is out of range; allowed: ${allowed}`, EXIT.input);
    settings[key] = value;
  }
  const negativePrompt = str(values, 'negative-prompt');
  return { ...(seed !== undefined ? { seed } : {}), settings, ...(negativePrompt ? { negativePrompt } : {}) };
}

const isFsError = (error: unknown): error is NodeJS.ErrnoException =>
  error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';

const FS_REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EISDIR: 'it is a folder',
  ENOENT: 'no such file or folder',
};

/** A failed file operation in one line naming the file given (no stack, no syscall). */
const describeFsError = (error: NodeJS.ErrnoException): string =>
  `${error.path ?? 'a file'}: ${FS_REASONS[error.code ?? ''] ?? error.code ?? 'failed'}`;

/**
 * Makes the folder for an output file and checks it can be written, before any work, so a
 * bad --out fails in one line at once. ENOTDIR names the part of the path that is a file.
 */
export async function prepareOutput(file: string): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    if (!isFsError(error)) throw error;
    const inTheWay = error.code === 'ENOTDIR' || error.code === 'EEXIST';
    const reason = inTheWay ? `${fileInTheWay(dir)} is a file, not a folder` : (FS_REASONS[error.code ?? ''] ?? error.code);
    throw new CliError(`cannot write ${file}: ${reason}`, EXIT.output);
  }
}

/** The first existing ancestor of `dir` that is a regular file. */
function fileInTheWay(dir: string): string {
  for (let at = dir; at !== path.dirname(at); at = path.dirname(at)) {
    if (existsSync(at) && !statSync(at).isDirectory()) return at;
  }
  return dir;
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
    // 4-bit graphs on CPU as the published files ask (fp32 widening, transformers.js's path) instead of int8 compute.
    ...(values['fp32-compute'] === true ? { int8Compute: false } : {}),
  };
}

/**
 * Opens the engine; when a provider gave up, says so in one line on stderr (with --verbose,
 * one line per provider with ONNX Runtime's own reason instead).
 */
export async function openEngineFromFlags(values: Values): Promise<Engine> {
  const engine = await Engine.open(engineOptionsFromFlags(values));
  const fallbacks = providerFallbacks(engine.providers);
  if (values.verbose === true) for (const { provider, detail } of fallbacks) console.error(`${commandName}: ${provider} did not start: ${detail}`);
  else if (fallbacks.length) {
    const decoder = engine.providers.sessions.find((session) => session.graph === 'decoder') ?? engine.providers.sessions[0];
    const why = fallbacks.map(({ provider, reason }) => `${provider} did not start (${reason})`).join(', ');
    console.error(`${commandName}: running on ${decoder?.provider ?? 'cpu'}: ${why}; --verbose says why`);
  }
  return engine;
}

export function requireFlag(values: Values, key: string, usage: string): string {
  const value = str(values, key);
  if (value === undefined || value === '') throw new CliError(`--${key} is required (usage: ${usage})`);
  return value;
}
