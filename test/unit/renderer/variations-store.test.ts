/** The Variations dialog's store against the real studio in-process: open, adjust, make, and read back. */
import { describe, expect, it } from 'vitest';
import { addImages, lastNotice, studioWithGeneratedImage, studioWithMain, until } from './helpers';

describe('variations store', () => {
  it('opens on an image with its prompt, makes a variation run with the strength, mode and prompt chosen, and shows it in the studio', async () => {
    const { state, main, best } = await studioWithGeneratedImage('a red circle');

    state().variations.open({ id: best.imageId, url: best.image, parameters: best.parameters });
    expect(state().variations).toMatchObject({ source: { id: best.imageId }, prompt: 'a red circle', strength: 0.5, keep: 'rows' });
    state().variations.setStrength(0.25);
    state().variations.setKeep('cells');
    state().variations.setPrompt('  a blue square ');
    await state().variations.make();
    expect(state().variations.source).toBeNull();
    expect(state().workspace.view).toBe('studio');
    const { sampling } = state().settings.state!.settings;
    expect(main.callsTo('variations.make')).toEqual([
      { source: { kind: 'image', id: best.imageId }, prompt: 'a blue square', strength: 0.25, keep: 'cells', settings: sampling, seed: null },
    ]);
    expect(state().generation.job).toMatchObject({ kind: 'variation', prompt: 'a blue square', candidateCount: 2 });
    await until(() => state().generation.job?.status === 'done');
    const made = state().generation.job!.candidates[0]!;
    expect(made.parameters).toMatchObject({ kind: 'variation', sourceId: best.imageId, variation: { strength: 0.25, keep: 'cells' } });

    // "Use these settings" on the variation puts its strength and mode back into the controls.
    state().variations.setStrength(0.9);
    state().variations.setKeep('rows');
    await until(() => state().gallery.findItem(made.imageId) !== undefined);
    await state().gallery.useSettings(state().gallery.findItem(made.imageId)!);
    expect(state().variations).toMatchObject({ strength: 0.25, keep: 'cells' });
    expect(state().prompt.text).toBe('a blue square');
    expect(lastNotice(state())).toMatch(/Variations is set to strength 0\.25, keep random cells/);
  });

  it('asks for a prompt instead of starting with an empty one, and reports a source that is gone', async () => {
    const { state, main } = await studioWithMain({ seed: (dataDir) => void addImages(dataDir, ['a green cross']) });
    const item = state().gallery.itemAt(0)!;
    state().variations.open(item);
    state().variations.setPrompt('   ');
    await state().variations.make();
    expect(main.callsTo('variations.make')).toHaveLength(0);
    expect(lastNotice(state())).toMatch(/Write a prompt for the variations/);
    expect(state().variations.source).not.toBeNull();

    state().variations.open({ ...item, id: 'gone-image' });
    await state().variations.make();
    expect(state().generation.job).toMatchObject({ kind: 'variation', status: 'failed' });
    expect(lastNotice(state())).toMatch(/^Could not make variations: .*gone-image/);
  });
});
