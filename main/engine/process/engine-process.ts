/**
 * The engine in a process of its own, as the studio sees it: the same calls as `Engine`,
 * answered by a child process (protocol.ts) that a native crash or out-of-memory in ONNX
 * Runtime can take down without taking the studio with it. Then the running job fails with
 * a message saying so, the engine is started again on the same model, and the jobs queued
 * behind it (kept here, not in the child) run on the new one.
 *
 * How the child is started is the host's: a Node fork (fork.ts) in the bridge, an Electron
 * utility process in the app. Both hand over an EngineChannel.
 */
import { EngineError, isEngineError } from '../errors.js';
import { JobQueue } from '../queue.js';
import type { EditRequest, EditResult, ExtendRequest, ExtendResult, GenerateRequest, GenerateResult, PackageInfo, ProgressEvent, ProvidersReport, RunOptions, VariationRequest, VariationResult } from '../types.js';
import { describeInvalid, FromEngine, type Failure, type OpenOptions, type ToEngine } from './protocol.js';

/** One started engine process, however it was started. */
export interface EngineChannel {
  send(message: ToEngine): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process has ended, with how in words ("killed by SIGKILL", "exit code 134"). */
  onExit(listener: (how: string) => void): void;
  /** Ends the process (it exits at once; a running job is lost). */
  kill(): void;
}

/** Starts a fresh engine process. */
export type EngineLauncher = () => EngineChannel;

/**
 * glibc malloc settings for the engine process; the user's environment wins. The engine
 * allocates large short-lived buffers from ONNX Runtime's threads (tensors, images) for hours:
 * - two arenas instead of glibc's eight per core, so memory freed by one thread is reused by
 *   the next rather than kept in an arena of its own;
 * - a fixed mmap threshold at glibc's ceiling (32 MiB): glibc otherwise starts at 128 KiB and
 *   raises it as large blocks are freed, so the first runs map and unmap every tensor and
 *   later ones leave heap fragments resident;
 * - a trim threshold of 512 MiB: a decoder step's outputs (a real model's whole key/value
 *   cache, 470 MB at Janus-Pro-1B's size) are freed when V8 collects, several steps at once;
 *   returning that to the system at each collection made every later step fault its pages
 *   in again (test/bench/malloc-steps.ts, a 2-layer replica at Janus widths: 27.1 ms a step
 *   with a 128 KiB threshold, 15.4 ms with this, at about the same peak resident memory).
 */
export const MALLOC_DEFAULTS = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: String(32 * 2 ** 20), MALLOC_TRIM_THRESHOLD_: String(512 * 2 ** 20) } as const;

/**
 * V8 flags of every engine process:
 * - `gc` exposed, so the process collects after each job (serve.ts) instead of holding a
 *   finished run's tensors until V8 next feels pressure;
 * - a young generation that keeps the size it grows to in the first runs (16 MB semi-spaces):
 *   V8 otherwise shrinks it when idle and grows it back on the next job, a 24 MB swing of
 *   the resident memory that the soak read as 11 % down and up again.
 */
/** The engine's entry as the hosts' builds name it (`engine-process.js`), beside each host's own. */
export const ENGINE_BUNDLE_NAME = 'engine-process';

export const ENGINE_V8_FLAGS = ['--expose-gc', '--min-semi-space-size=16'] as const;

/** What every engine process is started with, however it is started: the malloc settings and V8 flags above. */
export function engineProcessStart(): { env: NodeJS.ProcessEnv; execArgv: string[] } {
  return { env: { ...MALLOC_DEFAULTS, ...process.env }, execArgv: [...ENGINE_V8_FLAGS] };
}

/** How a process ended, in words. SIGKILL is what the system's out-of-memory killer sends. */
export function describeExit(code: number | null, signal: string | null): string {
  if (signal === 'SIGKILL') return 'killed by SIGKILL, which is what running out of memory does';
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress?: (event: ProgressEvent) => void;
}

/** A started engine process and the jobs sent to it. */
interface Child {
  channel: EngineChannel;
  pending: Map<number, Pending>;
  alive: boolean;
}

const errorOf = (failure: Failure): Error => (failure.code ? new EngineError(failure.code, failure.message) : new Error(failure.message));
const closedError = () => new EngineError('CANCELLED', 'Generation cancelled: the engine was closed.');

export class EngineProcess {
  private readonly queue = new JobQueue();
  /** The child with the model open; null after a crash until one is started again. */
  private child: Child | null = null;
  private starting: Promise<Child> | null = null;
  private closing = false;
  private nextId = 0;
  private opened?: { info: PackageInfo; providers: ProvidersReport; vocabulary: string[] };

  private constructor(
    private readonly options: OpenOptions,
    private readonly launch: EngineLauncher,
    private readonly onWarning: (message: string) => void,
  ) {}

  /**
   * Starts an engine process and opens the model in it; rejects with the engine's own
   * EngineError (PACKAGE_INVALID, FILE_CORRUPT, …) when the model cannot be opened.
   */
  static async open(options: OpenOptions, launch: EngineLauncher, onWarning: (message: string) => void = () => undefined): Promise<EngineProcess> {
    const engine = new EngineProcess(options, launch, onWarning);
    await engine.running();
    return engine;
  }

  get package(): PackageInfo {
    return this.opened!.info;
  }

  get providers(): ProvidersReport {
    return this.opened!.providers;
  }

  vocabulary(): string[] {
    return this.opened!.vocabulary;
  }

  /** Throws QUEUE_FULL when a new run would be refused (MAX_WAITING_JOBS already wait). */
  checkQueueRoom(): void {
    this.queue.checkRoom();
  }

  async unknownWords(prompt: string): Promise<string[]> {
    return (await this.ask(await this.running(), { type: 'unknownWords', id: this.nextId++, prompt })) as string[];
  }

  generate(request: GenerateRequest, options: RunOptions = {}): Promise<GenerateResult> {
    return this.queue.run((signal) => this.runJob((id) => ({ type: 'generate', id, request }), signal, options.onProgress), options.signal) as Promise<GenerateResult>;
  }

  edit(request: EditRequest, options: RunOptions = {}): Promise<EditResult> {
    return this.queue.run((signal) => this.runJob((id) => ({ type: 'edit', id, request }), signal, options.onProgress), options.signal) as Promise<EditResult>;
  }

  extend(request: ExtendRequest, options: RunOptions = {}): Promise<ExtendResult> {
    return this.queue.run((signal) => this.runJob((id) => ({ type: 'extend', id, request }), signal, options.onProgress), options.signal) as Promise<ExtendResult>;
  }

  vary(request: VariationRequest, options: RunOptions = {}): Promise<VariationResult> {
    return this.queue.run((signal) => this.runJob((id) => ({ type: 'vary', id, request }), signal, options.onProgress), options.signal) as Promise<VariationResult>;
  }

  /** Cancels queued and running jobs and ends the process. */
  async close(): Promise<void> {
    this.closing = true;
    const closed = this.queue.close();
    this.child?.channel.kill();
    await closed;
  }

  private async runJob(message: (id: number) => ToEngine & { id: number }, signal: AbortSignal, onProgress?: (event: ProgressEvent) => void): Promise<unknown> {
    const child = await this.running();
    if (signal.aborted) throw new EngineError('CANCELLED', 'Generation cancelled before it started.');
    const sent = message(this.nextId++);
    const cancel = () => child.channel.send({ type: 'cancel', id: sent.id });
    signal.addEventListener('abort', cancel, { once: true });
    try {
      return await this.ask(child, sent, onProgress);
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  }

  private ask(child: Child, message: ToEngine & { id: number }, onProgress?: (event: ProgressEvent) => void): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (!child.alive) return reject(this.stoppedError('it stopped before this run was sent'));
      child.pending.set(message.id, { resolve, reject, ...(onProgress ? { onProgress } : {}) });
      child.channel.send(message);
    });
  }

  /** The child with the model open, starting one first where there is none (at open, after a crash). */
  private running(): Promise<Child> {
    if (this.closing) return Promise.reject(closedError());
    if (this.child) return Promise.resolve(this.child);
    const restart = this.opened !== undefined;
    this.starting ??= this.start()
      .catch((error: Error) => {
        if (!restart) throw error;
        throw new EngineError(isEngineError(error) ? error.code : 'ENGINE_STOPPED', `The engine could not be started again: ${error.message}`);
      })
      .finally(() => (this.starting = null));
    return this.starting;
  }

  private stoppedError(how: string): EngineError {
    return new EngineError('ENGINE_STOPPED', `The engine stopped during this run (${how}). It is starting again; the next run will wait for it.`);
  }

  /** Launches a process and opens the model in it; settles once the child has said which. */
  private start(): Promise<Child> {
    const child: Child = { channel: this.launch(), pending: new Map(), alive: true };
    return new Promise<Child>((resolve, reject) => {
      let open = false;
      child.channel.onMessage((raw) => {
        const parsed = FromEngine.safeParse(raw);
        if (!parsed.success) {
          this.onWarning(`The engine process sent a malformed message (${describeInvalid(parsed.error)}); restarting it.`);
          return child.channel.kill();
        }
        const message = parsed.data;
        if (message.type === 'warning') return this.onWarning(message.message);
        if (message.type === 'opened') {
          open = true;
          this.opened = message;
          this.child = child;
          return resolve(child);
        }
        if (message.type === 'openFailed') {
          child.channel.kill();
          return reject(errorOf(message.error));
        }
        const pending = child.pending.get(message.id);
        if (!pending) return;
        if (message.type === 'progress') return pending.onProgress?.(message.event);
        child.pending.delete(message.id);
        if (message.type === 'failed') pending.reject(errorOf(message.error));
        else pending.resolve(message.type === 'result' ? message.result : message.words);
      });
      child.channel.onExit((how) => {
        child.alive = false;
        if (this.child === child) this.child = null;
        if (!open) return reject(new EngineError('ENGINE_STOPPED', `The engine process stopped while opening the model (${how}).`));
        const failure = this.closing ? closedError() : this.stoppedError(how);
        for (const pending of child.pending.values()) pending.reject(failure);
        child.pending.clear();
        if (this.closing) return;
        this.onWarning(`The engine process stopped (${how}); restarting it.`);
        // Started at once so the next run finds it ready; a failure here is the next run's to report.
        this.running().catch((error: Error) => this.onWarning(error.message));
      });
      child.channel.send({ type: 'open', options: this.options });
    });
  }
}
