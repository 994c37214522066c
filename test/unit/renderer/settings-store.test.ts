import { describe, expect, it } from 'vitest';
import { lastNotice, studioWithFakeMain } from './helpers';

describe('settings store', () => {
  it('shows a change at once and keeps main’s answer', async () => {
    const { state, main } = await studioWithFakeMain();
    const saving = state().settings.update({ sampling: { guidance: 5 } });
    expect(state().settings.state?.settings.sampling.guidance).toBe(5);
    await saving;
    expect(main.callsTo('settings.set')).toEqual([{ sampling: { guidance: 5 } }]);
    expect(state().settings.state?.settings.sampling).toMatchObject({ guidance: 5, temperature: 1 });
  });

  it('puts the old value back and says why when main refuses', async () => {
    const { state, main } = await studioWithFakeMain((main) => {
      (main.api.settings as { set: unknown }).set = async () => {
        throw new Error('temperature must be above 0');
      };
    });
    await state().settings.update({ sampling: { temperature: 0 } });
    expect(state().settings.state?.settings.sampling.temperature).toBe(1);
    expect(lastNotice(state())).toBe('Could not save the setting: temperature must be above 0');
    expect(main.settings.settings.sampling.temperature).toBe(1);
  });

  it('follows changes main announces, and loads what the library holds', async () => {
    const { state, main } = await studioWithFakeMain();
    main.settingsChanged.emit({ ...main.settings, runtime: { ...main.settings.runtime, activeProvider: 'cuda' } });
    expect(state().settings.state?.runtime.activeProvider).toBe('cuda');
    await state().settings.loadLibraryInfo();
    expect(state().settings.libraryInfo?.dataDir).toBe('/tmp/parti-data');
  });
});

describe('notices', () => {
  it('replaces a repeated message and keeps only the latest few', async () => {
    const { state } = await studioWithFakeMain();
    state().workspace.notify('success', 'Saved to the gallery.');
    state().workspace.notify('success', 'Saved to the gallery.');
    expect(state().workspace.notices).toHaveLength(1);
    for (const n of [1, 2, 3, 4]) state().workspace.notify('info', `note ${n}`);
    expect(state().workspace.notices.map((notice) => notice.message)).toEqual(['note 2', 'note 3', 'note 4']);
    state().workspace.dismiss(state().workspace.notices[0]!.id);
    expect(state().workspace.notices).toHaveLength(2);
  });
});
