import { useEffect, useState } from 'react';
import { formatBytes } from '../../../../main/common/limits';
import type { DownloadStatus, ModelEntry } from '../../api';
import { formatTimeLeft } from '../../lib/format';
import { SUGGESTED_REPO } from '../../store/models';
import { useStudio, useStudioGetter } from '../../store/react';

/** Settings → Models: what is installed, adding a folder, and downloads from the Hugging Face Hub. */
export function ModelsSection() {
  const getState = useStudioGetter();
  const models = useStudio((studio) => studio.models.state);
  const runtime = useStudio((studio) => studio.settings.state!.runtime);
  useEffect(() => void getState().models.load(), [getState]);

  return (
    <section className="settings-section" aria-labelledby="models-heading">
      <h2 id="models-heading">Models</h2>
      {runtime.model ? (
        <p>
          In use: <strong>{runtime.model.name}</strong> · {runtime.model.resolution}×{runtime.model.resolution} px,{' '}
          {runtime.model.grid}×{runtime.model.grid} tokens
        </p>
      ) : (
        <p className="error-text">{runtime.modelError ?? 'No model loaded.'}</p>
      )}
      {models ? (
        <ul className="model-list" aria-label="Installed models">
          {models.models.map((model) => (
            <ModelRow key={model.dir} model={model} />
          ))}
        </ul>
      ) : (
        <p className="muted">Listing the models…</p>
      )}
      <AddFolder electron={runtime.host === 'electron'} />
      {models && models.downloads.length > 0 && (
        <ul className="model-list" aria-label="Downloads">
          {models.downloads.map((download) => (
            <DownloadRow key={download.id} download={download} />
          ))}
        </ul>
      )}
      <DownloadForm />
    </section>
  );
}

function originText(model: ModelEntry): string {
  const { origin } = model;
  if (origin.kind === 'embedded') return 'embedded';
  if (origin.kind === 'folder') return `folder ${model.dir}`;
  return `Hugging Face ${origin.repo} @ ${origin.revision} (${origin.precision})`;
}

function ModelRow({ model }: { model: ModelEntry }) {
  const getState = useStudioGetter();
  const busy = useStudio((studio) => studio.models.busy);
  const [confirming, setConfirming] = useState(false);
  const deletes = model.origin.kind === 'hub';
  return (
    <li className="model-row" aria-label={model.name}>
      <div>
        <strong>{model.name}</strong> {model.inUse && <span className="chip">in use</span>}
        <div className="muted small">
          {model.family} · {model.precisions.join(', ') || 'no graphs'} · {formatBytes(model.sizeBytes)} · licence{' '}
          {model.licence ?? 'not stated'} · {originText(model)}
        </div>
        {model.error && <div className="error-text small">{model.error}</div>}
      </div>
      <div className="button-row">
        {!model.inUse && model.error === null && (
          <button type="button" className="button" disabled={busy} onClick={() => void getState().models.use(model.dir)}>
            Use {model.name}
          </button>
        )}
        {model.origin.kind !== 'embedded' && !model.inUse && !confirming && (
          <button type="button" className="button button-quiet" onClick={() => (deletes ? setConfirming(true) : void getState().models.remove(model.dir))}>
            Remove {model.name}
          </button>
        )}
        {confirming && (
          <>
            <span>Delete its {formatBytes(model.sizeBytes)} from disk?</span>
            <button type="button" className="button" onClick={() => void getState().models.remove(model.dir)}>
              Delete {model.name}
            </button>
            <button type="button" className="button button-quiet" onClick={() => setConfirming(false)}>
              Keep {model.name}
            </button>
          </>
        )}
      </div>
    </li>
  );
}

function AddFolder({ electron }: { electron: boolean }) {
  const getState = useStudioGetter();
  const [dir, setDir] = useState('');
  if (electron) {
    return (
      <div className="button-row">
        <button type="button" className="button" onClick={() => void getState().models.chooseFolder()}>
          Add a model folder…
        </button>
      </div>
    );
  }
  return (
    <form
      className="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        void getState().models.addFolder(dir.trim()).then(() => setDir(''));
      }}
    >
      <input
        type="text"
        className="text-input"
        aria-label="Model folder path"
        placeholder="/path/to/model-folder"
        value={dir}
        onChange={(event) => setDir(event.target.value)}
      />
      <button type="submit" className="button" disabled={dir.trim() === ''}>
        Add folder
      </button>
    </form>
  );
}

function DownloadForm() {
  const getState = useStudioGetter();
  const listing = useStudio((studio) => studio.models.listing);
  const busy = useStudio((studio) => studio.models.busy);
  const [repo, setRepo] = useState(SUGGESTED_REPO);
  const [precision, setPrecision] = useState('');
  useEffect(() => setPrecision(listing?.precisions[0]?.precision ?? ''), [listing]);
  const shown = listing && listing.repo === repo.trim() ? listing : null;

  return (
    <form
      className="download-form"
      aria-label="Download from Hugging Face"
      onSubmit={(event) => {
        event.preventDefault();
        if (shown && precision) void getState().models.download({ repo: shown.repo, revision: shown.revision, precision });
        else void getState().models.inspect(repo);
      }}
    >
      <div className="inline-form">
        <input
          type="text"
          className="text-input"
          aria-label="Hugging Face repository id"
          value={repo}
          onChange={(event) => setRepo(event.target.value)}
        />
        <button type="button" className="button button-quiet" disabled={busy} onClick={() => void getState().models.inspect(repo)}>
          Check download sizes
        </button>
      </div>
      {shown && (
        <div className="inline-form">
          <select className="select" aria-label="Precision to download" value={precision} onChange={(event) => setPrecision(event.target.value)}>
            {shown.precisions.map((option) => (
              <option key={option.precision} value={option.precision}>
                {option.precision} · {formatBytes(option.bytes)} in {option.files} files
              </option>
            ))}
          </select>
          <button type="submit" className="button" disabled={busy || !precision}>
            Download {shown.repo}
          </button>
        </div>
      )}
      <p className="muted small">q4 suits the CPU; fp16 or q4f16 a GPU. The size shown is what will be downloaded.</p>
    </form>
  );
}

function DownloadRow({ download }: { download: DownloadStatus }) {
  const getState = useStudioGetter();
  const { models } = getState();
  const running = download.state === 'downloading' || download.state === 'verifying';
  const speed = download.bytesPerSecond === null ? '' : ` · ${formatBytes(download.bytesPerSecond)}/s · ${formatTimeLeft(download.etaMs)}`;
  return (
    <li className="model-row" aria-label={`Download of ${download.repo}`}>
      <div className="download-progress">
        <strong>{download.repo}</strong> <span className="muted">({download.precision})</span>
        <progress className="progress" max={download.totalBytes} value={download.bytesDone} aria-label={`Download of ${download.repo}`} />
        <div className="muted small">
          {download.state === 'verifying' ? 'Verifying · ' : download.state === 'paused' ? 'Paused · ' : ''}
          {formatBytes(download.bytesDone)} of {formatBytes(download.totalBytes)}
          {running ? speed : ''}
        </div>
        {download.error && <div className="error-text small">{download.error}</div>}
      </div>
      <div className="button-row">
        {running ? (
          <button type="button" className="button button-quiet" onClick={() => void models.pause(download.id)}>
            Pause download of {download.repo}
          </button>
        ) : (
          <button type="button" className="button" onClick={() => void models.resume(download.id)}>
            Resume download of {download.repo}
          </button>
        )}
        <button type="button" className="button button-quiet" onClick={() => void models.cancel(download.id)}>
          Cancel download of {download.repo}
        </button>
      </div>
    </li>
  );
}
