import type { LibraryInfo, ModelInfo, SamplingSettings, Settings, SettingsPatch, SettingsState } from '../api';
import type { SliceCreator } from './slice';

export interface SettingsSlice {
  /** Null until the first load answers. */
  state: SettingsState | null;
  /** What the library holds; loaded when the settings view opens. */
  libraryInfo: LibraryInfo | null;
  load(): Promise<void>;
  loadLibraryInfo(): Promise<void>;
  applyState(state: SettingsState): void;
  /** Saves a change; the screen shows it at once and main's answer confirms it. */
  update(patch: SettingsPatch): Promise<void>;
  /** Electron: the data folder for the next launch (the bridge takes `--data-dir`). */
  chooseDataDir(): Promise<void>;
  revealDataFolder(): Promise<void>;
}

/** The model the engine has loaded, or the shapes world's shape until it answers. */
export const FALLBACK_MODEL: Pick<ModelInfo, 'resolution' | 'grid'> = { resolution: 64, grid: 8 };

export const createSettingsSlice: SliceCreator<'settings'> = ({ set, own, get, deps }) => ({
  state: null,
  libraryInfo: null,
  loadLibraryInfo: async () => {
    try {
      set({ libraryInfo: await deps.api.library.info() });
    } catch (error) {
      get().workspace.reportError('Could not read the library', error);
    }
  },
  load: async () => {
    try {
      set({ state: await deps.api.settings.get() });
    } catch (error) {
      get().workspace.reportError('Could not load the settings', error);
    }
  },
  applyState: (state) => set({ state }),
  update: async (patch) => {
    const previous = own().state;
    if (previous) set({ state: { ...previous, settings: mergeSettings(previous.settings, patch) } });
    try {
      set({ state: await deps.api.settings.set(patch) });
    } catch (error) {
      set({ state: previous });
      get().workspace.reportError('Could not save the setting', error);
    }
  },
  chooseDataDir: async () => {
    try {
      set({ state: await deps.api.settings.chooseDataDir() });
    } catch (error) {
      get().workspace.reportError('Could not change the data folder', error);
    }
  },
  revealDataFolder: async () => {
    try {
      const result = await deps.api.library.reveal();
      if (!result.revealed) get().workspace.notify('info', `The data folder is ${result.path}`);
    } catch (error) {
      get().workspace.reportError('Could not show the data folder', error);
    }
  },
});

function mergeSettings(settings: Settings, patch: SettingsPatch): Settings {
  return {
    ...settings,
    ...patch,
    sampling: { ...settings.sampling, ...patch.sampling },
    export: { ...settings.export, ...patch.export },
  } as Settings;
}

/** The sampling settings and seed that the next generation uses. */
export function nextRequestSampling(state: SettingsState | null): { settings: SamplingSettings; seed: number | null } | null {
  if (!state) return null;
  const { sampling, seedMode, lockedSeed } = state.settings;
  return { settings: sampling, seed: seedMode === 'locked' ? lockedSeed : null };
}
