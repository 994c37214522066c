/**
 * The engine side of the protocol: one Engine, driven by the studio's messages. The engine
 * process's entry (child.ts) runs it on the port to its parent.
 */
import { Engine, isEngineError, type EditResult, type ExtendResult, type GenerateResult, type ProgressEvent, type VariationResult } from '../index.js';
import { describeInvalid, ToEngine, type Failure, type FromEngine } from './protocol.js';

/** The engine's end of the channel to the studio. */
export interface ParentPort {
  send(message: FromEngine): void;
  onMessage(listener: (message: unknown) => void): void;
}

const failureOf = (error: unknown): Failure =>
  isEngineError(error) ? { code: error.code, message: error.message } : { code: null, message: error instanceof Error ? error.message : String(error) };

const NO_MODEL = 'No model is open in the engine process.';

/** `gc` where the process was started with it (engineProcessStart); a finished job's tensors go back at once. */
const collectGarbage = (): void => (globalThis as { gc?: () => void }).gc?.();

/** Serves the studio's messages on `port`; `close` cancels running jobs and releases the model. */
export function serveEngine(port: ParentPort): { close(): Promise<void> } {
  let engine: Engine | null = null;
  const running = new Map<number, AbortController>();

  async function runJob(id: number, job: (engine: Engine, signal: AbortSignal) => Promise<GenerateResult | EditResult | ExtendResult | VariationResult>): Promise<void> {
    const controller = new AbortController();
    running.set(id, controller);
    try {
      if (!engine) throw new Error(NO_MODEL);
      port.send({ type: 'result', id, result: await job(engine, controller.signal) });
    } catch (error) {
      port.send({ type: 'failed', id, error: failureOf(error) });
    } finally {
      running.delete(id);
      collectGarbage();
    }
  }

  port.onMessage(async (raw) => {
    const parsed = ToEngine.safeParse(raw);
    if (!parsed.success) {
      const id = (raw as { id?: unknown } | null)?.id;
      const error: Failure = { code: 'BAD_REQUEST', message: `The engine process refused a malformed message (${describeInvalid(parsed.error)}).` };
      port.send(typeof id === 'number' ? { type: 'failed', id, error } : { type: 'warning', message: error.message });
      return;
    }
    const message = parsed.data;
    const onProgress = (id: number) => (event: ProgressEvent) => port.send({ type: 'progress', id, event });
    switch (message.type) {
      case 'open':
        try {
          engine = await Engine.open({ ...message.options, onWarning: (warning) => port.send({ type: 'warning', message: warning }) });
          port.send({ type: 'opened', info: engine.package, providers: engine.providers, vocabulary: engine.vocabulary() });
        } catch (error) {
          port.send({ type: 'openFailed', error: failureOf(error) });
        }
        return;
      case 'generate':
        return runJob(message.id, (open, signal) => open.generate(message.request, { signal, onProgress: onProgress(message.id) }));
      case 'edit':
        return runJob(message.id, (open, signal) => open.edit(message.request, { signal, onProgress: onProgress(message.id) }));
      case 'extend':
        return runJob(message.id, (open, signal) => open.extend(message.request, { signal, onProgress: onProgress(message.id) }));
      case 'vary':
        return runJob(message.id, (open, signal) => open.vary(message.request, { signal, onProgress: onProgress(message.id) }));
      case 'cancel':
        running.get(message.id)?.abort();
        return;
      case 'unknownWords':
        if (engine) port.send({ type: 'words', id: message.id, words: engine.unknownWords(message.prompt) });
        else port.send({ type: 'failed', id: message.id, error: failureOf(new Error(NO_MODEL)) });
        return;
    }
  });
  return { close: async () => engine?.close() };
}
