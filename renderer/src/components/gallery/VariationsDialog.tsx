import { useEffect, useId, useRef, type FormEvent } from 'react';
import { keptCount, VARIATION_KEEP_LABELS, VariationKeep } from '../../../../main/common/variation';
import { plural } from '../../lib/format';
import { useStudio, useStudioGetter, useStudioShallow } from '../../store/react';
import { NumberField } from '../common/NumberField';

const STRENGTH_STEP = 0.05;

/** "More like this": how much of the image to resample, which cells to keep, and the prompt for the rest. */
export function VariationsDialog() {
  const getState = useStudioGetter();
  const { source, strength, keep, prompt } = useStudioShallow((state) => ({
    source: state.variations.source,
    strength: state.variations.strength,
    keep: state.variations.keep,
    prompt: state.variations.prompt,
  }));
  const grid = useStudio((state) => state.settings.state?.runtime.model?.grid ?? null);
  const dialog = useRef<HTMLDialogElement>(null);
  const promptId = useId();
  const strengthId = useId();

  const open = source !== null;
  useEffect(() => {
    if (!open) return;
    dialog.current?.showModal();
    return () => dialog.current?.close();
  }, [open]);

  if (!source) return <dialog ref={dialog} className="dialog" />;
  const variations = () => getState().variations;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void variations().make();
  };
  const kept = grid === null ? null : keptCount(grid, { strength, keep });

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby="variations-title"
      onCancel={(event) => {
        event.preventDefault();
        variations().close();
      }}
    >
      <form onSubmit={submit} className="dialog-body">
        <div className="variations-head">
          <img className="pixelated variations-source" src={source.url} alt={`Source: ${source.parameters.prompt}`} />
          <div>
            <h2 id="variations-title">Variations</h2>
            <p className="muted small">Keeps part of this image exactly and draws the rest again. 0 gives it back as it is; 1 makes a fresh image.</p>
          </div>
        </div>

        <div className="setting-row">
          <label className="setting-label" htmlFor={strengthId}>
            Strength
          </label>
          <input
            id={strengthId}
            type="range"
            className="slider"
            aria-label="Variation strength"
            min={0}
            max={1}
            step={STRENGTH_STEP}
            value={strength}
            onChange={(event) => variations().setStrength(Number(event.target.value))}
          />
          <NumberField
            label="Variation strength"
            name="Strength"
            min={0}
            max={1}
            step={STRENGTH_STEP}
            value={strength}
            onCommit={(next) => next !== null && variations().setStrength(next)}
          />
        </div>

        <fieldset className="field">
          <legend>Keep</legend>
          <div className="choice-list">
            {VariationKeep.options.map((mode) => (
              <label key={mode} className="choice choice-wide">
                <input type="radio" name="variation-keep" value={mode} checked={keep === mode} onChange={() => variations().setKeep(mode)} />
                <span>{VARIATION_KEEP_LABELS[mode]}</span>
              </label>
            ))}
          </div>
          {kept !== null && grid !== null && (
            <span className="muted small" aria-live="polite">
              {keep === 'rows'
                ? `Keeps ${plural(kept, 'row')} of ${grid}; draws ${plural(grid - kept, 'row')} again.`
                : `Keeps ${plural(kept, 'cell')} of ${grid * grid}, chosen by the seed; draws ${plural(grid * grid - kept, 'cell')} again.`}
            </span>
          )}
        </fieldset>

        <div className="field">
          <label className="field-label" htmlFor={promptId}>
            Variation prompt
          </label>
          <textarea
            id={promptId}
            className="text-input variations-prompt"
            aria-describedby={`${promptId}-hint`}
            rows={2}
            maxLength={1000}
            value={prompt}
            onChange={(event) => variations().setPrompt(event.target.value)}
          />
          <span id={`${promptId}-hint`} className="muted small">
            The source’s prompt, or a new one: the cells drawn again follow it.
          </span>
        </div>

        <div className="dialog-actions">
          <button type="button" className="button" onClick={() => variations().close()}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={!prompt.trim()}>
            Make variations
          </button>
        </div>
      </form>
    </dialog>
  );
}
