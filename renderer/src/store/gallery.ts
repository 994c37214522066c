import type { GalleryItem, GalleryModels, GalleryQuery } from '../api';
import { VARIATION_KEEP_LABELS } from '../../../main/common/variation';
import type { SliceCreator } from './slice';

export type SelectMode = 'only' | 'toggle' | 'range';

export interface GallerySlice {
  search: string;
  favouritesOnly: boolean;
  /** The board shown; null shows all images. */
  boardId: string | null;
  /** Only this model's images; null for every model's. */
  modelId: string | null;
  /** The date range as the date fields hold it (`YYYY-MM-DD`, local days, both inclusive); '' leaves that end open. */
  fromDate: string;
  toDate: string;
  /** The models the library's images were made by, for the model filter. */
  models: GalleryModels['models'];
  /** Every image matching the query; the grid is sized by it. */
  total: number;
  /** Loaded pages of `PAGE_SIZE` items by page number: a 10,000-image library loads as it scrolls. */
  pages: Record<number, GalleryItem[]>;
  /** The rows on screen, so that refreshes reload only what is seen. */
  visibleRange: { start: number; end: number };
  selected: string[];
  /** The item a Shift-click range starts from. */
  anchorIndex: number | null;
  /** What the last delete moved to the trash, for Undo. */
  lastTrashed: string[] | null;
  itemAt(index: number): GalleryItem | undefined;
  /** A loaded item by id; selected items are always loaded, having been clicked. */
  findItem(id: string): GalleryItem | undefined;
  setVisibleRange(start: number, end: number): void;
  refresh(): Promise<void>;
  setSearch(search: string): void;
  setFavouritesOnly(favouritesOnly: boolean): Promise<void>;
  showBoard(boardId: string | null): Promise<void>;
  setModelFilter(modelId: string | null): Promise<void>;
  setDateRange(fromDate: string, toDate: string): Promise<void>;
  loadModels(): Promise<void>;
  /** Whether anything but the board narrows what is shown. */
  isFiltered(): boolean;
  select(index: number, mode: SelectMode): void;
  clearSelection(): void;
  setFavourite(item: GalleryItem, favourite: boolean): Promise<void>;
  /** Moves images to the library's trash and offers Undo. */
  trash(ids: string[]): Promise<void>;
  /** Restores images from the trash: the last delete's unless others are named. */
  undoTrash(ids?: string[]): Promise<void>;
  copyPrompt(item: GalleryItem): Promise<void>;
  /** The image, and its parameters as text where the clipboard takes both, for pasting into other apps. */
  copyImage(item: GalleryItem): Promise<void>;
  /** Prompt, settings and seed back into the prompt box, ready to make it again. */
  useSettings(item: GalleryItem): Promise<void>;
  reveal(item: GalleryItem): Promise<void>;
  startDrag(item: GalleryItem): Promise<void>;
}

export const PAGE_SIZE = 200;
const SEARCH_DELAY_MS = 200;

export const createGallerySlice: SliceCreator<'gallery'> = ({ set, own, get, deps }) => {
  // Bumped whenever the query changes, so that answers to an older query are dropped.
  let queryVersion = 0;
  const loadingPages = new Set<number>();
  let pendingSearch: unknown = null;
  // The notice offering Undo goes once its delete is undone.
  const undoNotices = new Map<string, number>();

  const pagesInRange = (start: number, end: number): number[] => {
    const first = Math.floor(Math.max(0, start) / PAGE_SIZE);
    const last = Math.floor(Math.max(0, end) / PAGE_SIZE);
    return Array.from({ length: last - first + 1 }, (_, offset) => first + offset);
  };
  const fetchPage = async (page: number) => {
    const { search, favouritesOnly, boardId, modelId, fromDate, toDate } = own();
    const query: NonNullable<GalleryQuery> = { offset: page * PAGE_SIZE, limit: PAGE_SIZE, search, favouritesOnly };
    if (boardId !== null) query.boardId = boardId;
    if (modelId !== null) query.modelId = modelId;
    if (fromDate) query.from = startOfDay(fromDate);
    if (toDate) query.to = startOfDay(toDate, 1) - 1;
    return deps.api.gallery.list(query);
  };
  /** A new query: the selection belonged to the old one. */
  const requery = async (patch: Partial<GallerySlice>) => {
    set({ ...patch, selected: [], anchorIndex: null });
    await own().refresh();
  };
  const loadPage = async (page: number) => {
    if (loadingPages.has(page)) return;
    loadingPages.add(page);
    const version = queryVersion;
    try {
      const result = await fetchPage(page);
      if (version === queryVersion) set({ total: result.total, pages: { ...own().pages, [page]: result.items } });
    } catch (error) {
      get().workspace.reportError('Could not load the gallery', error);
    } finally {
      loadingPages.delete(page);
    }
  };
  const replaceItem = (updated: GalleryItem) => {
    const pages = Object.fromEntries(
      Object.entries(own().pages).map(([page, items]) => [page, items.map((item) => (item.id === updated.id ? updated : item))]),
    );
    set({ pages });
  };

  return {
    search: '',
    favouritesOnly: false,
    boardId: null,
    modelId: null,
    fromDate: '',
    toDate: '',
    models: [],
    total: 0,
    pages: {},
    visibleRange: { start: 0, end: PAGE_SIZE - 1 },
    selected: [],
    anchorIndex: null,
    lastTrashed: null,
    itemAt: (index) => own().pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE],
    findItem: (id) => {
      for (const items of Object.values(own().pages)) {
        const found = items.find((item) => item.id === id);
        if (found) return found;
      }
      return undefined;
    },
    setVisibleRange: (start, end) => {
      set({ visibleRange: { start, end } });
      for (const page of pagesInRange(start, end)) {
        if (!own().pages[page]) void loadPage(page);
      }
    },
    refresh: async () => {
      // Reloads the pages on screen in one swap, so the grid never blinks empty.
      queryVersion++;
      const version = queryVersion;
      const { start, end } = own().visibleRange;
      try {
        const pages = pagesInRange(start, end);
        const results = await Promise.all(pages.map(fetchPage));
        if (version !== queryVersion) return;
        const loaded = Object.fromEntries(pages.map((page, i) => [page, results[i]!.items]));
        const total = results[0]?.total ?? 0;
        const ids = new Set(results.flatMap((result) => result.items.map((item) => item.id)));
        set({ total, pages: loaded, selected: own().selected.filter((id) => ids.has(id)) });
        // The list may have shrunk below the rows on screen: the grid asks again as it re-renders.
      } catch (error) {
        get().workspace.reportError('Could not load the gallery', error);
      }
    },
    setSearch: (search) => {
      set({ search });
      if (pendingSearch !== null) deps.platform.clearTimeout(pendingSearch);
      pendingSearch = deps.platform.setTimeout(() => {
        pendingSearch = null;
        void own().refresh();
      }, SEARCH_DELAY_MS);
    },
    setFavouritesOnly: (favouritesOnly) => requery({ favouritesOnly }),
    showBoard: (boardId) => requery({ boardId }),
    setModelFilter: (modelId) => requery({ modelId }),
    setDateRange: (fromDate, toDate) => requery({ fromDate, toDate }),
    loadModels: async () => {
      try {
        set({ models: (await deps.api.gallery.models()).models });
      } catch (error) {
        get().workspace.reportError('Could not list the models', error);
      }
    },
    isFiltered: () => {
      const { search, favouritesOnly, modelId, fromDate, toDate } = own();
      return search.trim() !== '' || favouritesOnly || modelId !== null || fromDate !== '' || toDate !== '';
    },
    select: (index, mode) => {
      const item = own().itemAt(index);
      if (!item) return;
      const { selected, anchorIndex } = own();
      if (mode === 'toggle') {
        const isSelected = selected.includes(item.id);
        set({ selected: isSelected ? selected.filter((id) => id !== item.id) : [...selected, item.id], anchorIndex: index });
      } else if (mode === 'range' && anchorIndex !== null) {
        const [from, to] = anchorIndex < index ? [anchorIndex, index] : [index, anchorIndex];
        const ids = [];
        for (let i = from; i <= to; i++) {
          const inRange = own().itemAt(i);
          if (inRange) ids.push(inRange.id);
        }
        set({ selected: ids });
      } else {
        set({ selected: [item.id], anchorIndex: index });
      }
    },
    clearSelection: () => set({ selected: [], anchorIndex: null }),
    setFavourite: async (item, favourite) => {
      replaceItem({ ...item, favourite });
      try {
        replaceItem(await deps.api.gallery.setFavourite({ id: item.id, favourite }));
        if (own().favouritesOnly && !favourite) await own().refresh();
      } catch (error) {
        replaceItem(item);
        get().workspace.reportError('Could not change the favourite', error);
      }
    },
    trash: async (ids) => {
      if (ids.length === 0) return;
      try {
        const { ids: trashed } = await deps.api.gallery.trash({ ids });
        set({ lastTrashed: trashed, selected: own().selected.filter((id) => !trashed.includes(id)) });
        const what = trashed.length === 1 ? 'image' : `${trashed.length} images`;
        const noticeId = get().workspace.notify('info', `Moved ${what} to the trash.`, {
          label: 'Undo',
          run: () => own().undoTrash(trashed),
        });
        undoNotices.set(trashed.join(), noticeId);
        await own().refresh();
      } catch (error) {
        get().workspace.reportError('Could not delete', error);
      }
    },
    undoTrash: async (ids = own().lastTrashed ?? []) => {
      if (ids.length === 0) return;
      try {
        await deps.api.gallery.restore({ ids });
        if (own().lastTrashed?.join() === ids.join()) set({ lastTrashed: null });
        set({ selected: ids });
        const workspace = get().workspace;
        const noticeId = undoNotices.get(ids.join());
        undoNotices.delete(ids.join());
        if (noticeId !== undefined) workspace.dismiss(noticeId);
        workspace.notify('success', ids.length === 1 ? 'Image restored.' : `${ids.length} images restored.`);
        await own().refresh();
      } catch (error) {
        get().workspace.reportError('Could not restore', error);
      }
    },
    copyPrompt: async (item) => {
      try {
        await deps.platform.copyText(item.parameters.prompt);
        get().workspace.notify('success', 'Prompt copied.');
      } catch (error) {
        get().workspace.reportError('Could not copy the prompt', error);
      }
    },
    copyImage: async (item) => {
      try {
        const { copied, parametersText } = await deps.api.gallery.copy({ id: item.id });
        if (!copied) await deps.platform.copyImage(item.url, parametersText);
        get().workspace.notify('success', 'Image copied, with its parameters.');
      } catch (error) {
        get().workspace.reportError('Could not copy the image', error);
      }
    },
    useSettings: async (item) => {
      get().workspace.showView('studio');
      await get().prompt.useParameters(item.parameters);
      if (item.parameters.variation) get().variations.useParameters(item.parameters.variation);
      get().workspace.notify('info', reproductionNote(item));
    },
    reveal: async (item) => {
      try {
        const result = await deps.api.gallery.reveal({ id: item.id });
        if (!result.revealed) get().workspace.notify('info', `The file is ${result.path}`);
      } catch (error) {
        get().workspace.reportError('Could not show the file', error);
      }
    },
    startDrag: async (item) => {
      try {
        await deps.api.gallery.startDrag({ id: item.id });
      } catch (error) {
        get().workspace.reportError('Could not drag the image out', error);
      }
    },
  };
};

/** Local midnight of a `YYYY-MM-DD` day (`days` later), as a timestamp. */
function startOfDay(day: string, days = 0): number {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year!, month! - 1, date! + days).getTime();
}

/** What Generate with an image's settings really gives: its whole run again, or for an edit, not this image. */
export function reproductionNote({ parameters }: GalleryItem): string {
  const { seed } = parameters;
  const ready = `Prompt, settings and seed ${seed} are ready`;
  if (parameters.kind === 'edit') return `${ready}, but this image is an edit: Generate makes a new image from its prompt, not this one.`;
  if (parameters.kind === 'extend') return `${ready}, but this image is an extension: Generate makes a new square image from its prompt, not this one.`;
  if (parameters.variation) {
    const { strength, keep } = parameters.variation;
    return `${ready}, and Variations is set to strength ${strength}, ${VARIATION_KEEP_LABELS[keep].toLowerCase()}: Variations of its source with them makes this run again; Generate makes a new image from its prompt.`;
  }
  const rank = parameters.rank ?? 0;
  const count = parameters.settings.candidates;
  if (count === 1) return `${ready}: Generate makes this image again.`;
  const place = rank === 0 ? 'the best' : `candidate #${rank + 1}`;
  return `${ready}: Generate makes this run of ${count} again, where this image is ${place}.`;
}
