/**
 * Extending the canvas (outpainting): which side grows and by how many token rows or
 * columns. The one declaration the engine, the IPC contract, the PNG metadata, the command
 * line and the UI import.
 */
import { z } from 'zod';

export const EXTEND_SIDES = ['top', 'bottom', 'left', 'right'] as const;
export const ExtendSide = z.enum(EXTEND_SIDES);
export type ExtendSide = z.infer<typeof ExtendSide>;

/** The UI's word for each side. */
export const EXTEND_SIDE_LABELS: Readonly<Record<ExtendSide, string>> = { top: 'Top', bottom: 'Bottom', left: 'Left', right: 'Right' };

/** Top and bottom add token rows; left and right add columns. */
export const growsRows = (side: ExtendSide): boolean => side === 'top' || side === 'bottom';

/** A canvas may grow to at most this many windows of the model's grid on a side. */
export const MAX_CANVAS_WINDOWS = 4;

/** What to extend by: the amount is whole cells, 1 up to the model's grid (checked by the engine, which knows the grid). */
export const ExtendAmount = z.strictObject({
  side: ExtendSide,
  by: z.number().int('the amount is a whole number of token rows or columns').min(1, 'extend by at least 1 token row or column'),
});
export type ExtendAmount = z.infer<typeof ExtendAmount>;

/** What an extended image records: the step that made it, and the canvas it made, in token cells. */
export const ExtensionParameters = ExtendAmount.extend({
  columns: z.number().int().positive(),
  rows: z.number().int().positive(),
});
export type ExtensionParameters = z.infer<typeof ExtensionParameters>;
