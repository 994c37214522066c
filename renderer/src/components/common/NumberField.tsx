import { useEffect, useId, useState, type KeyboardEvent } from 'react';

interface NumberFieldProps {
  /** The accessible name. */
  label: string;
  /** What the message calls the value ("Temperature must be …"); the label when absent. */
  name?: string;
  /** The field's id, for a visible label's htmlFor. */
  id?: string;
  /** Null shows the field empty (with the placeholder). */
  value: number | null;
  min: number;
  max: number;
  step: number;
  integer?: boolean;
  placeholder?: string;
  className?: string;
  /** Called with a valid number, or with null when the field is emptied and `allowEmpty`. */
  onCommit(value: number | null): void;
  allowEmpty?: boolean;
}

const STEP_KEYS = new Set(['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown']);

/**
 * A number box that takes what is typed as it is: the draft is checked when it is committed
 * (Enter, leaving the field, or stepping with the arrow keys), never keystroke by keystroke,
 * so `0.5` can be typed into a field whose minimum is above 0. An out-of-range or malformed
 * draft stays in the box with a message below it, and nothing is saved until it is fixed.
 */
export function NumberField({ label, name = label, id, value, min, max, step, integer = false, placeholder, className, onCommit, allowEmpty = false }: NumberFieldProps) {
  const shown = value === null ? '' : String(value);
  const [draft, setDraft] = useState(shown);
  const [error, setError] = useState<string | null>(null);
  const messageId = useId();
  // A change from elsewhere (the slider, a reset) replaces the draft unless it is being fixed.
  useEffect(() => {
    setDraft(shown);
    setError(null);
  }, [shown]);

  /** Commits the draft when it is valid; false when it is not (and the message shows). */
  const commit = (text: string): boolean => {
    const trimmed = text.trim();
    if (trimmed === '' && allowEmpty) {
      setError(null);
      onCommit(null);
      return true;
    }
    const number = Number(trimmed);
    const problem =
      trimmed === '' || !Number.isFinite(number)
        ? `${name}: enter a number from ${min} to ${max}.`
        : integer && !Number.isInteger(number)
          ? `${name} must be a whole number from ${min} to ${max}.`
          : number < min || number > max
            ? `${name} must be from ${min} to ${max}; ${trimmed} is out of range.`
            : null;
    setError(problem);
    if (problem === null) {
      if (number === value) setDraft(shown);
      else onCommit(number);
    }
    return problem === null;
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    // An invalid draft must not submit the form it is in (a dialog would act on the old value).
    if (event.key === 'Enter' && !commit(event.currentTarget.value)) event.preventDefault();
    else if (event.key === 'Escape' && error !== null) {
      event.stopPropagation();
      setDraft(shown);
      setError(null);
    }
  };

  return (
    <>
      <input
        id={id}
        type="number"
        className={`number-input${className ? ` ${className}` : ''}`}
        aria-label={id ? undefined : label}
        aria-invalid={error !== null}
        aria-describedby={error !== null ? messageId : undefined}
        min={min}
        max={max}
        step={step}
        placeholder={placeholder}
        value={draft}
        onChange={(event) => {
          setDraft(event.target.value);
          if (error !== null) setError(null);
        }}
        onKeyDown={onKeyDown}
        onKeyUp={(event) => STEP_KEYS.has(event.key) && commit(event.currentTarget.value)}
        onBlur={(event) => commit(event.currentTarget.value)}
      />
      {error !== null && (
        <p id={messageId} className="field-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
