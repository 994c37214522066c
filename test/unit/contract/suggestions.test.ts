/** Unknown-word suggestions, from the embedded model's own vocabulary. */
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { PromptTokenizer } from '../../../main/engine/models/shapes/text';
import { suggestWord, unknownWordHints } from '../../../main/studio/suggestions';

const shapesV1 = fileURLToPath(new URL('../../../native-models/shapes-v1/tokenizer.json', import.meta.url));
const tokenizer = await PromptTokenizer.load(shapesV1, { maxLength: 32, padId: 0, unkId: 1, bosId: 2, eosId: 3 });
const vocabulary = tokenizer.vocabulary();

describe('suggestions', () => {
  test.each([
    ['purpel', 'purple'], // two letters swapped
    ['circel', 'circle'],
    ['lft', 'left'], // a letter left out
    ['circles', 'circle'], // plural to singular
    ['crosses', 'cross'],
    ['trinagle', 'triangle'],
  ])('%s → %s', (word, expected) => {
    expect(suggestWord(word, vocabulary)).toBe(expected);
  });

  test('none when no known word is close', () => {
    expect(suggestWord('zebra', vocabulary)).toBeNull();
    expect(suggestWord('xq', vocabulary)).toBeNull();
  });

  test('the vocabulary is the model’s words, without its special tokens', () => {
    expect(vocabulary).toContain('circle');
    expect(vocabulary.some((word) => word.startsWith('['))).toBe(false);
  });

  test('hints stand where the words were typed, each with its suggestion', () => {
    const text = 'a Purpel circel, lft!';
    const unknown = tokenizer.prepare(text).unknownWords;
    expect(unknownWordHints(text, unknown, vocabulary)).toEqual([
      { word: 'Purpel', start: 2, end: 8, suggestion: 'purple' },
      { word: 'circel', start: 9, end: 15, suggestion: 'circle' },
      { word: 'lft', start: 17, end: 20, suggestion: 'left' },
    ]);
  });
});
