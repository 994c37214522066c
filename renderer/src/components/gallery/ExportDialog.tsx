import { useEffect, useState, type FormEvent } from 'react';
import type { ExportOptions } from '../../api';
import { plural } from '../../lib/format';
import { canvasCells } from '../../../../main/common/extension';
import { useStudio, useStudioGetter } from '../../store/react';
import { Segmented, type SegmentedOption } from '../common/Segmented';
import { ModalDialog } from '../common/ModalDialog';

type Options = Required<ExportOptions>;

const formats: { value: Options['format']; label: string; note: string }[] = [
  { value: 'png', label: 'PNG', note: 'lossless, with the prompt and settings inside' },
  { value: 'jpeg', label: 'JPEG', note: 'small, no parameters' },
  { value: 'webp', label: 'WebP', note: 'small, no parameters' },
];
const scales: Options['scale'][] = [1, 2, 4, 8];
const resamplings: SegmentedOption<Options['resample']>[] = [
  { value: 'nearest', label: 'Pixel-exact' },
  { value: 'smooth', label: 'Smooth' },
];
const placeholders = ['{prompt}', '{seed}', '{date}', '{time}', '{id}', '{index}', '{model}'];

/** Format, size, resampling and file names for the selected images. */
export function ExportDialog() {
  const getState = useStudioGetter();
  const ids = useStudio((state) => state.exporting.dialogIds);
  const board = useStudio((state) => state.exporting.dialogBoard);
  const defaults = useStudio((state) => state.settings.state?.settings.export);
  const isElectron = useStudio((state) => state.settings.state?.runtime.host === 'electron');
  const running = useStudio((state) => state.exporting.running);
  const model = useStudio((state) => state.settings.state?.runtime.model);
  // Extensions are wider or taller than the model's square: the sizes line names each distinct size.
  const sizes = useStudio((state) => {
    const { resolution = 64, grid = 8 } = model ?? {};
    const cells = (ids ?? []).map((id) => canvasCells(state.gallery.findItem(id)?.parameters.extension, grid));
    return [...new Set(cells.map(({ columns, rows }) => `${(columns * resolution) / grid}x${(rows * resolution) / grid}`))].join(' ');
  });
  const [options, setOptions] = useState<Options | null>(null);

  const open = (ids !== null || board !== null) && defaults !== undefined;
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
  const scaledSizes = sizes
    .split(' ')
    .map((size) => size.split('x').map((px) => Number(px) * options.scale).join(' × ') + ' px')
    .join(', ');

  return (
    <ModalDialog open labelledBy="export-title" onClose={close}>
      <form onSubmit={submit} className="dialog-body">
        <h2 id="export-title">{board ? `Export the board "${board.name}" (${plural(board.images, 'image')})` : `Export ${plural(ids!.length, 'image')}`}</h2>

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
          <Segmented label="Scale" options={scales.map((scale) => ({ value: scale, label: `${scale}×` }))} value={options.scale} onChange={(scale) => change({ scale })} />
          <span className="muted small">
            {scaledSizes}
          </span>
        </fieldset>

        <fieldset className="field">
          <legend>Resampling</legend>
          <Segmented label="Resampling" options={resamplings} value={options.resample} onChange={(resample) => change({ resample })} />
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
            {board
              ? isElectron
                ? `. Saved in a new folder "${board.name}" inside the folder you choose.`
                : '. Downloaded as one zip file.'
              : isElectron && ids!.length > 1
                ? '. Saved into a folder you choose; existing files are never replaced.'
                : ''}
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
