import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PromptTokenizer } from '../../../main/engine/models/shapes/text.js';
import { TINY_PACKAGE } from './fixtures.js';

describe('PromptTokenizer', async () => {
  const config = { maxLength: 8, padId: 0, unkId: 1, bosId: 2, eosId: 3 };
  const tokenizer = await PromptTokenizer.load(path.join(TINY_PACKAGE, 'tokenizer.json'), config);

  describe('reads the prompt as the world spec normalises it', () => {
    it.each([
      ['Top-left.', 'top left'],
      ['  A  RED\tcircle\n', 'a red circle'],
      ['a red circle, on a white background!', 'a red circle on a white background'],
      ['', ''],
      ['café 3x', 'caf 3x'], // only a-z and 0-9 are word characters, as in training
    ])('%j -> %j', (input, expected) => {
      expect(tokenizer.prepare(input).normalized).toBe(expected);
    });
  });

  it('wraps words in [bos] … [eos] and maps unknown words to [unk]', () => {
    const ids = tokenizer.prepare('A red zebra').ids;
    expect(ids[0]).toBe(2);
    expect(ids.at(-1)).toBe(3);
    expect(ids).toHaveLength(5);
    expect(ids[3]).toBe(1);
    expect(ids[1]).not.toBe(1);
  });

  it('reads the empty prompt as [bos] [eos]', () => {
    expect(tokenizer.prepare('  ...  ').ids).toEqual([2, 3]);
  });

  it('tokenises the normalised text (case and punctuation do not matter)', () => {
    expect(tokenizer.prepare('A RED circle, top-left!').ids).toEqual(tokenizer.prepare('a red circle top left').ids);
  });

  it('cuts long prompts to maxLength tokens', () => {
    expect(tokenizer.prepare('a a a a a a a a a a a a').ids).toHaveLength(8);
  });

  it('lists unknown words once, in order', () => {
    expect(tokenizer.prepare('A zebra, Zebra unicorn circle').unknownWords).toEqual(['zebra', 'unicorn']);
    expect(tokenizer.prepare('a big blue square at the top right on a black background').unknownWords).toEqual([]);
  });

  it('right-pads a batch with [pad] and masks the padding', () => {
    const batch = tokenizer.batch([tokenizer.prepare('a red circle'), tokenizer.prepare('')]);
    expect(batch.rows).toBe(2);
    expect(batch.length).toBe(5);
    expect(Array.from(batch.inputIds.subarray(5), Number)).toEqual([2, 3, 0, 0, 0]);
    expect(Array.from(batch.attentionMask, Number)).toEqual([1, 1, 1, 1, 1, 1, 1, 0, 0, 0]);
  });
});
