import { useEffect, useState, type FormEvent } from 'react';
import type { ExportOptions } from '../../api';
import { plural } from '../../lib/format';
import { useStudio, useStudioGetter } from '../../store/react';
import { ModalDialog } from '../common/ModalDialog';

type Options = Required<ExportOptions>;

const formats: { value: Options['format']; label: string; note: string }[] = [
  { value: 'png', label: 'PNG', note: 'lossless, with the prompt and settings inside' },
  { value: 'jpeg', label: 'JPEG', note: 'small, no parameters' },
  { value: 'webp', label: 'WebP', note: 'small, no parameters' },
];
const scales: Options['scale'][] = [1, 2, 4, 8];
const placeholders = ['{prompt}', '{seed}', '{date}', '{time}', '{id}', '{index}', '{model}'];

/** Format, size, resampling and file names for the selected images. */
export function ExportDialog() {
  const getState = useStudioGetter();
  const ids = useStudio((state) => state.exporting.dialogIds);
  const defaults = useStudio((state) => state.settings.state?.settings.export);
  const isElectron = useStudio((state) => state.settings.state?.runtime.host === 'electron');
  const running = useStudio((state) => state.exporting.running);
  const resolution = useStudio((state) => state.settings.state?.runtime.model?.resolution ?? 64);
  const [options, setOptions] = useState<Options | null>(null);

  const open = ids !== null && defaults !== undefined;
  useEffect(() => {
    if (open) setOptions({ ...defaults });
    // Only on opening: the defaults seed the form, then the user's edits stand.
  }, [open]);

  const close = () => getState().exporting.closeDialog();
  if (!open || !options) return <ModalDialog open={false} labelledBy="export-title" onClose={close} children={null} />;
  const change = (patch: Partial<Options>) => setOptions({ ...options, ...patch });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (options.nameTemplate.trim()) void getState().exporting.run(options);
  };
  const side = resolution * options.scale;

  return (
    <ModalDialog open labelledBy="export-title" onClose={close}>
      <form onSubmit={submit} className="dialog-body">
        <h2 id="export-title">Export {plural(ids.length, 'image')}</h2>

        <fieldset className="field">
          <legend>Format</legend>
          <div className="choice-list">
            {formats.map((format) => (
              <label key={format.value} className="choice">
                <input
                  type="radio"
                  name="format"
                  value={format.value}
                  checked={options.format === format.value}
                  onChange={() => change({ format: format.value })}
                />
                <span>{format.label}</span>
                <span className="muted small">{format.note}</span>
              </label>
            ))}
          </div>
        </fieldset>

        <fieldset className="field">
          <legend>Size</legend>
          <div className="segmented" role="radiogroup" aria-label="Scale">
            {scales.map((scale) => (
              <button
                key={scale}
                type="button"
                role="radio"
                aria-checked={options.scale === scale}
                onClick={() => change({ scale })}
              >
                {scale}×
              </button>
            ))}
          </div>
          <span className="muted small">
            {side} × {side} px
          </span>
        </fieldset>

        <fieldset className="field">
          <legend>Resampling</legend>
          <div className="segmented" role="radiogroup" aria-label="Resampling">
            <button type="button" role="radio" aria-checked={options.resample === 'nearest'} onClick={() => change({ resample: 'nearest' })}>
              Pixel-exact
            </button>
            <button type="button" role="radio" aria-checked={options.resample === 'smooth'} onClick={() => change({ resample: 'smooth' })}>
              Smooth
            </button>
          </div>
        </fieldset>

        {options.format !== 'png' && (
          <label className="field">
            <span className="field-label">Quality</span>
            <input
              type="number"
              className="number-input"
              min={1}
              max={100}
              value={options.quality}
              onChange={(event) => change({ quality: Math.min(100, Math.max(1, Math.round(Number(event.target.value)) || 1)) })}
            />
          </label>
        )}

        <label className="field">
          <span className="field-label">File name</span>
          <input
            type="text"
            className="text-input"
            value={options.nameTemplate}
            aria-invalid={!options.nameTemplate.trim()}
            aria-describedby="name-help"
            onChange={(event) => change({ nameTemplate: event.target.value })}
          />
          <span id="name-help" className="muted small">
            Placeholders: {placeholders.join(' ')}
            {isElectron && ids.length > 1 ? '. Saved into a folder you choose; existing files are never replaced.' : ''}
          </span>
        </label>

        <div className="dialog-actions">
          <button type="button" className="button" onClick={close}>
            Close
          </button>
          <button type="submit" className="button button-primary" disabled={running || !options.nameTemplate.trim()}>
            Export
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
