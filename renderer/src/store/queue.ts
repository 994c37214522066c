import type { GalleryItem, GenerationProgress, QueueEntry, QueueState } from '../api';
import { promptLines } from '../../../main/common/prompt-list';
import { MORE_LIKE_THIS_COUNT } from '../../../main/common/limits';
import { nextSeeds } from '../../../main/common/sampling';
import { nextRequestSampling } from './settings';
import type { SliceCreator } from './slice';

export interface QueueSlice {
  /** As main last told it; null until loaded. */
  state: QueueState | null;
  /** What the "Add batch" box holds: one prompt a line. */
  batchText: string;
  load(): Promise<void>;
  /** Main's new queue; a run that has just started shows in the candidates panel. */
  apply(state: QueueState): void;
  applyProgress(progress: GenerationProgress): void;
  waitingCount(): number;
  isFull(): boolean;
  setBatchText(text: string): void;
  /** Queues one run per line of the batch box, with the current settings; the box empties once queued. */
  addBatch(): Promise<void>;
  /** Queues the image's prompt and settings on its next four seeds. */
  moreLikeThis(item: Pick<GalleryItem, 'id' | 'parameters'>): Promise<void>;
  /** Moves a waiting entry to `position` among the waiting ones. */
  move(id: string, position: number): Promise<void>;
  /** Moves a waiting entry one place earlier (-1) or later (+1); nothing at either end. */
  moveBy(id: string, step: -1 | 1): Promise<void>;
  cancel(id: string): Promise<void>;
  cancelAll(): Promise<void>;
}

export const createQueueSlice: SliceCreator<'queue'> = ({ set, own, get, deps }) => {
  /** Runs a queue call whose answer is the new queue. */
  const change = async (doing: string, call: () => Promise<QueueState>): Promise<boolean> => {
    try {
      own().apply(await call());
      return true;
    } catch (error) {
      get().workspace.reportError(doing, error);
      return false;
    }
  };
  const waiting = () => own().state?.entries.filter((entry) => entry.status === 'waiting') ?? [];

  return {
    state: null,
    batchText: '',
    load: async () => {
      await change('Could not read the queue', () => deps.api.queue.list());
    },
    apply: (state) => {
      set({ state });
      const running = state.entries.find((entry) => entry.status === 'running');
      const job = get().generation.job;
      if (running && job?.jobId !== running.id && job?.status !== 'starting') void get().generation.reattach();
    },
    applyProgress: ({ jobId, tokensDone, totalTokens }) => {
      const state = own().state;
      if (!state?.entries.some((entry) => entry.id === jobId && entry.status === 'running')) return;
      const entries = state.entries.map((entry) => (entry.id === jobId ? { ...entry, progress: tokensDone / totalTokens } : entry));
      set({ state: { ...state, entries } });
    },
    waitingCount: () => waiting().length,
    isFull: () => {
      const state = own().state;
      return state !== null && own().waitingCount() >= state.maxWaiting;
    },
    setBatchText: (batchText) => set({ batchText }),
    addBatch: async () => {
      const prompts = promptLines(own().batchText);
      const maxWaiting = own().state?.maxWaiting ?? Infinity;
      if (prompts.length === 0) {
        get().workspace.notify('info', 'The batch is empty: write one prompt a line.');
        return;
      }
      if (prompts.length > maxWaiting) {
        get().workspace.notify('error', `A batch holds at most ${maxWaiting} prompts; this one has ${prompts.length}.`);
        return;
      }
      const request = nextRequestSampling(get().settings.state);
      if (!request) {
        get().workspace.notify('info', 'The studio is still starting; try again in a moment.');
        return;
      }
      const queued = await change('Could not queue the batch', () =>
        deps.api.queue.addBatch({ prompts, ...get().prompt.negativeRequest(), ...request }),
      );
      if (!queued) return;
      set({ batchText: '' });
      get().workspace.notify('success', `Queued ${prompts.length === 1 ? 'one run' : `${prompts.length} runs`}, one per line, with the current settings.`);
      void get().prompt.loadHistory();
    },
    moreLikeThis: async ({ id, parameters }) => {
      const queued = await change('Could not queue more like this', () => deps.api.queue.moreLikeThis({ imageId: id }));
      if (!queued) return;
      const seeds = nextSeeds(parameters.seed, MORE_LIKE_THIS_COUNT);
      get().workspace.notify('success', `Queued ${MORE_LIKE_THIS_COUNT} more like “${parameters.prompt}”: the same settings on the next seeds, ${seeds.join(', ')}.`);
    },
    move: async (id, position) => {
      await change('Could not move the run', () => deps.api.queue.move({ id, position }));
    },
    moveBy: async (id, step) => {
      const line = waiting();
      const at = line.findIndex((entry) => entry.id === id);
      if (at < 0 || at + step < 0 || at + step >= line.length) return;
      await own().move(id, at + step);
    },
    cancel: async (id) => {
      await change('Could not cancel the run', () => deps.api.queue.cancel({ id }));
    },
    cancelAll: async () => {
      await change('Could not cancel the queue', () => deps.api.queue.cancelAll());
    },
  };
};

/** What an entry's status says on screen. */
export function queueStatusText(entry: QueueEntry): string {
  switch (entry.status) {
    case 'waiting':
      return entry.position === 0 ? 'Next' : `Waiting, #${(entry.position ?? 0) + 1} in line`;
    case 'running':
      return `Running, ${Math.round((entry.progress ?? 0) * 100)}%`;
    case 'done':
      return 'Done, in the gallery';
    case 'cancelled':
      return 'Cancelled';
    case 'failed':
      return `Failed: ${entry.error ?? 'no reason given'}`;
  }
}
