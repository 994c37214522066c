import { useId } from 'react';
import { NumberField } from './NumberField';

interface SliderFieldProps {
  /** The visible label: the slider's name, and with " value" its number box's. */
  label: string;
  /** An accessible name for both instead, where the label alone is ambiguous on the page. */
  name?: string;
  hint?: string;
  min: number;
  max: number;
  step: number;
  value: number;
  onChange(value: number): void;
}

/** A labelled slider with a number box beside it for typing an exact value; both say the same. */
export function SliderField({ label, name, hint, min, max, step, value, onChange }: SliderFieldProps) {
  const id = useId();
  return (
    <div className="setting-row" title={hint}>
      <label className="setting-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        type="range"
        className="slider"
        aria-label={name}
        min={min}
        max={max}
        step={step}
        value={value}
        onChange={(event) => onChange(Number(event.target.value))}
      />
      <NumberField
        label={name ?? `${label} value`}
        name={label}
        min={min}
        max={max}
        step={step}
        integer={Number.isInteger(step)}
        value={value}
        onCommit={(next) => next !== null && onChange(next)}
      />
    </div>
  );
}
