import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useStudio, useStudioGetter } from '../../store/react';
import { Icon } from '../common/Icon';
import { InspectorDetails } from './InspectorDetails';
import { InspectorStage } from './InspectorStage';
import { LineageLinks } from './LineageLinks';

/**
 * One image large, over the gallery (which keeps its place underneath): every parameter,
 * its place in its run, the run's timings, its lineage both ways, and a comparison with a
 * related image side by side or with the wipe. Esc or Close goes back to the gallery.
 */
export function Inspector() {
  const getState = useStudioGetter();
  const details = useStudio((state) => state.inspector.details);
  const canGoBack = useStudio((state) => state.inspector.trail.length > 0);
  const heading = useRef<HTMLHeadingElement>(null);
  const openId = details?.item.id;
  useEffect(() => {
    if (openId) heading.current?.focus();
  }, [openId]);
  if (!details) return null;

  const inspector = () => getState().inspector;
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      inspector().close();
    } else if (event.key === 'Backspace' && event.altKey) {
      void inspector().back();
    }
  };
  const { item } = details;
  return (
    <section className="inspector" aria-label="Inspector" onKeyDown={onKeyDown}>
      <header className="inspector-header">
        {canGoBack && (
          <button type="button" className="button button-quiet" onClick={() => void inspector().back()} title="Back (Alt+Backspace)">
            <Icon name="back" />
            Back
          </button>
        )}
        <h1 ref={heading} tabIndex={-1} className="inspector-title" title={item.parameters.prompt}>
          {item.parameters.prompt}
        </h1>
        <div className="button-row">
          <button type="button" className="button" disabled={details.trashed} onClick={() => void getState().gallery.useSettings(item)}>
            Use these settings
          </button>
          <button type="button" className="button" disabled={details.trashed || item.missing} onClick={() => (inspector().close(), getState().editor.openImage(item))}>
            Open in editor
          </button>
          <button type="button" className="button" disabled={details.trashed || item.missing} onClick={() => getState().variations.open(item)}>
            Variations
          </button>
          <button type="button" className="icon-button" aria-label="Close the inspector" title="Close (Esc)" onClick={() => inspector().close()}>
            <Icon name="close" />
          </button>
        </div>
      </header>
      <div className="inspector-body">
        <InspectorStage details={details} />
        <div className="inspector-side">
          <InspectorDetails details={details} />
          <LineageLinks details={details} />
        </div>
      </div>
    </section>
  );
}
