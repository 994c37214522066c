import type { ModelInfo, SamplingSettings, Settings, SettingsPatch, SettingsState } from '../api';
import type { SliceCreator } from './slice';

export interface SettingsSlice {
  /** Null until the first load answers. */
  state: SettingsState | null;
  load(): Promise<void>;
  applyState(state: SettingsState): void;
  /** Saves a change; the screen shows it at once and main's answer confirms it. */
  update(patch: SettingsPatch): Promise<void>;
  chooseModelPackage(): Promise<void>;
  revealDataFolder(): Promise<void>;
}

/** The model the engine has loaded, or the shapes world's shape until it answers. */
export const FALLBACK_MODEL: Pick<ModelInfo, 'resolution' | 'grid'> = { resolution: 64, grid: 8 };

export const createSettingsSlice: SliceCreator<'settings'> = ({ set, own, get, deps }) => ({
  state: null,
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
  chooseModelPackage: async () => {
    try {
      set({ state: await deps.api.settings.chooseModelPackage() });
    } catch (error) {
      get().workspace.reportError('Could not change the model package', error);
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
