import { describe, expect, it } from 'vitest';
import { addImages, exportedFiles, lastNotice, studioWithMain } from './helpers';

const options = { format: 'png', scale: 8, resample: 'nearest', nameTemplate: '{prompt}', quality: 92 } as const;

describe('export store', () => {
  it('downloads a single image in the browser and remembers the options', async () => {
    let ids: string[] = [];
    const { state, main, downloads } = await studioWithMain({ seed: (dataDir) => void (ids = addImages(dataDir, ['a red circle'])) });
    state().exporting.openDialog(ids);
    await state().exporting.run(options);
    expect(main.callsTo('export.image')).toEqual([{ id: ids[0], options }]);
    expect(downloads.map((file) => file.fileName)).toEqual(['a red circle.png']);
    expect(state().exporting.dialogIds).toBeNull();
    expect(state().settings.state?.settings.export.scale).toBe(8);
  });

  it('exports several images at once and says where', async () => {
    let ids: string[] = [];
    const { state, main } = await studioWithMain({ host: 'electron', seed: (dataDir) => void (ids = addImages(dataDir, ['x', 'y'])) });
    state().exporting.openDialog(ids);
    await state().exporting.run(options);
    expect(main.callsTo('export.images')).toEqual([{ ids, options }]);
    expect(exportedFiles(main).sort()).toEqual(['x.png', 'y.png']);
    expect(lastNotice(state())).toBe('Exported 2 images.');
  });

  it('asks for a selection first', async () => {
    const { state } = await studioWithMain();
    state().exporting.openDialog([]);
    expect(state().exporting.dialogIds).toBeNull();
    expect(lastNotice(state())).toMatch(/Select the images/);
  });
});
