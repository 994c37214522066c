import type { ImageParameters, PromptAssist, PromptEntry, UnknownWord } from '../api';
import { appendWords } from '../lib/completion';
import { AT_DRAFT, recallNewer, recallOlder, type RecallPosition } from '../lib/recall';
import type { SliceCreator } from './slice';

export interface PromptSlice {
  text: string;
  /** With guidance on, what the unconditional rows read: what to steer away from. */
  negativePrompt: string;
  /** Words of `text` the model does not know, with where they are for underlining. */
  unknownWords: UnknownWord[];
  /** The history list as shown: the search applied, pinned first, then most recent. */
  history: PromptEntry[];
  search: string;
  /** Every remembered prompt, most recently used first: what Up and Down walk through. */
  recallOrder: string[];
  recall: RecallPosition;
  /** What the open model offers while typing: its words (closed vocabulary) or nothing (open). */
  assist: PromptAssist;
  setText(text: string): void;
  setNegativePrompt(text: string): void;
  /** What a run sends besides its settings: the negative prompt, when there is one. */
  negativeRequest(): { negativePrompt?: string };
  /** An image's prompt, negative prompt, settings and seed (locked) back in place, to make it again. */
  useParameters(parameters: ImageParameters): Promise<void>;
  /** Adds a word chip's words at the end of the prompt. */
  appendWords(words: string): void;
  loadAssist(): Promise<void>;
  /** Up/Down like a shell; false when there is nothing further to recall. */
  recallOlder(): boolean;
  recallNewer(): boolean;
  setSearch(search: string): Promise<void>;
  loadHistory(): Promise<void>;
  setPinned(entry: PromptEntry, pinned: boolean): Promise<void>;
  /** Puts an earlier prompt back with the settings it was used with. */
  useEntry(entry: PromptEntry): Promise<void>;
  /** Replaces an unknown word with the model's closest known word. */
  acceptSuggestion(word: UnknownWord): void;
  checkUnknownWords(): Promise<void>;
}

/** Enough for any realistic history; the list is searched in main beyond that. */
const HISTORY_LIMIT = 1000;
/** Waits for a pause in typing before asking which words are unknown. */
const UNKNOWN_WORDS_DELAY_MS = 250;

export const createPromptSlice: SliceCreator<'prompt'> = ({ set, own, get, deps }) => {
  let pendingCheck: unknown = null;
  const scheduleCheck = () => {
    if (pendingCheck !== null) deps.platform.clearTimeout(pendingCheck);
    pendingCheck = deps.platform.setTimeout(() => {
      pendingCheck = null;
      void own().checkUnknownWords();
    }, UNKNOWN_WORDS_DELAY_MS);
  };
  // Recall shows a remembered prompt, which must not reset the walk the way typing does.
  const showRecalled = (text: string, recall: RecallPosition) => {
    set({ text, recall });
    scheduleCheck();
  };

  return {
    text: '',
    negativePrompt: '',
    unknownWords: [],
    history: [],
    search: '',
    recallOrder: [],
    recall: AT_DRAFT,
    assist: { vocabulary: 'none' },
    setText: (text) => {
      set({ text, recall: AT_DRAFT });
      scheduleCheck();
    },
    setNegativePrompt: (negativePrompt) => set({ negativePrompt }),
    negativeRequest: () => {
      const negativePrompt = own().negativePrompt.trim();
      return negativePrompt ? { negativePrompt } : {};
    },
    useParameters: async (parameters) => {
      own().setText(parameters.prompt);
      set({ negativePrompt: parameters.negativePrompt ?? '' });
      await get().settings.update({ sampling: parameters.settings, seedMode: 'locked', lockedSeed: parameters.seed });
    },
    appendWords: (words) => own().setText(appendWords(own().text, words)),
    loadAssist: async () => {
      try {
        set({ assist: await deps.api.prompts.assist() });
      } catch {
        set({ assist: { vocabulary: 'none' } }); // only a help for typing: the prompt box works without it
      }
    },
    recallOlder: () => {
      const { recallOrder, recall, text } = own();
      const recalled = recallOlder(recallOrder, recall, text);
      if (recalled) showRecalled(recalled.text, recalled.recall);
      return recalled !== null;
    },
    recallNewer: () => {
      const { recallOrder, recall } = own();
      const recalled = recallNewer(recallOrder, recall);
      if (recalled) showRecalled(recalled.text, recalled.recall);
      return recalled !== null;
    },
    setSearch: async (search) => {
      set({ search });
      await own().loadHistory();
    },
    loadHistory: async () => {
      const search = own().search;
      try {
        const [all, shown] = await Promise.all([
          deps.api.prompts.list({ limit: HISTORY_LIMIT }),
          search.trim() ? deps.api.prompts.list({ search, limit: HISTORY_LIMIT }) : null,
        ]);
        if (own().search !== search) return; // a newer search is on its way
        const recallOrder = [...all.items].sort((a, b) => b.lastUsedAt - a.lastUsedAt).map((entry) => entry.text);
        set({ history: (shown ?? all).items, recallOrder });
      } catch (error) {
        get().workspace.reportError('Could not load the prompt history', error);
      }
    },
    setPinned: async (entry, pinned) => {
      try {
        const updated = await deps.api.prompts.pin({ id: entry.id, pinned });
        set({ history: own().history.map((item) => (item.id === updated.id ? updated : item)) });
        await own().loadHistory(); // pinned entries move to the top
      } catch (error) {
        get().workspace.reportError('Could not pin the prompt', error);
      }
    },
    useEntry: async (entry) => {
      own().setText(entry.text);
      await get().settings.update({ sampling: entry.settings });
    },
    acceptSuggestion: (word) => {
      const { text } = own();
      // The ranges belong to the text they were computed for; a stale one is ignored.
      if (word.suggestion === null || text.slice(word.start, word.end).toLowerCase() !== word.word.toLowerCase()) return;
      own().setText(text.slice(0, word.start) + word.suggestion + text.slice(word.end));
    },
    checkUnknownWords: async () => {
      const text = own().text;
      if (!text.trim()) {
        set({ unknownWords: [] });
        return;
      }
      try {
        const { words } = await deps.api.prompts.unknownWords({ text });
        if (own().text === text) set({ unknownWords: words });
      } catch {
        // Only a hint: the prompt still works, and generating reports real problems.
        if (own().text === text) set({ unknownWords: [] });
      }
    },
  };
};
