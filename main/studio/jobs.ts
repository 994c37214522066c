/**
 * Generation and edit jobs: start returns at once, progress and the outcome arrive as
 * events, and a finished job's candidates wait in memory until the user keeps or discards
 * them. The engine itself runs jobs one at a time.
 */
import { randomBytes } from 'node:crypto';
import type { Candidate, GalleryItem, JobStarted } from '../common/contract';
import {
  encodePng,
  isEngineError,
  resolveSeed,
  metadataOf,
  type EditResult,
  type GenerateResult,
  type ProgressEvent,
  type RunOptions,
} from '../engine/index';
import type { EngineProcess } from '../engine/process/engine-process';
import { notFound, UserError } from './errors';
import { toGalleryItem } from './gallery-item';
import { pngDataUrl } from './images';
import { activeProvider } from './runtime';
import type { Services } from './services';

/** Finished jobs whose candidates are kept for `keep`; older ones are forgotten. */
const FINISHED_JOBS_KEPT = 8;

interface FinishedJob {
  result: GenerateResult | EditResult;
  provider: string;
  /** Candidate index -> gallery id, so keeping twice does not save twice. */
  kept: Map<number, string>;
}

interface Job {
  controller: AbortController;
  finished?: FinishedJob;
}

export type RunJob = (engine: EngineProcess, seed: number, options: RunOptions) => Promise<GenerateResult | EditResult>;

const newJobId = (): string => `job-${randomBytes(6).toString('hex')}`;

/** The images a result offers, best first: composites for edits (what the user sees), else the samples. */
function candidateImages(result: GenerateResult | EditResult) {
  return result.candidates.map((candidate, rank) => ({
    index: candidate.index,
    score: candidate.score,
    scoreKind: result.scoreKind,
    ...(candidate.fit === undefined ? {} : { fit: candidate.fit }),
    image: result.kind === 'edit' && 'composites' in result ? result.composites[rank]! : candidate.image,
    parameters: metadataOf(result, rank),
  }));
}

export class JobStore {
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly services: Pick<Services, 'runtime' | 'emit' | 'library' | 'host'>) {}

  /** Starts `run` on the current engine with `seed` (random when null). */
  async start(seed: number | null, run: RunJob): Promise<JobStarted> {
    const engine = await this.services.runtime.current();
    engine.checkQueueRoom(); // answer "queue full" here rather than as a failed job
    const jobId = newJobId();
    const resolvedSeed = resolveSeed(seed);
    const job: Job = { controller: new AbortController() };
    this.jobs.set(jobId, job);
    const startedAt = Date.now();
    const { emit } = this.services;

    run(engine, resolvedSeed, {
      signal: job.controller.signal,
      onProgress: (event) => emit('generation', 'progress', progressPayload(jobId, event, Date.now() - startedAt)),
    }).then(
      (result) => {
        job.finished = { result, provider: activeProvider(engine), kept: new Map() };
        const candidates: Candidate[] = candidateImages(result).map(({ image, ...rest }) => ({ ...rest, image: pngDataUrl(image) }));
        emit('generation', 'finished', {
          jobId,
          outcome: 'done',
          candidates,
          unknownWords: result.unknownWords,
          elapsedMs: Date.now() - startedAt,
        });
        this.forgetOldJobs();
      },
      (error: unknown) => {
        this.jobs.delete(jobId);
        if (isEngineError(error, 'CANCELLED')) emit('generation', 'finished', { jobId, outcome: 'cancelled' });
        else emit('generation', 'finished', { jobId, outcome: 'failed', error: (error as Error).message ?? String(error) });
      },
    );
    return { jobId, seed: resolvedSeed };
  }

  /** Stops a queued or running job; false when it is unknown or already finished. */
  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job || job.finished) return false;
    job.controller.abort();
    return true;
  }

  /** Saves the chosen candidates (by batch index) to the gallery, best first. */
  keep(jobId: string, indices: readonly number[]): GalleryItem[] {
    const job = this.jobs.get(jobId);
    if (!job) throw notFound('generation', jobId);
    const finished = job.finished;
    if (!finished) throw new UserError('This generation is still running; keep its candidates once it has finished.');
    const offered = candidateImages(finished.result);
    const unknown = indices.filter((index) => !offered.some((c) => c.index === index));
    if (unknown.length) throw new UserError(`This generation has no candidate ${unknown.join(', ')}.`);

    const chosen = offered.filter((c) => indices.includes(c.index) && !finished.kept.has(c.index));
    const saved = this.services.library.images.add(
      chosen.map((candidate) => ({
        // The token grid goes into the file too: editing the image later forces its own tokens.
        png: encodePng(candidate.image, candidate.parameters, finished.result.candidates.find((c) => c.index === candidate.index)?.tokens),
        parameters: candidate.parameters,
        provider: finished.provider,
      })),
    );
    chosen.forEach((candidate, i) => finished.kept.set(candidate.index, saved[i]!.id));
    if (saved.length) this.services.emit('gallery', 'changed', { reason: 'added', ids: saved.map((image) => image.id) });

    const { images } = this.services.library;
    return offered
      .filter((c) => indices.includes(c.index))
      .map((c) => images.get(finished.kept.get(c.index)!))
      .filter((image) => image !== undefined)
      .map((image) => toGalleryItem(image, this.services.host));
  }

  discard(jobId: string): void {
    this.cancel(jobId);
    this.jobs.delete(jobId);
  }

  private forgetOldJobs(): void {
    const finished = [...this.jobs].filter(([, job]) => job.finished);
    for (const [jobId] of finished.slice(0, Math.max(0, finished.length - FINISHED_JOBS_KEPT))) this.jobs.delete(jobId);
  }
}

function progressPayload(jobId: string, event: ProgressEvent, elapsedMs: number) {
  const { tokensDone, totalTokens } = event;
  return {
    jobId,
    tokensDone,
    totalTokens,
    etaMs: tokensDone > 0 ? (elapsedMs * (totalTokens - tokensDone)) / tokensDone : null,
    previews: event.previews?.map(pngDataUrl) ?? [],
  };
}
