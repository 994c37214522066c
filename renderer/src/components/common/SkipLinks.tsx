import { useStudio } from '../../store/react';

/** The first control inside a region that Tab would land on. */
const FIRST_STOP = 'input:not([disabled]), button:not([disabled]), [tabindex="0"]';

/**
 * The first Tab stops of the page, shown when focused: they jump past the prompt column to
 * the candidates, the gallery or the mask cells, which are otherwise many stops away.
 */
export function SkipLinks() {
  const view = useStudio((state) => state.workspace.view);
  const hasCandidates = useStudio((state) => state.generation.job !== null);
  const targets = [
    ...(hasCandidates && view !== 'settings' ? [{ id: 'candidates', label: 'Skip to the candidates' }] : []),
    ...(view === 'studio' ? [{ id: 'gallery', label: 'Skip to the gallery' }] : []),
    ...(view === 'editor' ? [{ id: 'mask-cells', label: 'Skip to the mask cells' }] : []),
  ];
  if (targets.length === 0) return null;
  return (
    <nav className="skip-links" aria-label="Skip links">
      {targets.map(({ id, label }) => (
        <button
          key={id}
          type="button"
          className="button skip-link"
          onClick={() => {
            const region = document.getElementById(id);
            const stop = region?.matches(FIRST_STOP) ? region : region?.querySelector<HTMLElement>(FIRST_STOP);
            stop?.focus();
          }}
        >
          {label}
        </button>
      ))}
    </nav>
  );
}
