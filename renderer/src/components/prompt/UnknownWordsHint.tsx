import { useStudio, useStudioGetter } from '../../store/react';

/** Explains the underlined words and offers the model's closest known words. */
export function UnknownWordsHint() {
  const getState = useStudioGetter();
  const words = useStudio((state) => state.prompt.unknownWords);
  if (words.length === 0) return null;
  return (
    <div id="unknown-words-hint" className="unknown-hint">
      <p>
        {words.length === 1 ? 'This word is' : 'These words are'} not in the model’s vocabulary and will be ignored:
      </p>
      <ul>
        {words.map((word) => (
          <li key={`${word.start}-${word.word}`}>
            <span className="unknown-word-name">{word.word}</span>
            {word.suggestion && (
              <button type="button" className="link-button" onClick={() => getState().prompt.acceptSuggestion(word)}>
                Use “{word.suggestion}”
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
