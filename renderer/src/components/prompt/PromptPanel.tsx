import { useStudio, useStudioGetter } from '../../store/react';
import { QueuePanel } from '../queue/QueuePanel';
import { SamplingControls } from '../settings/SamplingControls';
import { PromptBox } from './PromptBox';
import { NegativePrompt } from './NegativePrompt';
import { PromptHistory } from './PromptHistory';
import { PromptWords } from './PromptWords';
import { UnknownWordsHint } from './UnknownWordsHint';

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);
export const SUBMIT_SHORTCUT = isMac ? '⌘ Enter' : 'Ctrl Enter';

/** The left column: what to make, how, and what was made before. */
export function PromptPanel() {
  const getState = useStudioGetter();
  const view = useStudio((state) => state.workspace.view);
  const busy = useStudio((state) => state.generation.isBusy());
  const empty = useStudio((state) => state.prompt.text.trim() === '');

  return (
    <aside className="sidebar" aria-label="Prompt and settings">
      <section className="panel prompt-panel">
        <PromptBox />
        <UnknownWordsHint />
        <PromptWords />
        <NegativePrompt />
        {view === 'editor' ? (
          <p className="hint">The prompt describes the painted cells. Regenerate in the editor, or press {SUBMIT_SHORTCUT}.</p>
        ) : (
          <button
            type="button"
            className="button button-primary generate-button"
            disabled={empty}
            aria-describedby={busy ? 'generate-queues-hint' : undefined}
            onClick={() => void getState().generation.generate()}
          >
            Generate
            <kbd aria-hidden="true">{SUBMIT_SHORTCUT}</kbd>
          </button>
        )}
        {busy && view !== 'editor' && (
          <p id="generate-queues-hint" className="hint">
            A run is going: Generate adds this prompt to the queue.
          </p>
        )}
      </section>
      <QueuePanel />
      <section className="panel" aria-labelledby="sampling-heading">
        <h2 id="sampling-heading" className="panel-title">
          Sampling
        </h2>
        <SamplingControls />
      </section>
      <PromptHistory />
    </aside>
  );
}
