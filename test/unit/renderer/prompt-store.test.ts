import { describe, expect, it } from 'vitest';
import { SAMPLING } from './fake-api';
import { studioWithFakeMain } from './helpers';

const entry = (id: number, text: string, lastUsedAt: number, pinned = false) => ({
  id,
  text,
  settings: { ...SAMPLING, guidance: id },
  lastUsedAt,
  count: 1,
  pinned,
});

describe('prompt store', () => {
  it('recalls earlier prompts by last use, like a shell, and returns to the draft', async () => {
    const { state } = await studioWithFakeMain((main) => {
      main.prompts = [entry(1, 'a red circle', 100, true), entry(2, 'a blue square', 300), entry(3, 'a red square', 200)];
    });
    expect(state().prompt.history.map((item) => item.text)).toEqual(['a red circle', 'a blue square', 'a red square']);
    state().prompt.setText('half typed');
    expect(state().prompt.recallOlder()).toBe(true);
    expect(state().prompt.text).toBe('a blue square');
    state().prompt.recallOlder();
    state().prompt.recallOlder();
    expect(state().prompt.text).toBe('a red circle');
    expect(state().prompt.recallOlder()).toBe(false);
    state().prompt.recallNewer();
    state().prompt.recallNewer();
    state().prompt.recallNewer();
    expect(state().prompt.text).toBe('half typed');
    expect(state().prompt.recallNewer()).toBe(false);
  });

  it('searches and pins through main, and puts an entry back with its settings', async () => {
    const { state, main } = await studioWithFakeMain((main) => {
      main.prompts = [entry(1, 'a red circle', 100), entry(2, 'a blue square', 300)];
    });
    await state().prompt.setSearch('circle');
    expect(state().prompt.history.map((item) => item.text)).toEqual(['a red circle']);
    expect(state().prompt.recallOrder).toEqual(['a blue square', 'a red circle']);
    await state().prompt.setSearch('');
    await state().prompt.setPinned(state().prompt.history[1]!, true);
    expect(state().prompt.history[0]).toMatchObject({ text: 'a red circle', pinned: true });
    await state().prompt.useEntry(state().prompt.history[0]!);
    expect(state().prompt.text).toBe('a red circle');
    expect(state().settings.state?.settings.sampling.guidance).toBe(1);
    expect(main.callsTo('settings.set')).toHaveLength(1);
  });

  it('underlines unknown words and takes a suggestion', async () => {
    const { state } = await studioWithFakeMain();
    state().prompt.setText('a red cirle');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(state().prompt.unknownWords).toEqual([{ word: 'cirle', start: 6, end: 11, suggestion: 'circle' }]);
    state().prompt.acceptSuggestion(state().prompt.unknownWords[0]!);
    expect(state().prompt.text).toBe('a red circle');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(state().prompt.unknownWords).toEqual([]);
  });
});
