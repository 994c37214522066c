/**
 * Prompt assist: completing what is typed. A closed vocabulary completes the word at the
 * caret from the model's own words; an open one completes the whole prompt from the history.
 */
import { isWordCharacter } from '../../../main/common/words';
import type { PromptAssist } from '../api';

export interface Completion {
  /** What the list shows. */
  label: string;
  /** The text and caret once it is taken. */
  text: string;
  caret: number;
}

const MAX_WORD_COMPLETIONS = 8;
const MAX_HISTORY_COMPLETIONS = 6;

/** The part of a word typed before the caret: where it starts, and the letters so far. */
export function wordBeforeCaret(text: string, caret: number): { start: number; typed: string } {
  let start = caret;
  while (start > 0 && isWordCharacter(text[start - 1]!)) start--;
  return { start, typed: text.slice(start, caret) };
}

export function completionsFor(assist: PromptAssist, text: string, caret: number, history: readonly string[]): Completion[] {
  if (assist.vocabulary === 'closed') {
    const { start, typed } = wordBeforeCaret(text, caret);
    // Only at the end of a word: completing in the middle of one would split it.
    if (typed.length === 0 || isWordCharacter(text[caret] ?? '')) return [];
    const prefix = typed.toLowerCase();
    const rest = text.slice(caret);
    const spacer = rest.startsWith(' ') ? '' : ' ';
    return assist.words
      .filter((word) => word.startsWith(prefix) && word !== prefix)
      .slice(0, MAX_WORD_COMPLETIONS)
      .map((word) => ({ label: word, text: text.slice(0, start) + word + spacer + rest, caret: start + word.length + 1 }));
  }
  const typed = text.trim().toLowerCase();
  if (typed.length < 2 || caret < text.trimEnd().length) return [];
  return history
    .filter((entry) => entry.toLowerCase().startsWith(typed) && entry.toLowerCase() !== typed)
    .slice(0, MAX_HISTORY_COMPLETIONS)
    .map((entry) => ({ label: entry, text: entry, caret: entry.length }));
}

/** The prompt with `words` added at its end, one space between. */
export function appendWords(text: string, words: string): string {
  const trimmed = text.trimEnd();
  return trimmed.length === 0 ? words : `${trimmed} ${words}`;
}
