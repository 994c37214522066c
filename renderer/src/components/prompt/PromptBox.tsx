import { useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import type { UnknownWord } from '../../api';
import { useStudio, useStudioGetter } from '../../store/react';

/**
 * The prompt: a textarea over a mirror of its text in which unknown words are underlined
 * (a textarea cannot style parts of its own text). Up on the first line and Down on the last
 * walk through earlier prompts like a shell.
 */
export function PromptBox() {
  const getState = useStudioGetter();
  const text = useStudio((state) => state.prompt.text);
  const unknownWords = useStudio((state) => state.prompt.unknownWords);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const mirror = useRef<HTMLDivElement>(null);

  // Recall puts the caret at the end, as a shell does.
  const recall = useRef(false);
  useLayoutEffect(() => {
    if (!recall.current || !textarea.current) return;
    recall.current = false;
    textarea.current.setSelectionRange(text.length, text.length);
  }, [text]);

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const box = event.currentTarget;
    const beforeCaret = box.value.slice(0, box.selectionStart);
    const afterCaret = box.value.slice(box.selectionEnd);
    const prompt = getState().prompt;
    if (event.key === 'ArrowUp' && !beforeCaret.includes('\n') && prompt.recallOlder()) {
      event.preventDefault();
      recall.current = true;
    } else if (event.key === 'ArrowDown' && !afterCaret.includes('\n') && prompt.recallNewer()) {
      event.preventDefault();
      recall.current = true;
    }
  };

  return (
    <div className="prompt-box">
      <div className="prompt-mirror" ref={mirror} aria-hidden="true">
        {underlined(text, unknownWords)}
        {'\u200b'}
      </div>
      <textarea
        ref={textarea}
        className="prompt-input"
        aria-label="Prompt"
        aria-describedby={unknownWords.length > 0 ? 'unknown-words-hint' : undefined}
        placeholder="Describe the picture: a red circle above a blue square…"
        value={text}
        rows={4}
        spellCheck={false}
        onChange={(event) => getState().prompt.setText(event.target.value)}
        onKeyDown={onKeyDown}
        onScroll={(event) => {
          if (mirror.current) mirror.current.scrollTop = event.currentTarget.scrollTop;
        }}
      />
    </div>
  );
}

function underlined(text: string, words: readonly UnknownWord[]) {
  const parts: (string | React.JSX.Element)[] = [];
  let at = 0;
  for (const word of [...words].sort((a, b) => a.start - b.start)) {
    if (word.start < at || word.end > text.length) continue; // from an older text: skip
    parts.push(text.slice(at, word.start));
    parts.push(
      <mark key={word.start} className="unknown-word">
        {text.slice(word.start, word.end)}
      </mark>,
    );
    at = word.end;
  }
  parts.push(text.slice(at));
  return parts;
}
