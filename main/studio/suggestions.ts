/**
 * Unknown-word hints under the prompt box: where each word the model does not know stands in
 * the text as typed, and the known word it most likely means.
 */
import levenshtein from 'damerau-levenshtein';
import type { UnknownWord } from '../common/contract';
import { promptWords } from '../common/words';

/** Singular forms a plural may come from: "crosses" → "cross", "circles" → "circle". */
function singulars(word: string): string[] {
  const forms: string[] = [];
  if (word.endsWith('ies')) forms.push(`${word.slice(0, -3)}y`);
  if (word.endsWith('es')) forms.push(word.slice(0, -2));
  if (word.endsWith('s')) forms.push(word.slice(0, -1));
  return forms;
}

/**
 * The known word meant by an unknown one: its singular when the model knows that, else the
 * nearest by edits (a swap of neighbours counts as one: "purpel" → "purple"), allowing one
 * edit in words of up to four letters and two in longer ones; null when none is that close.
 */
export function suggestWord(word: string, vocabulary: readonly string[]): string | null {
  const known = new Set(vocabulary);
  const singular = singulars(word).find((form) => known.has(form));
  if (singular) return singular;
  const allowed = word.length <= 4 ? 1 : 2;
  let best: { word: string; steps: number } | null = null;
  for (const candidate of vocabulary) {
    const { steps } = levenshtein(word, candidate);
    if (steps <= allowed && (!best || steps < best.steps)) best = { word: candidate, steps };
  }
  return best?.word ?? null;
}

/** Each unknown (normalised) word where it stands in `text`, with a suggestion where one is close. */
export function unknownWordHints(text: string, unknown: readonly string[], vocabulary: readonly string[]): UnknownWord[] {
  const wanted = new Set(unknown);
  return promptWords(text)
    .filter((word) => wanted.has(word.normalized))
    .map(({ normalized, start, end }) => ({ word: text.slice(start, end), start, end, suggestion: suggestWord(normalized, vocabulary) }));
}
