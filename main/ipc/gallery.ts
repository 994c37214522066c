/** The gallery: paging, search, favourites, trash with undo, reveal, copy and drag-out. */
import fs from 'node:fs';
import type { GalleryItem } from '../common/contract';
import { readPngText } from '../engine/index';
import type { LibraryImage } from '../library/index';
import { toGalleryItem } from '../studio/gallery-item';
import type { DomainHandlers } from './dispatch';
import { notFound, UserError } from '../studio/errors';
import type { Services } from '../studio/services';

const PARAMETERS_ONLY = new Set(['parameters']);

export function galleryHandlers({ library, host, emit, boards }: Services): DomainHandlers<'gallery'> {
  const { images } = library;
  const item = (image: LibraryImage | undefined, id: string): GalleryItem => {
    if (!image) throw notFound('image', id);
    return toGalleryItem(image, host);
  };
  const fileOf = (id: string): string => {
    if (!images.get(id)) throw notFound('image', id);
    const file = images.filePath(id);
    if (!file) throw new UserError('The image file is missing from the library folder.');
    return file;
  };

  return {
    list(query) {
      if (query.boardId !== undefined) boards.board(query.boardId);
      const page = images.list(query);
      return { items: page.items.map((image) => toGalleryItem(image, host)), total: page.total, offset: query.offset };
    },
    get({ id }) {
      const found = item(images.get(id), id);
      if (images.inTrash(id)) throw new UserError('That image is in the trash: restore it to use it.');
      return found;
    },
    details({ id }) {
      const record = images.record(id);
      if (!record) throw notFound('image', id);
      const linked = ({ image, trashed }: { image: LibraryImage; trashed: boolean }) => ({ item: toGalleryItem(image, host), trashed });
      return {
        item: toGalleryItem(record.image, host),
        trashed: record.trashed,
        runSize: record.runSize,
        timings: record.timings,
        runMates: record.runMates.map((mate) => toGalleryItem(mate, host)),
        source: record.source ? linked(record.source) : null,
        sourceGone: record.sourceGone,
        derived: record.derived.map(linked),
      };
    },
    setFavourite({ id, favourite }) {
      const updated = item(images.setFavourite(id, favourite), id);
      emit('gallery', 'changed', { reason: 'updated', ids: [id] });
      return updated;
    },
    trash({ ids }) {
      const trashed = images.trash(ids);
      if (trashed.length) emit('gallery', 'changed', { reason: 'trashed', ids: trashed });
      return { ids: trashed };
    },
    restore({ ids }) {
      const restored = images.restore(ids);
      if (restored.length) emit('gallery', 'changed', { reason: 'restored', ids: restored });
      return { ids: restored };
    },
    async reveal({ id }) {
      const file = fileOf(id);
      return { revealed: await host.reveal(file), path: file };
    },
    async copy({ id }) {
      const file = fileOf(id);
      // The text the file itself carries, as other tools read it.
      const parametersText = readPngText(fs.readFileSync(file), PARAMETERS_ONLY).parameters ?? images.get(id)!.parameters.prompt;
      return { copied: await host.copyImage(file, parametersText), parametersText };
    },
    models: () => ({ models: images.models() }),
    startDrag: ({ id }, caller) => ({ started: caller.startDrag(fileOf(id)) }),
  };
}
