import type { DownloadRequest, DownloadStatus, HubListing, ModelsState } from '../api';
import type { SliceCreator } from './slice';

/** The repository the model manager suggests: Janus-Pro-1B as onnx-community publishes it. */
export const SUGGESTED_REPO = 'onnx-community/Janus-Pro-1B-ONNX';

export interface ModelsSlice {
  /** Null until the first load answers. */
  state: ModelsState | null;
  /** The precisions and sizes of the repository being considered, once checked. */
  listing: HubListing | null;
  /** A call in flight (checking a repository, starting a download), for disabling its button. */
  busy: boolean;
  load(): Promise<void>;
  applyState(state: ModelsState): void;
  applyProgress(status: DownloadStatus): void;
  addFolder(dir: string): Promise<void>;
  chooseFolder(): Promise<void>;
  use(dir: string): Promise<void>;
  remove(dir: string): Promise<void>;
  inspect(repo: string): Promise<void>;
  download(request: DownloadRequest): Promise<void>;
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  cancel(id: string): Promise<void>;
}

export const createModelsSlice: SliceCreator<'models'> = ({ set, own, get, deps }) => {
  const { models } = deps.api;
  /** Runs a call whose answer is the new state; a refusal is shown with what was being done. */
  const withState = async (doing: string, run: () => Promise<ModelsState>) => {
    set({ busy: true });
    try {
      set({ state: await run() });
    } catch (error) {
      get().workspace.reportError(doing, error);
    } finally {
      set({ busy: false });
    }
  };
  return {
    state: null,
    listing: null,
    busy: false,
    load: () => withState('Could not list the models', () => models.list()),
    applyState: (state) => set({ state }),
    applyProgress: (status) => {
      const state = own().state;
      if (!state) return;
      set({ state: { ...state, downloads: state.downloads.map((download) => (download.id === status.id ? status : download)) } });
    },
    addFolder: (dir) => withState('Could not add the model folder', () => models.addFolder({ dir })),
    chooseFolder: () => withState('Could not add the model folder', () => models.chooseFolder()),
    // The settings (and the runtime status in them) follow through settings.changed.
    use: (dir) => withState('Could not switch the model', () => models.use({ dir })),
    remove: (dir) => withState('Could not remove the model', () => models.remove({ dir })),
    inspect: async (repo) => {
      set({ busy: true, listing: null });
      try {
        set({ listing: await models.inspectRepo({ repo }) });
      } catch (error) {
        get().workspace.reportError(`Could not read ${repo.trim() || 'the repository'}`, error);
      } finally {
        set({ busy: false });
      }
    },
    download: async (request) => {
      await withState('Could not start the download', () => models.download(request));
      if (own().state?.downloads.some((download) => download.repo === request.repo)) set({ listing: null });
    },
    pause: (id) => withState('Could not pause the download', () => models.pause({ id })),
    resume: (id) => withState('Could not resume the download', () => models.resume({ id })),
    cancel: (id) => withState('Could not cancel the download', () => models.cancel({ id })),
  };
};
