import { useStudio, useStudioGetter } from '../../store/react';

/** A closed-vocabulary model's words by kind, as chips that add themselves to the prompt. */
export function PromptWords() {
  const getState = useStudioGetter();
  const assist = useStudio((state) => state.prompt.assist);
  if (assist.vocabulary !== 'closed') return null;
  return (
    <details className="prompt-words">
      <summary>Words the model knows</summary>
      {/* Scrolls on its own, so the open chips never push Generate off a short window. */}
      <div className="word-groups">
        {assist.groups.map((group) => (
          <div key={group.label} className="word-group" role="group" aria-label={group.label}>
            <span className="word-group-label" aria-hidden="true">
              {group.label}
            </span>
            {group.words.map((words) => (
              <button
                key={words}
                type="button"
                className="chip word-chip"
                aria-label={`Add “${words}” to the prompt`}
                onClick={() => getState().prompt.appendWords(words)}
              >
                {words}
              </button>
            ))}
          </div>
        ))}
      </div>
    </details>
  );
}
