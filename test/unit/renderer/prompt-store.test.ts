import { describe, expect, it } from 'vitest';
import { studioWithMain, until } from './helpers';

const sampling = { guidance: 3, temperature: 1, topK: 64, topP: 1, candidates: 4 };

/** Records prompts in main's history, oldest use first, each at its own millisecond. */
async function recordInOrder(api: Awaited<ReturnType<typeof studioWithMain>>['main']['api'], texts: string[]) {
  for (const [i, text] of texts.entries()) {
    await api.prompts.record({ text, settings: { ...sampling, guidance: i + 1 } });
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('prompt store', () => {
  it('recalls earlier prompts by last use, like a shell, and returns to the draft', async () => {
    const { state, main } = await studioWithMain();
    await recordInOrder(main.api, ['a red circle', 'a red square', 'a blue square']);
    const [redCircle] = (await main.api.prompts.list({})).items.filter((entry) => entry.text === 'a red circle');
    await main.api.prompts.pin({ id: redCircle!.id, pinned: true });
    await state().prompt.loadHistory();
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
    const { state, main } = await studioWithMain();
    await recordInOrder(main.api, ['a red circle', 'a blue square']);
    await state().prompt.loadHistory();
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

  it('underlines unknown words and takes main’s suggestion', async () => {
    const { state } = await studioWithMain();
    state().prompt.setText('a red cirle');
    await until(() => state().prompt.unknownWords.length > 0);
    expect(state().prompt.unknownWords).toEqual([{ word: 'cirle', start: 6, end: 11, suggestion: 'circle' }]);
    state().prompt.acceptSuggestion(state().prompt.unknownWords[0]!);
    expect(state().prompt.text).toBe('a red circle');
    await until(() => state().prompt.unknownWords.length === 0);
  });

  it('offers the closed vocabulary of the open model by kind, and adds a chip’s words', async () => {
    const { state } = await studioWithMain();
    const { assist } = state().prompt;
    if (assist.vocabulary !== 'closed') throw new Error(`expected a closed vocabulary, got ${assist.vocabulary}`);
    expect(assist.words).toEqual(expect.arrayContaining(['red', 'circle', 'above']));
    expect(assist.groups.map((group) => group.label)).toEqual(['colours', 'shapes', 'sizes', 'positions', 'relations', 'backgrounds']);
    state().prompt.setText('a red ');
    state().prompt.appendWords('circle');
    state().prompt.appendWords('to the left of');
    expect(state().prompt.text).toBe('a red circle to the left of');
  });
});
