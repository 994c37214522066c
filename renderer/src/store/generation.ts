import type { Candidate, GalleryChanged, GenerationFinished, GenerationProgress, JobStarted, RunSnapshot } from '../api';
import { nextRequestSampling } from './settings';
import { messageOf, type SliceCreator } from './slice';

export type JobKind = RunSnapshot['kind'];

/** What a failed start reports it was doing. */
const STARTING: Record<JobKind, string> = { generate: 'Could not generate', edit: 'Could not regenerate', variation: 'Could not make variations', extend: 'Could not extend' };
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
  /** Best first, once done; main has saved them all to the gallery already. */
  candidates: Candidate[];
  /** Candidate indices (`Candidate.index`) chosen for curation. */
  selected: number[];
  /** Gallery ids of this run's images marked favourite, and of those moved to the trash. */
  favourites: string[];
  trashed: string[];
  error: string | null;
}

export interface GenerationSlice {
  job: GenerationJob | null;
  isBusy(): boolean;
  /** Generates from the prompt box with the current settings; while a run is going, queues it. */
  generate(): Promise<void>;
  /** Runs a job whose start call is given: shared by generating, editing and variations. */
  startJob(kind: JobKind, prompt: string, candidateCount: number, start: () => Promise<JobStarted>): Promise<void>;
  cancel(): Promise<void>;
  applyProgress(progress: GenerationProgress): void;
  applyFinished(finished: GenerationFinished): void;
  /** Follows trash and restore of this run's images, wherever they were done. */
  applyGalleryChange(changed: GalleryChanged): void;
  /** Picks up main's latest run: after a reload, in a second window, on reconnecting. */
  reattach(): Promise<void>;
  /** Main went out of reach: a run in progress can no longer be followed from here. */
  connectionLost(): void;
  toggleSelected(index: number): void;
  selectAll(): void;
  /** Marks the selected candidates favourite (all of them already are in the gallery). */
  favouriteSelected(): Promise<void>;
  /** Moves the selected candidates to the library's trash, with Undo. */
  trashSelected(): Promise<void>;
  /** Closes the candidates panel; the run stays in the gallery. */
  close(): void;
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
  const selectedImageIds = (job: GenerationJob) =>
    job.candidates.filter((candidate) => job.selected.includes(candidate.index) && !job.trashed.includes(candidate.imageId)).map((candidate) => candidate.imageId);

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
      const start = () => deps.api.generation.start({ prompt, ...get().prompt.negativeRequest(), ...request });
      if (!own().isBusy()) {
        await own().startJob('generate', prompt, request.settings.candidates, start);
        return;
      }
      // A run is going: this one joins the queue, and the panel keeps showing the one in progress.
      try {
        await start();
        get().workspace.notify('info', `Added to the queue: “${prompt}” runs once the runs before it are done.`);
        void get().prompt.loadHistory();
      } catch (error) {
        get().workspace.reportError('Could not queue the run', error);
      }
    },
    startJob: async (kind, prompt, candidateCount, start) => {
      if (own().isBusy()) return;
      earlyEvents = [];
      set({ job: newJob(kind, prompt, candidateCount) });
      try {
        const { jobId, seed } = await start();
        set({ job: { ...own().job!, jobId, seed, status: 'running' } });
        // Main recorded the prompt as it started the run: History shows it now, not after the run.
        void get().prompt.loadHistory();
        const replay = earlyEvents;
        earlyEvents = [];
        for (const event of replay) {
          if (event.type === 'progress') own().applyProgress(event.progress);
          else own().applyFinished(event.finished);
        }
      } catch (error) {
        set({ job: { ...own().job!, status: 'failed', error: messageOf(error) } });
        get().workspace.reportError(STARTING[kind], error);
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
            favourites: [],
            trashed: [],
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
    applyGalleryChange: ({ reason, ids }) => {
      const job = own().job;
      if (!job || (reason !== 'trashed' && reason !== 'restored')) return;
      const ofRun = ids.filter((id) => job.candidates.some((candidate) => candidate.imageId === id));
      if (ofRun.length === 0) return;
      const trashed = reason === 'trashed' ? [...new Set([...job.trashed, ...ofRun])] : job.trashed.filter((id) => !ofRun.includes(id));
      set({ job: { ...job, trashed } });
    },
    reattach: async () => {
      let run: RunSnapshot | null;
      try {
        run = await deps.api.generation.current();
      } catch (error) {
        get().workspace.reportError('Could not find the run in progress', error);
        return;
      }
      const job = own().job;
      if (!run || job?.status === 'starting' || (job?.jobId === run.jobId && job.status === 'done')) return;
      // A run that ended badly before this page saw it has nothing to show; its notice went to the page that started it.
      if (run.finished && run.finished.outcome !== 'done') {
        if (job?.jobId === run.jobId) own().applyFinished(run.finished);
        return;
      }
      set({ job: { ...newJob(run.kind, run.prompt, run.candidateCount), jobId: run.jobId, seed: run.seed, status: 'running' } });
      if (run.progress) own().applyProgress(run.progress);
      if (run.finished) own().applyFinished(run.finished);
    },
    connectionLost: () => {
      const job = own().job;
      if (job && own().isBusy()) set({ job: { ...job, status: 'failed', error: 'The connection to Parti Studio was lost.', etaMs: null } });
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
      if (job) set({ job: { ...job, selected: job.candidates.filter((c) => !job.trashed.includes(c.imageId)).map((c) => c.index) } });
    },
    favouriteSelected: async () => {
      const job = own().job;
      if (!job?.jobId || job.status !== 'done') return;
      const ids = selectedImageIds(job).filter((id) => !job.favourites.includes(id));
      if (ids.length === 0) {
        get().workspace.notify('info', 'Choose a candidate first: click its image.');
        return;
      }
      try {
        await Promise.all(ids.map((id) => deps.api.gallery.setFavourite({ id, favourite: true })));
        updateJob(job.jobId, (current) => ({ favourites: [...current.favourites, ...ids] }));
        get().workspace.notify('success', ids.length === 1 ? 'Marked favourite in the gallery.' : `Marked ${ids.length} images favourite.`);
      } catch (error) {
        get().workspace.reportError('Could not mark the favourite', error);
      }
    },
    trashSelected: async () => {
      const job = own().job;
      if (!job?.jobId || job.status !== 'done') return;
      const ids = selectedImageIds(job);
      if (ids.length === 0) {
        get().workspace.notify('info', 'Choose a candidate first: click its image.');
        return;
      }
      // The gallery's delete offers Undo; the trash event marks the tiles here.
      await get().gallery.trash(ids);
      updateJob(job.jobId, (current) => ({ selected: current.selected.filter((index) => !ids.includes(imageIdOf(current, index))) }));
    },
    close: () => {
      if (!own().isBusy()) set({ job: null });
    },
  };
};

function newJob(kind: JobKind, prompt: string, candidateCount: number): GenerationJob {
  return {
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
    favourites: [],
    trashed: [],
    error: null,
  };
}

const imageIdOf = (job: GenerationJob, index: number): string =>
  job.candidates.find((candidate) => candidate.index === index)?.imageId ?? '';
