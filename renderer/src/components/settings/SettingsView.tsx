import { useEffect } from 'react';
import { PROVIDER_NAMES, PROVIDER_SETTINGS, type ProviderSetting } from '../../../../main/common/providers';
import { plural } from '../../lib/format';
import { useStudio, useStudioGetter, useStudioShallow } from '../../store/react';
import { ModelsSection } from './ModelsSection';
import { SamplingControls } from './SamplingControls';

export function SettingsView() {
  const state = useStudio((studio) => studio.settings.state);
  if (!state) return <p className="muted">Loading settings…</p>;
  return (
    <div className="settings-view">
      <h1 className="view-title">Settings</h1>
      <ModelsSection />
      <ProviderSection />
      <DataSection />
      <SamplingSection />
    </div>
  );
}

function SamplingSection() {
  const getState = useStudioGetter();
  const modelDefaults = useStudio((studio) => studio.settings.state?.runtime.model?.defaults);
  return (
    <section className="settings-section" aria-labelledby="defaults-heading">
      <h2 id="defaults-heading">Sampling defaults</h2>
      <p className="muted small">Every generation and edit starts from these; the Studio’s left panel changes the same values.</p>
      <div className="sampling-defaults">
        <SamplingControls />
      </div>
      {modelDefaults && (
        <div className="button-row">
          <button
            type="button"
            className="button button-quiet"
            onClick={() => void getState().settings.update({ sampling: modelDefaults, seedMode: 'random' })}
          >
            Reset to the model’s defaults
          </button>
        </div>
      )}
    </section>
  );
}

function ProviderSection() {
  const getState = useStudioGetter();
  const { settings, runtime } = useStudio((studio) => studio.settings.state)!;
  const starting = new Set(runtime.providers.filter((check) => check.starts).map((check) => check.provider));
  const refused = runtime.providers.filter((check) => !check.starts);
  // A chosen provider that does not start stays listed, so the box shows what the settings say.
  const choices = PROVIDER_SETTINGS.filter((provider) => provider === 'auto' || provider === settings.executionProvider || starting.has(provider));
  const nameOf = (provider: string) => PROVIDER_NAMES[provider as ProviderSetting] ?? provider;
  return (
    <section className="settings-section" aria-labelledby="provider-heading">
      <h2 id="provider-heading">Execution provider</h2>
      <div className="setting-line">
        <select
          className="select"
          aria-label="Execution provider"
          value={settings.executionProvider}
          onChange={(event) => void getState().settings.update({ executionProvider: event.target.value as ProviderSetting })}
        >
          {choices.map((provider) => (
            <option key={provider} value={provider}>
              {nameOf(provider)}
              {provider !== 'auto' && !starting.has(provider) ? ' (does not start here)' : ''}
            </option>
          ))}
        </select>
        <span className="muted">
          Active: <strong className="chip">{runtime.activeProvider?.toUpperCase() ?? 'none'}</strong>
        </span>
      </div>
      {runtime.providerNotes.length > 0 && (
        <ul className="hint small" aria-label="Why the model runs on another provider">
          {runtime.providerNotes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      <p className="muted small">Starts on this machine: {[...starting].map(nameOf).join(', ') || 'none'}.</p>
      {refused.length > 0 && (
        <ul className="muted small" aria-label="Providers that do not start on this machine">
          {refused.map((check) => (
            <li key={check.provider} title={check.detail ?? undefined}>
              {nameOf(check.provider)} does not start: {check.reason}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function DataSection() {
  const getState = useStudioGetter();
  const { dataDir, nextDataDir } = useStudioShallow((studio) => ({
    dataDir: studio.settings.state!.runtime.dataDir,
    nextDataDir: studio.settings.state!.runtime.nextDataDir,
  }));
  const isElectron = useStudio((studio) => studio.settings.state!.runtime.host === 'electron');
  const info = useStudio((studio) => studio.settings.libraryInfo);
  useEffect(() => void getState().settings.loadLibraryInfo(), [getState]);

  return (
    <section className="settings-section" aria-labelledby="data-heading">
      <h2 id="data-heading">Data folder</h2>
      <div className="setting-line">
        <code className="path">{dataDir}</code>
        {isElectron && (
          <>
            <button type="button" className="button button-quiet" onClick={() => void getState().settings.revealDataFolder()}>
              Show in folder
            </button>
            <button type="button" className="button" onClick={() => void getState().settings.chooseDataDir()}>
              Change…
            </button>
          </>
        )}
      </div>
      {nextDataDir && (
        <p className="hint">
          From the next launch: <code>{nextDataDir}</code>. Restart Parti Studio to use it.
        </p>
      )}
      {info && (
        <p className="muted small">
          {plural(info.images, 'image')}, {plural(info.favourites, 'favourite')}, {plural(info.prompts, 'prompt')};{' '}
          {plural(info.trashed, 'image')} in the trash
          {info.missing > 0 ? `, ${plural(info.missing, 'file')} missing` : ''}
          {info.reimportedAtStart > 0 ? `, ${plural(info.reimportedAtStart, 'file')} re-imported at start` : ''}.
        </p>
      )}
      {!isElectron && (
        <p className="muted small">
          Start <code>npm run serve</code> with <code>--data-dir DIR</code> to use another folder.
        </p>
      )}
    </section>
  );
}
