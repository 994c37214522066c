/**
 * The queue of generation runs, kept in the library so that it outlives a reload and a
 * restart. Runs start one at a time, in line order, each on the model that was open when it
 * was queued. A run that a restart interrupted goes back to the front of the line and runs
 * again from its first token: with its seed fixed it makes the same images, and nothing of
 * it had been saved (runs are saved whole when they finish).
 */
import { randomBytes } from 'node:crypto';
import type { GenerationFinished, GenerationRequest, QueueBatch, QueuedRequest, QueueEntry, QueueState } from '../common/contract';
import { MAX_WAITING_RUNS, MORE_LIKE_THIS_COUNT } from '../common/limits';
import { nextSeeds } from '../common/sampling';
import { resolveSeed } from '../engine/index';
import { storageProblemOf, type NewQueueRow, type QueueRow } from '../library/index';
import { notFound, UserError } from './errors';
import type { Services } from './services';

/** Finished entries the queue still lists (and keeps), newest first. */
export const FINISHED_KEPT = 10;

const newEntryId = (): string => `run-${randomBytes(6).toString('hex')}`;

export class QueueService {
  private running: string | null = null;
  private closing = false;

  /** The run a restart interrupted goes back to the front of the line at once; it starts again once a model is open. */
  constructor(private readonly services: Pick<Services, 'library' | 'runtime' | 'jobs' | 'emit'>) {
    try {
      services.library.queue.requeueInterrupted();
    } catch (error) {
      // On a full disk the studio must still start; the interrupted run goes back in line at the next start with room.
      if (!storageProblemOf(error)) throw error;
    }
    services.runtime.onOpened(() => this.pump());
  }

  state(): QueueState {
    const rows = this.services.library.queue.list(FINISHED_KEPT);
    let waiting = 0;
    return { entries: rows.map((row) => this.entryOf(row, row.status === 'waiting' ? waiting++ : null)), maxWaiting: MAX_WAITING_RUNS };
  }

  /** Queues one run at the end of the line. */
  async add(request: GenerationRequest): Promise<QueueEntry> {
    const [row] = await this.append([{ ...request, seed: resolveSeed(request.seed) }]);
    return this.state().entries.find((entry) => entry.id === row!.id)!;
  }

  /** Queues one run per prompt, in order, with the same settings. */
  async addBatch({ prompts, seed, ...shared }: QueueBatch): Promise<QueueState> {
    await this.append(prompts.map((prompt) => ({ ...shared, prompt, seed: resolveSeed(seed) })));
    return this.state();
  }

  /** Four runs with a gallery image's prompt and settings, on the next four seeds. */
  async moreLikeThis(imageId: string): Promise<QueueState> {
    const image = this.services.library.images.get(imageId);
    if (!image) throw notFound('image', imageId);
    const { kind, prompt, negativePrompt, settings, seed, modelId } = image.parameters;
    if (kind !== 'generate') throw new UserError('“More like this” repeats a generation from its prompt; this image is an edit of another one.');
    const open = (await this.services.runtime.current()).package;
    if (open.id !== modelId) throw new UserError(`This image was made with the model “${modelId}”, and “${open.id}” is open; open that model in Settings → Models to make more like it.`);
    await this.append(nextSeeds(seed, MORE_LIKE_THIS_COUNT).map((next) => ({ prompt, ...(negativePrompt ? { negativePrompt } : {}), settings, seed: next })));
    return this.state();
  }

  /** Moves a waiting entry to `position` among the waiting ones. */
  move(id: string, position: number): QueueState {
    const { queue } = this.services.library;
    const row = this.row(id);
    if (row.status !== 'waiting') throw new UserError(`That run is ${row.status === 'running' ? 'running' : `over (${row.status})`}; only a waiting run can be moved.`);
    const ids = queue.waitingIds();
    if (position >= ids.length) {
      throw new UserError(`Position ${position} is outside the line: ${ids.length === 1 ? 'the one waiting run is at 0' : `the ${ids.length} waiting runs are at 0 to ${ids.length - 1}`}.`);
    }
    const rest = ids.filter((other) => other !== id);
    queue.reorder([...rest.slice(0, position), id, ...rest.slice(position)]);
    return this.changed();
  }

  /** Cancels a waiting entry, or stops the running one (it ends as cancelled). */
  cancel(id: string): QueueState {
    const row = this.row(id);
    if (row.status === 'running') this.services.jobs.cancel(id);
    else if (row.status === 'waiting') this.services.library.queue.setStatus(id, 'cancelled');
    else throw new UserError(`That run is already over (${row.status}); there is nothing to cancel.`);
    return this.changed();
  }

  /** Cancels every waiting entry and stops the running one. */
  cancelAll(): QueueState {
    this.services.library.queue.cancelWaiting();
    if (this.running) this.services.jobs.cancel(this.running);
    return this.changed();
  }

  /**
   * Stops starting runs, and leaves the running one marked running: the studio is closing,
   * so its run is cut short, and the next start puts it back at the front of the line.
   */
  close(): void {
    this.closing = true;
  }

  private row(id: string): QueueRow {
    const row = this.services.library.queue.get(id);
    if (!row) throw notFound('queued run', id);
    return row;
  }

  private async append(requests: QueuedRequest[]): Promise<NewQueueRow[]> {
    const { library, runtime } = this.services;
    const model = (await runtime.current()).package;
    // From here to the append nothing awaits, so concurrent calls cannot overfill the line.
    const waiting = library.queue.waitingIds().length;
    if (waiting + requests.length > MAX_WAITING_RUNS) {
      throw new UserError(
        waiting >= MAX_WAITING_RUNS
          ? `The queue is full: ${waiting} runs are waiting, the most it holds. Wait for one to finish, or cancel one.`
          : `The queue has room for ${MAX_WAITING_RUNS - waiting} more runs (${waiting} of ${MAX_WAITING_RUNS} are waiting); this adds ${requests.length}.`,
      );
    }
    const rows = requests.map((request) => ({ id: newEntryId(), request, modelDir: model.dir, modelId: model.id }));
    library.queue.append(rows);
    for (const [prompt, settings] of new Map(requests.map((request) => [request.prompt, request.settings]))) library.prompts.record(prompt, settings);
    this.changed();
    this.pump();
    return rows;
  }

  /** Starts the next waiting run when none is running and a model is open. */
  private pump(): void {
    const { library, runtime, jobs } = this.services;
    if (this.running !== null || this.closing || !runtime.ready) return;
    const next = library.queue.list(0).find((row) => row.status === 'waiting');
    if (!next) return;
    if (runtime.openDir !== next.modelDir) {
      this.finish(next.id, 'failed', `It was queued for the model “${next.modelId}”, which is no longer the open one; open it again in Settings → Models and queue the run again.`);
      return;
    }
    this.running = next.id;
    library.queue.setStatus(next.id, 'running');
    const { prompt, negativePrompt, settings, seed } = next.request;
    const run = { kind: 'generate' as const, jobId: next.id, prompt, seed, candidateCount: settings.candidates, onFinished: (finished: GenerationFinished) => this.ended(finished) };
    jobs
      .start(run, (engine, resolved, options) => engine.generate({ prompt, ...(negativePrompt ? { negativePrompt } : {}), seed: resolved, settings }, options))
      // Announced once its job exists, so that a page following the queue can attach to the run.
      .then(() => this.running === next.id && this.changed())
      .catch((error: unknown) => this.ended({ jobId: next.id, outcome: 'failed', error: error instanceof Error ? error.message : String(error) }));
  }

  private ended(finished: GenerationFinished): void {
    this.running = null;
    if (this.closing) return;
    try {
      this.finish(finished.jobId, finished.outcome, finished.outcome === 'failed' ? finished.error : null);
    } catch (error) {
      // A full or read-only disk: the run's outcome has been told already; its row stays "running", so a restart runs it again.
      if (!storageProblemOf(error)) throw error;
    }
  }

  private finish(id: string, status: 'done' | 'failed' | 'cancelled', error: string | null): void {
    const { queue } = this.services.library;
    queue.setStatus(id, status, error);
    queue.pruneFinished(FINISHED_KEPT);
    this.changed();
    this.pump();
  }

  private entryOf(row: QueueRow, position: number | null): QueueEntry {
    const run = this.services.jobs.current();
    const progress = run?.jobId === row.id && run.progress ? run.progress.tokensDone / run.progress.totalTokens : null;
    return {
      id: row.id,
      request: row.request,
      modelId: row.modelId,
      status: row.status,
      position,
      progress: row.status === 'waiting' ? 0 : row.status === 'done' ? 1 : row.status === 'running' ? (progress ?? 0) : null,
      error: row.error,
      createdAt: row.createdAt,
    };
  }

  private changed(): QueueState {
    const state = this.state();
    this.services.emit('queue', 'changed', state);
    return state;
  }
}
