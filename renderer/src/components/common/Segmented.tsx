export interface SegmentedOption<T> {
  value: T;
  label: string;
  /** Why the option cannot be chosen now, shown as its tooltip; absent when it can. */
  unavailable?: string;
}

/** One choice of a few, as a row of joined buttons with radio semantics (a named radiogroup). */
export function Segmented<T extends string | number>({ label, options, value, onChange }: { label: string; options: readonly SegmentedOption<T>[]; value: T; onChange(value: T): void }) {
  return (
    <div className="segmented" role="radiogroup" aria-label={label}>
      {options.map((option) => (
        <button
          key={option.value}
          type="button"
          role="radio"
          aria-checked={option.value === value}
          disabled={option.unavailable !== undefined}
          title={option.unavailable}
          onClick={() => onChange(option.value)}
        >
          {option.label}
        </button>
      ))}
    </div>
  );
}
