import { describe, expect, test } from 'vitest';
import { promptWords } from '../../../main/common/words';

const normalized = (text: string) => promptWords(text).map((word) => word.normalized).join(' ');

describe('prompt words', () => {
  test('split as the world spec normalises: lower case, anything but a-z and 0-9 separates', () => {
    expect(normalized('  A Red circle, Top-left.  ')).toBe('a red circle top left');
    expect(normalized('café 2nd')).toBe('caf 2nd');
    expect(normalized('')).toBe('');
  });

  test('keep their place in the text as typed', () => {
    const text = 'a Purpel  circel!';
    expect(promptWords(text).map(({ normalized, start, end }) => [normalized, text.slice(start, end)])).toEqual([
      ['a', 'a'],
      ['purpel', 'Purpel'],
      ['circel', 'circel'],
    ]);
  });

  test('stay in place where lower-casing changes a character’s length', () => {
    const text = 'İx \u212Aey'; // "İ" folds to "i" + a combining dot; the Kelvin sign folds to "k"
    expect(promptWords(text)).toEqual([
      { normalized: 'i', start: 0, end: 1 },
      { normalized: 'x', start: 1, end: 2 },
      { normalized: 'key', start: 3, end: 6 },
    ]);
  });
});
