import { useStudio, useStudioGetter } from '../../store/react';
import { CandidatesPanel } from '../generation/CandidatesPanel';
import { SUBMIT_SHORTCUT } from '../prompt/PromptPanel';
import { CompareView } from './CompareView';
import { EditorToolbar } from './EditorToolbar';
import { MaskCanvas } from './MaskCanvas';
import { useEditorShortcuts } from './useEditorShortcuts';

/** Paint the cells to regenerate over the image, regenerate them, keep what works. */
export function EditorView() {
  const getState = useStudioGetter();
  const source = useStudio((state) => state.editor.source);
  const comparing = useStudio((state) => state.editor.comparing);
  const cellCount = useStudio((state) => state.editor.cells.length);
  const busy = useStudio((state) => state.generation.isBusy());
  const grid = useStudio((state) => state.settings.state?.runtime.model?.grid ?? 8);
  useEditorShortcuts();

  if (!source) {
    return (
      <section className="editor editor-empty" aria-label="Editor">
        <p>Open an image from the gallery, or drop a PNG, JPEG or WebP anywhere.</p>
      </section>
    );
  }
  return (
    <section className="editor" aria-label="Editor">
      <EditorToolbar />
      <div className="editor-stage">
        <div className="editor-title">
          <span className="editor-source" title={source.title}>
            {source.kind === 'import' ? 'Dropped file' : 'From the gallery'} · {source.title}
          </span>
          <span className="muted small">
            {cellCount === 0 ? 'Paint over what should change' : `${cellCount} of ${grid * grid} cells will be regenerated: the outlined ones`}
          </span>
        </div>
        {comparing ? <CompareView /> : <MaskCanvas />}
      </div>
      <div className="editor-side">
        <button
          type="button"
          className="button button-primary regenerate-button"
          disabled={busy || cellCount === 0}
          onClick={() => void getState().editor.regenerate()}
        >
          Regenerate
          <kbd aria-hidden="true">{SUBMIT_SHORTCUT}</kbd>
        </button>
        {source.kind === 'image' && (
          <button type="button" className="button" disabled={busy} title="Grow this image on one side instead" onClick={() => void getState().extending.openEditorSource()}>
            Extend
          </button>
        )}
        <CandidatesPanel place="editor" />
      </div>
    </section>
  );
}
