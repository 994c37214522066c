import { describe, expect, it } from 'vitest';
import type { ImageParameters } from '../../../main/common/contract';
import { Library } from '../../../main/library/index';
import { parametersIn } from '../../../main/studio/imports';
import { lastNotice, parametersFor, pngFor, studioWithMain, until } from './helpers';

/** A run of two (best and #2) and a variation made from its best image; returns their ids. */
function seedLineage(dataDir: string): { best: string; second: string; variation: string } {
  const library = Library.open({ dataDir, readParameters: parametersIn });
  try {
    const image = (parameters: ImageParameters, runId: string, createdAt: number) => ({ png: pngFor(parameters), parameters, provider: 'cpu', runId, createdAt });
    const now = Date.now();
    const [best, second] = library.images.add([
      image({ ...parametersFor('a red circle', 1), rank: 0 }, 'run-1', now - 2000),
      image({ ...parametersFor('a red circle', 1), rank: 1 }, 'run-1', now - 2000),
    ]);
    const [variation] = library.images.add([
      image({ ...parametersFor('a red circle', 2), kind: 'variation', rank: 0, sourceId: best!.id, variation: { strength: 0.5, keep: 'rows' } }, 'run-2', now),
    ]);
    return { best: best!.id, second: second!.id, variation: variation!.id };
  } finally {
    library.close();
  }
}

describe('inspector store', () => {
  it('opens an image with its run and lineage, follows a link both ways and comes back', async () => {
    let ids = { best: '', second: '', variation: '' };
    const { state } = await studioWithMain({ seed: (dataDir) => void (ids = seedLineage(dataDir)) });
    await state().inspector.open(ids.best);
    let details = state().inspector.details!;
    expect(details).toMatchObject({ item: { id: ids.best }, runSize: 2, source: null, sourceGone: false, timings: null });
    expect(details.runMates.map((mate) => mate.id)).toEqual([ids.second]);
    expect(details.derived.map((link) => link.item.id)).toEqual([ids.variation]);

    await state().inspector.follow(ids.variation);
    details = state().inspector.details!;
    expect(details.item.parameters).toMatchObject({ kind: 'variation', sourceId: ids.best });
    expect(details.source).toMatchObject({ item: { id: ids.best }, trashed: false });
    expect(state().inspector.trail).toEqual([ids.best]);

    state().inspector.compare(details.source!.item);
    state().inspector.setCompareMode('wipe');
    expect(state().inspector.compareWith?.id).toBe(ids.best);

    await state().inspector.back();
    expect(state().inspector.details?.item.id).toBe(ids.best);
    expect(state().inspector.trail).toEqual([]);
    // What it is compared with belongs to the image it was chosen for.
    expect(state().inspector.compareWith).toBeNull();

    state().inspector.close();
    expect(state().inspector.details).toBeNull();
  });

  it('follows the library: an open image moved to the trash says so; an unknown image gets a notice', async () => {
    let ids = { best: '', second: '', variation: '' };
    const { state } = await studioWithMain({ seed: (dataDir) => void (ids = seedLineage(dataDir)) });
    await state().inspector.open(ids.variation);
    await state().gallery.trash([ids.variation]);
    await until(() => state().inspector.details?.trashed === true);
    await state().inspector.open('0000000aa-0000000000');
    expect(lastNotice(state())).toMatch(/^Could not open the image in the inspector: No image/);
  });
});
