import { useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { UnknownWord } from '../../api';
import { completionsFor, type Completion } from '../../lib/completion';
import { useStudio, useStudioGetter } from '../../store/react';

/**
 * The prompt: a textarea over a mirror of its text in which unknown words are underlined
 * (a textarea cannot style parts of its own text). Up on the first line and Down on the last
 * walk through earlier prompts like a shell. While a word is typed, a list offers the model's
 * words that complete it (or, for an open vocabulary, earlier prompts): Up/Down choose, Enter
 * or Tab take one, Esc closes the list.
 */
export function PromptBox() {
  const getState = useStudioGetter();
  const text = useStudio((state) => state.prompt.text);
  const unknownWords = useStudio((state) => state.prompt.unknownWords);
  const assist = useStudio((state) => state.prompt.assist);
  const history = useStudio((state) => state.prompt.recallOrder);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const mirror = useRef<HTMLDivElement>(null);
  // Completions follow typing only: recall, a chip or a taken completion closes the list.
  const [typing, setTyping] = useState<{ caret: number } | null>(null);
  const [highlighted, setHighlighted] = useState(0);
  const completions = useMemo(
    () => (typing ? completionsFor(assist, text, typing.caret, history) : []),
    [assist, text, typing, history],
  );
  const open = completions.length > 0;
  const caretAfter = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (caretAfter.current === null || !textarea.current) return;
    textarea.current.setSelectionRange(caretAfter.current, caretAfter.current);
    caretAfter.current = null;
  }, [text]);
  const take = (completion: Completion) => {
    caretAfter.current = completion.caret;
    setTyping(null);
    getState().prompt.setText(completion.text);
  };

  // Recall puts the caret at the end, as a shell does.
  const recall = useRef(false);
  useLayoutEffect(() => {
    if (!recall.current || !textarea.current) return;
    recall.current = false;
    textarea.current.setSelectionRange(text.length, text.length);
  }, [text]);

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (open && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setHighlighted((highlighted + step + completions.length) % completions.length);
      return;
    }
    if (open && (event.key === 'Enter' || event.key === 'Tab')) {
      event.preventDefault();
      take(completions[Math.min(highlighted, completions.length - 1)]!);
      return;
    }
    if (open && event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation(); // closes the list only, not the editor
      setTyping(null);
      return;
    }
    const box = event.currentTarget;
    const beforeCaret = box.value.slice(0, box.selectionStart);
    const afterCaret = box.value.slice(box.selectionEnd);
    const prompt = getState().prompt;
    if (event.key === 'ArrowUp' && !beforeCaret.includes('\n') && prompt.recallOlder()) {
      event.preventDefault();
      recall.current = true;
      setTyping(null);
    } else if (event.key === 'ArrowDown' && !afterCaret.includes('\n') && prompt.recallNewer()) {
      event.preventDefault();
      recall.current = true;
      setTyping(null);
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
        aria-autocomplete="list"
        aria-controls={open ? 'prompt-completions' : undefined}
        aria-activedescendant={open ? `prompt-completion-${Math.min(highlighted, completions.length - 1)}` : undefined}
        placeholder="Describe the picture: a red circle above a blue square…"
        value={text}
        rows={4}
        spellCheck={false}
        onChange={(event) => {
          setTyping({ caret: event.target.selectionStart });
          setHighlighted(0);
          getState().prompt.setText(event.target.value);
        }}
        onBlur={() => setTyping(null)}
        onKeyDown={onKeyDown}
        onScroll={(event) => {
          if (mirror.current) mirror.current.scrollTop = event.currentTarget.scrollTop;
        }}
      />
      {open && (
        <ul className="prompt-completions" id="prompt-completions" role="listbox" aria-label="Completions">
          {completions.map((completion, index) => (
            <li
              key={completion.label}
              id={`prompt-completion-${index}`}
              role="option"
              aria-selected={index === Math.min(highlighted, completions.length - 1)}
              // Taken on mouse down, before the textarea's blur closes the list.
              onMouseDown={(event) => {
                event.preventDefault();
                take(completion);
              }}
            >
              {completion.label}
            </li>
          ))}
        </ul>
      )}
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
