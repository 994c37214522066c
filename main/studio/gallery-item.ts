/** A library image as the renderer sees it: its row plus the URL its host serves it at. */
import type { GalleryItem } from '../common/contract';
import type { LibraryImage } from '../library/index';
import type { Host } from './host';

export const toGalleryItem = (image: LibraryImage, host: Pick<Host, 'imageUrl'>): GalleryItem => ({
  ...image,
  url: host.imageUrl(image.id),
});
