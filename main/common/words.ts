/**
 * Prompt words as the models read them (the shapes world's normalisation): lower case, and
 * every character other than a-z or 0-9 separates words, so "Top-left." reads "top left" and
 * a non-ASCII letter is not part of a word. One splitter for the engine's tokenizer, the
 * unknown-word hints under the prompt box and their positions in the text as typed.
 */
export interface PromptWord {
  /** The word as the model reads it. */
  normalized: string;
  /** Where it stands in the text as typed (UTF-16 offsets, end exclusive). */
  start: number;
  end: number;
}

const WORD_CHARACTER = /[0-9a-z]/;

/** Whether a character, as typed, is part of a word (case does not matter). */
export const isWordCharacter = (character: string): boolean => character.length > 0 && WORD_CHARACTER.test(character.toLowerCase());

/** Whether `text` is one whole word as the model reads it (lower case, word characters only). */
export const isModelWord = (text: string): boolean => text.length > 0 && [...text].every((character) => WORD_CHARACTER.test(character));

export function promptWords(text: string): PromptWord[] {
  const words: PromptWord[] = [];
  let current: PromptWord | null = null;
  let offset = 0;
  // Character by character, so that each word keeps its place even where lower-casing changes
  // a character's length (the Kelvin sign reads "k"; "İ" reads "i" and a combining dot).
  for (const character of text) {
    for (const folded of character.toLowerCase()) {
      if (WORD_CHARACTER.test(folded)) {
        current ??= { normalized: '', start: offset, end: offset };
        current.normalized += folded;
        current.end = offset + character.length;
      } else if (current) {
        words.push(current);
        current = null;
      }
    }
    offset += character.length;
  }
  if (current) words.push(current);
  return words;
}
