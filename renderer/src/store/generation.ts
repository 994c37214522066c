import type { Candidate, GenerationFinished, GenerationProgress, JobStarted } from '../api';
import { nextRequestSampling } from './settings';
import { messageOf, type SliceCreator } from './slice';

export type JobKind = 'generate' | 'edit';
export type JobStatus = 'starting' | 'running' | 'done' | 'cancelled' | 'failed';

export interface GenerationJob {
  kind: JobKind;
  /** Null until main has accepted the job. */
  jobId: string | null;
  prompt: string;
  seed: number | null;
  /** How many candidates were asked for: the number of preview slots. */
  candidateCount: number;
  status: JobStatus;
  tokensDone: number;
  totalTokens: number;
  etaMs: number | null;
  /** Latest partial image per candidate slot. */
  previews: string[];
  /** Best first, once done. */
  candidates: Candidate[];
  /** Candidate indices (`Candidate.index`) chosen to keep. */
  selected: number[];
  /** Candidate indices already saved to the gallery. */
  kept: number[];
  error: string | null;
}

export interface GenerationSlice {
  job: GenerationJob | null;
  isBusy(): boolean;
  /** Generates from the prompt box with the current settings. */
  generate(): Promise<void>;
  /** Runs a job whose start call is given: shared by generating and editing. */
  startJob(kind: JobKind, prompt: string, candidateCount: number, start: () => Promise<JobStarted>): Promise<void>;
  cancel(): Promise<void>;
  applyProgress(progress: GenerationProgress): void;
  applyFinished(finished: GenerationFinished): void;
  toggleSelected(index: number): void;
  selectAll(): void;
  /** Saves the selected candidates into the gallery. */
  keepSelected(): Promise<void>;
  /** Closes the candidates, letting main forget them. */
  discard(): Promise<void>;
}

type JobEvent = { type: 'progress'; progress: GenerationProgress } | { type: 'finished'; finished: GenerationFinished };

export const createGenerationSlice: SliceCreator<'generation'> = ({ set, own, get, deps }) => {
  // Events can overtake the answer to `start`; they wait here until the job id is known.
  let earlyEvents: JobEvent[] = [];

  const updateJob = (jobId: string, update: (job: GenerationJob) => Partial<GenerationJob>) => {
    const job = own().job;
    if (job?.jobId === jobId) set({ job: { ...job, ...update(job) } });
  };
  const isForeignOrEarly = (jobId: string, event: JobEvent): boolean => {
    const job = own().job;
    if (job?.status === 'starting') {
      earlyEvents.push(event);
      return true;
    }
    return job?.jobId !== jobId;
  };
  const forgetQuietly = (jobId: string) => {
    // Main drops unkept candidates on its own in time; failing to say so early is harmless.
    deps.api.generation.discard({ jobId }).catch(() => undefined);
  };

  return {
    job: null,
    isBusy: () => {
      const status = own().job?.status;
      return status === 'starting' || status === 'running';
    },
    generate: async () => {
      const prompt = get().prompt.text.trim();
      if (!prompt) {
        get().workspace.notify('info', 'Write a prompt first: describe the picture you want.');
        return;
      }
      const request = nextRequestSampling(get().settings.state);
      if (!request) {
        get().workspace.notify('info', 'The studio is still starting; try again in a moment.');
        return;
      }
      await own().startJob('generate', prompt, request.settings.candidates, () =>
        deps.api.generation.start({ prompt, ...get().prompt.negativeRequest(), ...request }),
      );
    },
    startJob: async (kind, prompt, candidateCount, start) => {
      if (own().isBusy()) return;
      const previous = own().job;
      if (previous?.jobId && previous.status === 'done') forgetQuietly(previous.jobId);
      earlyEvents = [];
      set({
        job: {
          kind,
          jobId: null,
          prompt,
          seed: null,
          candidateCount,
          status: 'starting',
          tokensDone: 0,
          totalTokens: 1,
          etaMs: null,
          previews: [],
          candidates: [],
          selected: [],
          kept: [],
          error: null,
        },
      });
      try {
        const { jobId, seed } = await start();
        set({ job: { ...own().job!, jobId, seed, status: 'running' } });
        const replay = earlyEvents;
        earlyEvents = [];
        for (const event of replay) {
          if (event.type === 'progress') own().applyProgress(event.progress);
          else own().applyFinished(event.finished);
        }
      } catch (error) {
        set({ job: { ...own().job!, status: 'failed', error: messageOf(error) } });
        get().workspace.reportError(kind === 'edit' ? 'Could not regenerate' : 'Could not generate', error);
      }
    },
    cancel: async () => {
      const job = own().job;
      if (!job?.jobId || job.status !== 'running') return;
      try {
        await deps.api.generation.cancel({ jobId: job.jobId });
      } catch (error) {
        get().workspace.reportError('Could not cancel', error);
      }
    },
    applyProgress: (progress) => {
      if (isForeignOrEarly(progress.jobId, { type: 'progress', progress })) return;
      updateJob(progress.jobId, (job) => ({
        tokensDone: progress.tokensDone,
        totalTokens: progress.totalTokens,
        etaMs: progress.etaMs,
        // Some steps carry no previews: the last ones stay on screen.
        previews: progress.previews.length > 0 ? progress.previews : job.previews,
      }));
    },
    applyFinished: (finished) => {
      if (isForeignOrEarly(finished.jobId, { type: 'finished', finished })) return;
      switch (finished.outcome) {
        case 'done': {
          const best = finished.candidates[0];
          updateJob(finished.jobId, (job) => ({
            status: 'done',
            tokensDone: job.totalTokens,
            etaMs: 0,
            candidates: finished.candidates,
            selected: best ? [best.index] : [],
          }));
          if (finished.unknownWords.length > 0) {
            get().workspace.notify(
              'info',
              `The model does not know ${finished.unknownWords.map((word) => `“${word}”`).join(', ')}, so it ignored ${finished.unknownWords.length === 1 ? 'it' : 'them'}.`,
            );
          }
          break;
        }
        case 'cancelled':
          updateJob(finished.jobId, () => ({ status: 'cancelled', etaMs: null }));
          break;
        case 'failed':
          updateJob(finished.jobId, () => ({ status: 'failed', error: finished.error, etaMs: null }));
          get().workspace.notify('error', `Generation failed: ${finished.error}`);
          break;
      }
    },
    toggleSelected: (index) => {
      const job = own().job;
      if (!job) return;
      const selected = job.selected.includes(index)
        ? job.selected.filter((chosen) => chosen !== index)
        : [...job.selected, index];
      set({ job: { ...job, selected } });
    },
    selectAll: () => {
      const job = own().job;
      if (job) set({ job: { ...job, selected: job.candidates.map((candidate) => candidate.index) } });
    },
    keepSelected: async () => {
      const job = own().job;
      if (!job?.jobId || job.status !== 'done') return;
      const indices = job.selected.filter((index) => !job.kept.includes(index));
      if (indices.length === 0) {
        get().workspace.notify('info', 'Choose a candidate to keep first.');
        return;
      }
      try {
        const { items } = await deps.api.generation.keep({ jobId: job.jobId, indices });
        updateJob(job.jobId, (current) => ({ kept: [...current.kept, ...indices] }));
        get().workspace.notify('success', items.length === 1 ? 'Saved to the gallery.' : `Saved ${items.length} images to the gallery.`);
        await get().gallery.refresh();
      } catch (error) {
        get().workspace.reportError('Could not keep the image', error);
      }
    },
    discard: async () => {
      const job = own().job;
      if (!job || own().isBusy()) return;
      set({ job: null });
      if (job.jobId) forgetQuietly(job.jobId);
    },
  };
};
