/** The extend view's store against the real studio in-process: open, choose, extend, and what it refuses. */
import { describe, expect, it } from 'vitest';
import { addImages, lastNotice, studioWithGeneratedImage, studioWithMain, until } from './helpers';

describe('extend store', () => {
  it('opens on a gallery image with its prompt, sends the side and amount chosen, and shows the larger result linked to its source', async () => {
    const { state, main, best } = await studioWithGeneratedImage('a red circle');
    await until(() => state().gallery.findItem(best.imageId) !== undefined);

    state().extending.open(state().gallery.findItem(best.imageId)!);
    expect(state().workspace.view).toBe('extend');
    // Opening puts away the finished run, so the view shows this image's preview, not old candidates.
    expect(state().generation.job).toBeNull();
    expect(state().extending).toMatchObject({ source: { id: best.imageId }, side: 'right', by: 3 });
    expect(state().prompt.text).toBe('a red circle');
    state().extending.setSide('top');
    state().extending.setBy(2);
    state().prompt.setText('a blue square at the top');
    await state().extending.extend();
    const { sampling } = state().settings.state!.settings;
    expect(main.callsTo('edit.extend')).toEqual([{ source: { kind: 'image', id: best.imageId }, prompt: 'a blue square at the top', side: 'top', by: 2, settings: sampling, seed: null }]);
    await until(() => state().generation.job?.status === 'done');
    expect(state().generation.job!.candidates[0]!.parameters).toMatchObject({ kind: 'extend', sourceId: best.imageId, extension: { side: 'top', by: 2, columns: 8, rows: 10 } });

    // The extension, 10 rows tall, grows only up or down, by at most the grid.
    const made = state().generation.job!.candidates[0]!;
    await until(() => state().gallery.findItem(made.imageId) !== undefined);
    state().extending.open(state().gallery.findItem(made.imageId)!);
    expect(state().extending).toMatchObject({ side: 'top', by: 3 });
    expect(['top', 'bottom', 'left', 'right'].map((side) => state().extending.most(side as 'top'))).toEqual([8, 8, 0, 0]);
    state().extending.setSide('left');
    expect(state().extending.side).toBe('top');
  });

  it('asks for a prompt before extending, and the editor opens its own gallery image in the extend view', async () => {
    const { state, main } = await studioWithMain({ seed: (dataDir) => void addImages(dataDir, ['a green cross']) });
    const item = state().gallery.itemAt(0)!;
    state().extending.open(item);
    state().prompt.setText('   ');
    await state().extending.extend();
    expect(main.callsTo('edit.extend')).toHaveLength(0);
    expect(lastNotice(state())).toMatch(/Write a prompt for the new strip first/);

    state().extending.close();
    state().editor.openImage(item);
    await state().extending.openEditorSource();
    expect(state().workspace.view).toBe('extend');
    expect(state().extending.source?.id).toBe(item.id);
  });
});
