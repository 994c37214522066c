import { describe, expect, it } from 'vitest';
import { galleryItem } from './fake-api';
import { lastNotice, studioWithFakeMain } from './helpers';

const options = { format: 'png', scale: 8, resample: 'nearest', nameTemplate: '{prompt}', quality: 92 } as const;

describe('export store', () => {
  it('downloads a single image in the browser and remembers the options', async () => {
    const { state, main, downloads } = await studioWithFakeMain();
    state().exporting.openDialog(['img1']);
    await state().exporting.run(options);
    expect(main.callsTo('export.image')).toEqual([{ id: 'img1', options }]);
    expect(downloads.map((file) => file.fileName)).toEqual(['img1.png']);
    expect(state().exporting.dialogIds).toBeNull();
    expect(state().settings.state?.settings.export.scale).toBe(8);
  });

  it('exports several images at once and says where', async () => {
    const { state, main } = await studioWithFakeMain((main) => {
      main.items = [galleryItem('a', 'x', 1), galleryItem('b', 'y', 2)];
    });
    state().exporting.openDialog(['a', 'b']);
    await state().exporting.run(options);
    expect(main.callsTo('export.images')).toEqual([{ ids: ['a', 'b'], options }]);
    expect(lastNotice(state())).toBe('Exported 2 images.');
  });

  it('asks for a selection first', async () => {
    const { state } = await studioWithFakeMain();
    state().exporting.openDialog([]);
    expect(state().exporting.dialogIds).toBeNull();
    expect(lastNotice(state())).toMatch(/Select the images/);
  });
});
