/**
 * Settings, persisted in the library database: model package, execution provider,
 * sampling defaults, seed mode and export defaults. Changing the model or provider opens it
 * first; a choice that cannot be opened is refused with the reason and nothing changes.
 * Sampling starts from the open model's own defaults (its manifest), and switching to
 * another model adopts that model's, since a guidance that suits one model can ruin another.
 */
import path from 'node:path';
import { Settings, type SamplingSettings, type SettingsPatch, type SettingsState } from '../common/contract';
import { describeIssues, UserError } from './errors';
import type { Services } from './services';

const SETTINGS_KEY = 'app';

export const DEFAULT_SETTINGS: Settings = {
  modelPackage: null,
  executionProvider: 'auto',
  // Only while no model is open (otherwise its manifest's defaults apply): settings that change nothing.
  sampling: { guidance: 1, temperature: 1, topK: 0, topP: 1, candidates: 1 },
  seedMode: 'random',
  lockedSeed: 0,
  export: { format: 'png', scale: 1, resample: 'nearest', nameTemplate: '{prompt} {seed}', quality: 92 },
};

/**
 * The stored settings, field by field: a field that no longer validates falls back to its
 * default, and sampling never set falls back to the open model's defaults.
 */
export function loadSettings(stored: unknown, modelDefaults: SamplingSettings | null = null): Settings {
  const record = stored !== null && typeof stored === 'object' ? (stored as Record<string, unknown>) : {};
  const defaults: Settings = { ...DEFAULT_SETTINGS, sampling: modelDefaults ?? DEFAULT_SETTINGS.sampling };
  const fields = Object.entries(Settings.shape).map(([key, schema]) => {
    const parsed = schema.safeParse(record[key]);
    return [key, parsed.success ? parsed.data : defaults[key as keyof Settings]];
  });
  return Object.fromEntries(fields) as Settings;
}

export function applyPatch(current: Settings, patch: SettingsPatch): Settings {
  const merged = Settings.safeParse({
    ...current,
    ...patch,
    sampling: { ...current.sampling, ...patch.sampling },
    export: { ...current.export, ...patch.export },
  });
  if (!merged.success) throw new UserError(describeIssues('settings.set', merged.error));
  return merged.data;
}

export class SettingsService {
  constructor(private readonly services: Pick<Services, 'library' | 'runtime' | 'host' | 'emit'>) {}

  get current(): Settings {
    return loadSettings(this.services.library.settings.get(SETTINGS_KEY), this.services.runtime.modelDefaults);
  }

  /** Opens the model the settings name; a failure is reported in the runtime status. */
  async start(): Promise<void> {
    const { modelPackage, executionProvider } = this.current;
    await this.services.runtime.switchTo({ modelPackage, executionProvider }).catch(() => undefined);
  }

  async state(): Promise<SettingsState> {
    const { runtime, library, host } = this.services;
    return {
      settings: this.current,
      runtime: { ...(await runtime.status()), dataDir: library.paths.root, nextDataDir: this.nextDataDir(), host: host.kind },
    };
  }

  private nextDataDir(): string | null {
    const next = this.services.host.nextDataDir?.get() ?? null;
    return next !== null && path.resolve(next) !== path.resolve(this.services.library.paths.root) ? next : null;
  }

  async update(patch: SettingsPatch): Promise<SettingsState> {
    const before = this.current;
    let next = applyPatch(before, patch);
    if (next.modelPackage !== before.modelPackage || next.executionProvider !== before.executionProvider) {
      const engine = await this.services.runtime.switchTo({ modelPackage: next.modelPackage, executionProvider: next.executionProvider });
      if (next.modelPackage !== before.modelPackage) next = applyPatch({ ...next, sampling: engine.package.defaults }, { sampling: patch.sampling });
    }
    this.services.library.settings.set(SETTINGS_KEY, next);
    const state = await this.state();
    this.services.emit('settings', 'changed', state);
    return state;
  }
}
