import { useStudio, useStudioGetter } from '../../store/react';

/**
 * What guidance steers away from: read by the unconditional rows instead of the empty prompt.
 * Collapsed until used; open whenever it holds text, so that what a run will use is seen.
 */
export function NegativePrompt() {
  const getState = useStudioGetter();
  const text = useStudio((state) => state.prompt.negativePrompt);
  const guidanceOff = useStudio((state) => state.settings.state?.settings.sampling.guidance === 1);
  return (
    <details className="negative-prompt" open={text.trim() !== '' || undefined}>
      <summary>Negative prompt</summary>
      <textarea
        className="negative-input"
        aria-label="Negative prompt"
        aria-describedby="negative-prompt-hint"
        placeholder="What to steer away from: a blue square…"
        rows={2}
        spellCheck={false}
        value={text}
        onChange={(event) => getState().prompt.setNegativePrompt(event.target.value)}
      />
      <p id="negative-prompt-hint" className="muted small">
        {guidanceOff ? 'Guidance is 1 (off), so the negative prompt has no effect; raise Guidance to use it.' : 'Used through guidance: the higher it is, the stronger.'}
      </p>
    </details>
  );
}
