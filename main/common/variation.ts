/**
 * Variations ("more like this"): how much of the source to resample and which of its token
 * cells to keep. The one declaration the engine, the IPC contract, the PNG metadata, the
 * command line and the UI import.
 */
import { z } from 'zod';

/** Which cells are kept: whole rows from the top (raster order's own prefix), or a seeded random subset. */
export const VariationKeep = z.enum(['rows', 'cells']);
export type VariationKeep = z.infer<typeof VariationKeep>;

/** The UI's words for each keep mode. */
export const VARIATION_KEEP_LABELS: Readonly<Record<VariationKeep, string>> = {
  rows: 'Keep rows from the top',
  cells: 'Keep random cells',
};

export const VariationParameters = z.strictObject({
  /** 0 gives the source back exactly; 1 resamples every cell (a fresh image). */
  strength: z.number().min(0, 'strength is at least 0').max(1, 'strength is at most 1'),
  keep: VariationKeep,
});
export type VariationParameters = z.infer<typeof VariationParameters>;

/** What the variation controls start at. */
export const DEFAULT_VARIATION: VariationParameters = { strength: 0.5, keep: 'rows' };

/**
 * How many whole rows (`rows`) or cells (`cells`) of a grid × grid source a variation keeps:
 * round((1 − strength) · grid) rows, or round((1 − strength) · grid²) cells.
 */
export function keptCount(grid: number, { strength, keep }: VariationParameters): number {
  return Math.round((1 - strength) * (keep === 'rows' ? grid : grid * grid));
}
