/**
 * One job at a time, in the order submitted. Each job gets its own AbortSignal, fired by
 * the caller's signal or by close(); a job cancelled while waiting never starts. At most
 * `maxWaiting` jobs wait behind the running one; more are refused at once (QUEUE_FULL), so a
 * flood of requests cannot queue hours of work.
 */
import { EngineError } from './errors.js';

type Job = () => Promise<void>;

/** Jobs that may wait behind the running one: a few minutes of work at the most candidates. */
export const MAX_WAITING_JOBS = 8;

export class JobQueue {
  private readonly waiting: Job[] = [];
  private running = false;
  private readonly controllers = new Set<AbortController>();

  constructor(private readonly maxWaiting = MAX_WAITING_JOBS) {}

  /** Whether the next job would be refused. */
  get isFull(): boolean {
    return this.waiting.length >= this.maxWaiting;
  }

  /** Throws QUEUE_FULL when the next job would be refused. */
  checkRoom(): void {
    if (!this.isFull) return;
    const message = `The queue is full: ${this.waiting.length} runs are waiting behind the one in progress. Wait for one to finish, or cancel one.`;
    throw new EngineError('QUEUE_FULL', message);
  }

  /** Jobs waiting or running. */
  get size(): number {
    return this.waiting.length + (this.running ? 1 : 0);
  }

  run<T>(task: (signal: AbortSignal) => Promise<T>, callerSignal?: AbortSignal): Promise<T> {
    try {
      this.checkRoom();
    } catch (error) {
      return Promise.reject(error);
    }
    const controller = new AbortController();
    const abort = () => controller.abort();
    if (callerSignal?.aborted) abort();
    callerSignal?.addEventListener('abort', abort, { once: true });
    this.controllers.add(controller);
    return new Promise<T>((resolve, reject) => {
      const job: Job = async () => {
        try {
          if (controller.signal.aborted) throw new EngineError('CANCELLED', 'Generation cancelled before it started.');
          resolve(await task(controller.signal));
        } catch (error) {
          reject(error);
        } finally {
          callerSignal?.removeEventListener('abort', abort);
          this.controllers.delete(controller);
        }
      };
      // A job cancelled while waiting leaves the queue at once instead of at its turn.
      controller.signal.addEventListener(
        'abort',
        () => {
          const at = this.waiting.indexOf(job);
          if (at >= 0) {
            this.waiting.splice(at, 1);
            void job();
          }
        },
        { once: true },
      );
      this.waiting.push(job);
      void this.drain();
    });
  }

  /** Cancels every job and waits for the running one to stop. */
  async close(): Promise<void> {
    for (const controller of this.controllers) controller.abort();
    while (this.running) await new Promise((resolve) => setTimeout(resolve, 1));
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    for (let job = this.waiting.shift(); job; job = this.waiting.shift()) await job();
    this.running = false;
  }
}
