/**
 * Unsaved work that must outlive a reload of the page: the prompt being typed, and the
 * editor's source with its mask. Saved in the tab's session storage as it changes, read
 * back once when the page loads; an image no longer in the library is not reopened.
 */
import type { MaskAction } from '../lib/mask';
import type { EditorSource } from './editor';
import type { StudioStore } from './index';
import type { Platform } from './slice';

const PROMPT_KEY = 'parti-studio.prompt';
const EDITOR_KEY = 'parti-studio.editor';

interface SavedEditor {
  source: EditorSource;
  actions: MaskAction[];
}

function readJson<T>(session: Platform['session'], key: string): T | null {
  try {
    return JSON.parse(session.getItem(key) ?? 'null') as T | null;
  } catch {
    return null; // written by another version, or damaged: nothing to bring back
  }
}

/** Saves the draft and the editor whenever they change. */
export function keepSession(store: StudioStore, session: Platform['session']): void {
  store.subscribe((state, previous) => {
    if (state.prompt.text !== previous.prompt.text) session.setItem(PROMPT_KEY, JSON.stringify(state.prompt.text));
    const { source, actions } = state.editor;
    if (source === previous.editor.source && actions === previous.editor.actions) return;
    if (source) session.setItem(EDITOR_KEY, JSON.stringify({ source, actions } satisfies SavedEditor));
    else session.removeItem(EDITOR_KEY);
  });
}

/** Puts back what the page held before it was reloaded. */
export async function restoreSession(store: StudioStore, session: Platform['session']): Promise<void> {
  const prompt = readJson<string>(session, PROMPT_KEY);
  const saved = readJson<SavedEditor>(session, EDITOR_KEY);
  if (saved?.source && !(await store.getState().editor.reopen(saved.source, saved.actions))) session.removeItem(EDITOR_KEY);
  // Opening the editor sets its source's prompt; the draft typed after that wins.
  if (typeof prompt === 'string') store.getState().prompt.setText(prompt);
}
