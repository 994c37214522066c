/**
 * Generation and edit jobs: start returns at once, progress and the outcome arrive as
 * events. Runs live here, not in a page: every finished run is saved to the library whole
 * (all candidates, one run id, best first) before it is announced, and the latest run's
 * progress is kept so that a reloaded page or a second window reattaches to it. The engine
 * itself runs jobs one at a time.
 */
import { randomBytes } from 'node:crypto';
import type { Candidate, GenerationFinished, JobStarted, RunSnapshot } from '../common/contract';
import {
  encodePng,
  isEngineError,
  metadataOf,
  resolveSeed,
  type EditResult,
  type ExtendResult,
  type GenerateResult,
  type ProgressEvent,
  type RunOptions,
} from '../engine/index';
import type { EngineProcess } from '../engine/process/engine-process';
import { newImageId } from '../library/images';
import { describeStorageProblem, LibraryStorageError } from '../library/index';
import { pngDataUrl } from './images';
import { activeProvider } from './runtime';
import type { Services } from './services';

type RunResult = GenerateResult | EditResult | ExtendResult;

export type RunJob = (engine: EngineProcess, seed: number, options: RunOptions) => Promise<RunResult>;

/** What a run is, as the handlers start it. */
export interface RunRequest {
  kind: RunSnapshot['kind'];
  prompt: string;
  /** Random when null. */
  seed: number | null;
  candidateCount: number;
  /** The queue's entry id, so its events carry it; a fresh id when left out. */
  jobId?: string;
  /** Told how the run ended, after every window is. */
  onFinished?: (finished: GenerationFinished) => void;
}

const newJobId = (): string => `job-${randomBytes(6).toString('hex')}`;

/** The images a result offers, best first: composites for edits and extensions (what the user sees), else the samples. */
function candidateImages(result: RunResult) {
  return result.candidates.map((candidate, rank) => ({
    index: candidate.index,
    score: candidate.score,
    scoreKind: result.scoreKind,
    ...(candidate.fit === undefined ? {} : { fit: candidate.fit }),
    image: 'composites' in result ? result.composites[rank]! : candidate.image,
    parameters: metadataOf(result, rank),
  }));
}

export class JobStore {
  /** Running jobs, for cancel. */
  private readonly running = new Map<string, AbortController>();
  private latest: RunSnapshot | null = null;

  constructor(private readonly services: Pick<Services, 'runtime' | 'emit' | 'library'>) {}

  /** The latest run, running or over. */
  current(): RunSnapshot | null {
    return this.latest;
  }

  /** Starts `run` on the current engine. */
  async start(request: RunRequest, run: RunJob): Promise<JobStarted> {
    const engine = await this.services.runtime.current();
    engine.checkQueueRoom(); // answer "queue full" here rather than as a failed job
    const jobId = request.jobId ?? newJobId();
    const seed = resolveSeed(request.seed);
    const controller = new AbortController();
    this.running.set(jobId, controller);
    const snapshot: RunSnapshot = { jobId, kind: request.kind, prompt: request.prompt, seed, candidateCount: request.candidateCount, progress: null, finished: null };
    this.latest = snapshot;
    const startedAt = Date.now();
    const { emit } = this.services;
    const finish = (finished: GenerationFinished) => {
      this.running.delete(jobId);
      snapshot.finished = finished;
      emit('generation', 'finished', finished);
      request.onFinished?.(finished);
    };

    run(engine, seed, {
      signal: controller.signal,
      onProgress: (event) => {
        const progress = progressPayload(jobId, event, Date.now() - startedAt);
        // Steps without previews keep the last ones here, so a window that reattaches sees a picture.
        snapshot.progress = progress.previews.length > 0 ? progress : { ...progress, previews: snapshot.progress?.previews ?? [] };
        emit('generation', 'progress', progress);
      },
    }).then(
      (result) => {
        let candidates: Candidate[];
        try {
          candidates = this.save(jobId, result, activeProvider(engine));
        } catch (error) {
          finish({ jobId, outcome: 'failed', error: unsavedRunMessage(error, seed) });
          return;
        }
        finish({ jobId, outcome: 'done', candidates, unknownWords: result.unknownWords, elapsedMs: Date.now() - startedAt });
      },
      (error: unknown) => {
        if (isEngineError(error, 'CANCELLED')) finish({ jobId, outcome: 'cancelled' });
        else finish({ jobId, outcome: 'failed', error: (error as Error).message ?? String(error) });
      },
    );
    return { jobId, seed };
  }

  /** Stops a queued or running job; false when it is unknown or already finished. */
  cancel(jobId: string): boolean {
    const controller = this.running.get(jobId);
    if (!controller) return false;
    controller.abort();
    return true;
  }

  /** Saves every candidate as one run, best first, and says so to every window. */
  private save(jobId: string, result: RunResult, provider: string): Candidate[] {
    const offered = candidateImages(result);
    const saved = this.services.library.images.add(
      offered.map((candidate, rank) => ({
        id: newImageId(),
        runId: jobId,
        // The token grid goes into the file too: editing the image later forces its own tokens.
        // An extension's file carries its whole canvas's tokens, so it can be extended again.
        png: encodePng(candidate.image, candidate.parameters, 'canvasTokens' in result ? result.canvasTokens[rank] : result.candidates[rank]!.tokens),
        parameters: candidate.parameters,
        provider,
        timings: result.timings,
      })),
    );
    this.services.emit('gallery', 'changed', { reason: 'added', ids: saved.map((image) => image.id) });
    return offered.map(({ image, ...rest }, rank) => ({ ...rest, imageId: saved[rank]!.id, image: pngDataUrl(image) }));
  }
}

/** Why a finished run is not in the library, and how to get its images back: a run is reproducible from its seed. */
function unsavedRunMessage(error: unknown, seed: number): string {
  const again = `run it again with seed ${seed} for the same images. Nothing was saved from this run.`;
  if (error instanceof LibraryStorageError) return `${describeStorageProblem(error.problem, error.folder)}, then ${again}`;
  return `The run finished but could not be saved to the library (${(error as Error).message}): ${again}`;
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
