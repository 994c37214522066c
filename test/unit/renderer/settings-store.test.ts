import { describe, expect, it } from 'vitest';
import { lastNotice, studioWithMain, until } from './helpers';

describe('settings store', () => {
  it('shows a change at once and keeps main’s answer', async () => {
    const { state, main } = await studioWithMain();
    const saving = state().settings.update({ sampling: { guidance: 5 } });
    expect(state().settings.state?.settings.sampling.guidance).toBe(5);
    await saving;
    expect(main.callsTo('settings.set')).toEqual([{ sampling: { guidance: 5 } }]);
    expect(state().settings.state?.settings.sampling).toMatchObject({ guidance: 5, temperature: 1 });
    expect((await main.api.settings.get()).settings.sampling.guidance).toBe(5);
  });

  it('puts the old value back and says why when main refuses', async () => {
    const { state, main } = await studioWithMain();
    await state().settings.update({ sampling: { temperature: 0 } });
    expect(state().settings.state?.settings.sampling.temperature).toBe(1);
    expect(lastNotice(state())).toMatch(/^Could not save the setting: .*temperature must be above 0/);
    expect((await main.api.settings.get()).settings.sampling.temperature).toBe(1);
  });

  it('follows changes main announces, and loads what the library holds', async () => {
    const { state, main } = await studioWithMain();
    // Another window changes a setting; main announces it to every window.
    await main.api.settings.set({ sampling: { topK: 7 } });
    await until(() => state().settings.state?.settings.sampling.topK === 7);
    await state().settings.loadLibraryInfo();
    expect(state().settings.libraryInfo?.dataDir).toBe(main.dataDir);
  });
});

describe('notices', () => {
  it('replaces a repeated message and keeps only the latest few', async () => {
    const { state } = await studioWithMain();
    state().workspace.notify('success', 'Saved to the gallery.');
    state().workspace.notify('success', 'Saved to the gallery.');
    expect(state().workspace.notices).toHaveLength(1);
    for (const n of [1, 2, 3, 4]) state().workspace.notify('info', `note ${n}`);
    expect(state().workspace.notices.map((notice) => notice.message)).toEqual(['note 2', 'note 3', 'note 4']);
    state().workspace.dismiss(state().workspace.notices[0]!.id);
    expect(state().workspace.notices).toHaveLength(2);
  });
});
