import { useStudio, useStudioGetter, useStudioShallow } from '../store/react';
import type { View } from '../store/workspace';

const views: { view: View; label: string }[] = [
  { view: 'studio', label: 'Studio' },
  { view: 'editor', label: 'Editor' },
  { view: 'settings', label: 'Settings' },
];

export function Header() {
  const getState = useStudioGetter();
  const current = useStudio((state) => state.workspace.view);
  const hasEditorSource = useStudio((state) => state.editor.source !== null);
  const runtime = useStudioShallow((state) => {
    const runtime = state.settings.state?.runtime;
    return { model: runtime?.model?.name, provider: runtime?.activeProvider, error: runtime?.modelError };
  });

  return (
    <header className="header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Parti Studio
      </div>
      <nav className="views" aria-label="Views">
        {views.map(({ view, label }) => (
          <button
            key={view}
            type="button"
            className="view-tab"
            aria-current={current === view ? 'page' : undefined}
            disabled={view === 'editor' && !hasEditorSource}
            title={view === 'editor' && !hasEditorSource ? 'Open an image from the gallery, or drop one here' : undefined}
            onClick={() => getState().workspace.showView(view)}
          >
            {label}
          </button>
        ))}
      </nav>
      <div className="runtime" aria-label="Engine status">
        {runtime.error ? (
          <span className="runtime-error" title={runtime.error}>
            Model not loaded
          </span>
        ) : (
          <>
            <span className="runtime-model">{runtime.model ?? 'Loading model…'}</span>
            {runtime.provider && <span className="chip">{runtime.provider.toUpperCase()}</span>}
          </>
        )}
      </div>
    </header>
  );
}
