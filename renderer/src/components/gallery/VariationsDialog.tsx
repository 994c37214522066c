import { useId, type FormEvent } from 'react';
import { keptCount, VARIATION_KEEP_LABELS, VariationKeep } from '../../../../main/common/variation';
import { plural } from '../../lib/format';
import { useStudio, useStudioGetter, useStudioShallow } from '../../store/react';
import type { VariationSource } from '../../store/variations';
import { ModalDialog } from '../common/ModalDialog';
import { SliderField } from '../common/SliderField';

const STRENGTH_STEP = 0.05;

/** "More like this": how much of the image to resample, which cells to keep, and the prompt for the rest. */
export function VariationsDialog() {
  const getState = useStudioGetter();
  const source = useStudio((state) => state.variations.source);
  return (
    <ModalDialog open={source !== null} labelledBy="variations-title" onClose={() => getState().variations.close()}>
      {source && <VariationsForm source={source} />}
    </ModalDialog>
  );
}

function VariationsForm({ source }: { source: VariationSource }) {
  const getState = useStudioGetter();
  const { strength, keep, prompt } = useStudioShallow((state) => ({
    strength: state.variations.strength,
    keep: state.variations.keep,
    prompt: state.variations.prompt,
  }));
  const grid = useStudio((state) => state.settings.state?.runtime.model?.grid ?? null);
  const promptId = useId();
  const variations = () => getState().variations;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void variations().make();
  };
  const kept = grid === null ? null : keptCount(grid, { strength, keep });

  return (
    <form onSubmit={submit} className="dialog-body">
      <div className="variations-head">
        <img className="pixelated variations-source" src={source.url} alt={`Source: ${source.parameters.prompt}`} />
        <div>
          <h2 id="variations-title">Variations</h2>
          <p className="muted small">Keeps part of this image exactly and draws the rest again. 0 gives it back as it is; 1 makes a fresh image.</p>
        </div>
      </div>

      <SliderField
        label="Strength"
        name="Variation strength"
        hint="0 gives the image back as it is; 1 makes a fresh image"
        min={0}
        max={1}
        step={STRENGTH_STEP}
        value={strength}
        onChange={(next) => variations().setStrength(next)}
      />

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
  );
}
