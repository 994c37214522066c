import { createStore, type StoreApi } from 'zustand/vanilla';
import { createBoardsSlice } from './boards';
import { createEditorSlice } from './editor';
import { createExportSlice } from './export';
import { createExtendSlice } from './extend';
import { createGallerySlice } from './gallery';
import { createGenerationSlice } from './generation';
import { createInspectorSlice } from './inspector';
import { createModelsSlice } from './models';
import { createPromptSlice } from './prompt';
import { createQueueSlice } from './queue';
import { createSettingsSlice } from './settings';
import { createVariationsSlice } from './variations';
import type { ConnectionStatus } from '../api';
import { keepSession, restoreSession } from './session';
import type { Platform, SliceCreator, SliceTools, StudioDeps, StudioState } from './slice';
import { createWorkspaceSlice } from './workspace';

export type { StudioState, StudioDeps, Platform, DownloadFile } from './slice';
export type StudioStore = StoreApi<StudioState>;

const sliceCreators: { [K in keyof StudioState]: SliceCreator<K> } = {
  prompt: createPromptSlice,
  generation: createGenerationSlice,
  queue: createQueueSlice,
  gallery: createGallerySlice,
  boards: createBoardsSlice,
  editor: createEditorSlice,
  extending: createExtendSlice,
  inspector: createInspectorSlice,
  settings: createSettingsSlice,
  models: createModelsSlice,
  exporting: createExportSlice,
  variations: createVariationsSlice,
  workspace: createWorkspaceSlice,
};

/**
 * The whole studio state as one vanilla zustand store. It knows the contract only through
 * `deps.api`, so tests drive it with an in-memory fake and the app with the real one.
 */
export function createStudioStore(deps: StudioDeps): StudioStore {
  const store = createStore<StudioState>()((set, get) => {
    const toolsFor = <K extends keyof StudioState>(key: K): SliceTools<K> => ({
      set: (patch) =>
        set((state) => ({
          [key]: { ...state[key], ...(typeof patch === 'function' ? patch(state[key]) : patch) },
        }) as Partial<StudioState>),
      own: () => get()[key],
      get,
      deps,
    });
    const build = <K extends keyof StudioState>(key: K): StudioState[K] => sliceCreators[key](toolsFor(key));
    return {
      prompt: build('prompt'),
      generation: build('generation'),
      queue: build('queue'),
      gallery: build('gallery'),
      boards: build('boards'),
      editor: build('editor'),
      extending: build('extending'),
      inspector: build('inspector'),
      settings: build('settings'),
      models: build('models'),
      exporting: build('exporting'),
      variations: build('variations'),
      workspace: build('workspace'),
    };
  });
  subscribeToEvents(store, deps);
  keepSession(store, deps.platform.session);
  sessions.set(store, deps.platform.session);
  return store;
}

/** Main's events feed the slices that care about them. */
function subscribeToEvents(store: StudioStore, { api }: StudioDeps): void {
  api.generation.onProgress((progress) => {
    store.getState().generation.applyProgress(progress);
    store.getState().queue.applyProgress(progress);
  });
  api.queue.onChanged((state) => store.getState().queue.apply(state));
  api.generation.onFinished((finished) => store.getState().generation.applyFinished(finished));
  api.gallery.onChanged((changed) => {
    store.getState().generation.applyGalleryChange(changed);
    void store.getState().gallery.refresh();
    void store.getState().inspector.refresh();
    void store.getState().gallery.loadModels();
    void store.getState().boards.load(); // their counts leave out the trash
    void store.getState().prompt.loadHistory();
  });
  api.boards.onChanged((state) => store.getState().boards.applyState(state));
  api.settings.onChanged((state) => {
    store.getState().settings.applyState(state);
    void store.getState().prompt.loadAssist(); // the model may have changed
  });
  api.models.onChanged((state) => store.getState().models.applyState(state));
  api.models.onDownloadProgress((status) => store.getState().models.applyProgress(status));
}

/**
 * The bridge went away or came back: the page stops showing a run it can no longer follow,
 * and once reconnected reloads what main holds (settings, history, gallery, the latest run).
 */
export async function followConnection(store: StudioStore, status: ConnectionStatus): Promise<void> {
  const state = store.getState();
  state.workspace.setConnection(status);
  if (status === 'lost' || status === 'refused') state.generation.connectionLost();
  if (status === 'connected') await loadStudio(store);
}

/** Each store's session storage, until the first load has put back what it held. */
const sessions = new WeakMap<StudioStore, Platform['session']>();

/** Loads what the first screen shows (again after reconnecting); the first time, the draft and the editor too. */
export async function loadStudio(store: StudioStore): Promise<void> {
  const state = store.getState();
  await Promise.all([state.settings.load(), state.prompt.loadHistory(), state.prompt.loadAssist(), state.gallery.refresh(), state.gallery.loadModels(), state.boards.load(), state.generation.reattach(), state.queue.load()]);
  const session = sessions.get(store);
  sessions.delete(store);
  if (session) await restoreSession(store, session);
}
