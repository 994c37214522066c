import { useStudio, useStudioGetter } from '../../store/react';

/** Says plainly when there is no model to generate with, and where to fix it. */
export function ModelBanner() {
  const getState = useStudioGetter();
  const modelError = useStudio((state) => {
    const runtime = state.settings.state?.runtime;
    return runtime && !runtime.model ? (runtime.modelError ?? 'No model is loaded.') : null;
  });
  if (!modelError) return null;
  return (
    <div className="model-banner" role="alert">
      <span>
        <strong>The model could not be loaded.</strong> {modelError}
      </span>
      <button type="button" className="button" onClick={() => getState().workspace.showView('settings')}>
        Open settings
      </button>
    </div>
  );
}
