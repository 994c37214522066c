import type { GalleryItem, ImageDetails } from '../api';
import type { SliceCreator } from './slice';

export type CompareMode = 'side-by-side' | 'wipe';

export interface InspectorSlice {
  /** The image open in the inspector; null when it is closed. */
  details: ImageDetails | null;
  /** Images opened before this one by following its lineage or its run, for Back. */
  trail: string[];
  /** The image shown beside it (or wiped over it); null shows it alone. */
  compareWith: GalleryItem | null;
  compareMode: CompareMode;
  /** Opens an image (from the gallery: a fresh trail). */
  open(id: string): Promise<void>;
  /** Follows a link (source, something made from it, a run mate), remembering where it came from. */
  follow(id: string): Promise<void>;
  back(): Promise<void>;
  close(): void;
  compare(item: GalleryItem | null): void;
  setCompareMode(mode: CompareMode): void;
  /** Reloads what is open after the library changed (trashed, favourited, new derived images). */
  refresh(): Promise<void>;
}

export const createInspectorSlice: SliceCreator<'inspector'> = ({ set, own, get, deps }) => {
  const load = async (id: string, trail: string[]) => {
    try {
      const details = await deps.api.gallery.details({ id });
      set({ details, trail, compareWith: null });
    } catch (error) {
      get().workspace.reportError('Could not open the image in the inspector', error);
    }
  };
  return {
    details: null,
    trail: [],
    compareWith: null,
    compareMode: 'side-by-side',
    open: (id) => load(id, []),
    follow: async (id) => {
      const current = own().details?.item.id;
      await load(id, current ? [...own().trail, current] : own().trail);
    },
    back: async () => {
      const trail = own().trail;
      const previous = trail.at(-1);
      if (previous !== undefined) await load(previous, trail.slice(0, -1));
    },
    close: () => set({ details: null, trail: [], compareWith: null }),
    compare: (compareWith) => set({ compareWith }),
    setCompareMode: (compareMode) => set({ compareMode }),
    refresh: async () => {
      const open = own().details;
      if (!open) return;
      const details = await deps.api.gallery.details({ id: open.item.id }).catch(() => null);
      if (!details) {
        set({ details: null, trail: [], compareWith: null });
        get().workspace.notify('info', 'The image in the inspector is no longer in the library.');
        return;
      }
      set({ details });
    },
  };
};
