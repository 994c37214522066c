import { describe, expect, test } from 'vitest';
import { promptLines } from '../../../main/common/prompt-list';

describe('a list of prompts (CLI --prompts, the queue\'s Add batch)', () => {
  test('one prompt a line, trimmed, blank lines and Windows line ends skipped', () => {
    expect(promptLines('a red circle\r\n\n   \n  a blue square  \na green triangle')).toEqual(['a red circle', 'a blue square', 'a green triangle']);
    expect(promptLines(' \n\t\n')).toEqual([]);
  });
});
