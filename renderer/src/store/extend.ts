/**
 * Extending the canvas: the gallery image being grown, the side and the amount (whole token
 * rows or columns), and starting the run with the prompt box's text for the new strip.
 */
import { canvasCells, EXTEND_SIDES, mostGrowth, type ExtendSide } from '../../../main/common/extension';
import type { GalleryItem } from '../api';
import { FALLBACK_MODEL, nextRequestSampling } from './settings';
import type { SliceCreator } from './slice';

export interface ExtendSlice {
  source: GalleryItem | null;
  side: ExtendSide;
  /** Token rows (top, bottom) or columns (left, right) to add. */
  by: number;
  open(item: GalleryItem): void;
  /** Opens the gallery image the editor holds (the editor's Extend). */
  openEditorSource(): Promise<void>;
  close(): void;
  /** Chooses a side the image can grow on, keeping the amount within what it allows. */
  setSide(side: ExtendSide): void;
  setBy(by: number): void;
  /** The source's canvas in cells, and the model's grid and cell size in pixels. */
  shape(): { columns: number; rows: number; grid: number; cellSize: number };
  /** The most the source can grow by on `side` now (0: not on that side). */
  most(side: ExtendSide): number;
  extend(): Promise<void>;
}

export const createExtendSlice: SliceCreator<'extending'> = ({ set, own, get, deps }) => ({
  source: null,
  side: 'right',
  by: 1,
  shape: () => {
    const { grid, resolution } = get().settings.state?.runtime.model ?? FALLBACK_MODEL;
    return { ...canvasCells(own().source?.parameters.extension, grid), grid, cellSize: resolution / grid };
  },
  most: (side) => {
    const { grid, ...canvas } = own().shape();
    return mostGrowth(canvas, side, grid);
  },
  open: (item) => {
    // A run for another image would put its candidates beside this one.
    if (get().generation.isBusy()) void get().generation.cancel();
    else if (get().generation.job) get().generation.close();
    set({ source: item });
    const growable = (candidate: ExtendSide) => own().most(candidate) > 0;
    const side = growable(own().side) ? own().side : EXTEND_SIDES.find(growable);
    if (!side) {
      set({ source: null });
      get().workspace.notify('info', 'This image is as large as the studio extends an image: it cannot grow on any side.');
      return;
    }
    const { grid } = own().shape();
    // A third of a window: room for one object of the world's 3 × 3 layout.
    set({ side, by: Math.min(own().most(side), Math.ceil(grid / 3)) });
    get().prompt.setText(item.parameters.prompt);
    get().workspace.showView('extend');
  },
  openEditorSource: async () => {
    const source = get().editor.source;
    if (source?.kind !== 'image') return;
    try {
      own().open(await deps.api.gallery.get({ id: source.id }));
    } catch (error) {
      get().workspace.reportError('Could not open the image to extend', error);
    }
  },
  close: () => {
    set({ source: null });
    get().workspace.showView('studio');
  },
  setSide: (side) => {
    const most = own().most(side);
    // A side the image cannot grow on stays unchosen (its control is disabled too).
    if (most > 0) set({ side, by: Math.min(own().by, most) });
  },
  setBy: (by) => set({ by }),
  extend: async () => {
    const { source, side, by } = own();
    const workspace = get().workspace;
    if (!source) return;
    const prompt = get().prompt.text.trim();
    if (!prompt) {
      workspace.notify('info', 'Write a prompt for the new strip first: what should appear there.');
      return;
    }
    const request = nextRequestSampling(get().settings.state);
    if (!request) return;
    await get().generation.startJob('extend', prompt, request.settings.candidates, () =>
      deps.api.edit.extend({ source: { kind: 'image', id: source.id }, prompt, side, by, ...get().prompt.negativeRequest(), ...request }),
    );
  },
});
