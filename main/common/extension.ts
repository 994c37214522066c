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

/** An image's canvas in token cells: what its extension made, else one window of the grid. */
export function canvasCells(extension: ExtensionParameters | undefined, grid: number): { columns: number; rows: number } {
  return extension ? { columns: extension.columns, rows: extension.rows } : { columns: grid, rows: grid };
}

interface Cell {
  column: number;
  row: number;
}

/** Where everything lies on the grown canvas, in cells. */
export interface ExtensionLayout {
  columns: number;
  rows: number;
  /** The source's top-left cell. */
  source: Cell;
  /** The generated window's top-left cell; it holds the whole new strip. */
  window: Cell;
}

const axisWord = (side: ExtendSide) => (growsRows(side) ? 'rows' : 'columns');

/**
 * The grown canvas for `amount` on a canvas of `columns × rows` cells, or why not, in one line:
 * a side it does not know, an amount outside 1..grid, a source that is not one window across
 * the growing side, or a canvas past MAX_CANVAS_WINDOWS windows.
 */
export function extensionLayout(canvas: { columns: number; rows: number }, { side, by }: ExtendAmount, grid: number): ExtensionLayout | { refusal: string } {
  if (!EXTEND_SIDES.includes(side)) return { refusal: `Cannot extend to "${String(side)}": the side is one of ${EXTEND_SIDES.join(', ')}.` };
  const unit = axisWord(side);
  if (!Number.isInteger(by) || by < 1 || by > grid) {
    return { refusal: `Cannot extend by ${by}: the amount is a whole number of token ${unit} from 1 to ${grid} (the model's grid).` };
  }
  const rows = growsRows(side);
  const across = rows ? canvas.columns : canvas.rows;
  if (across !== grid) {
    const [extent, along] = rows ? ['wide', 'columns'] : ['tall', 'rows'];
    return { refusal: `Cannot extend this image to the ${side}: it is ${across} token ${along} ${extent}, and it grows ${side} only while it is ${grid} ${along} ${extent} (one window of the model's grid).` };
  }
  const grown = (rows ? canvas.rows : canvas.columns) + by;
  const most = MAX_CANVAS_WINDOWS * grid;
  if (grown > most) {
    return { refusal: `Cannot extend by ${by}: the image would be ${grown} token ${unit} long, and the most is ${most} (${MAX_CANVAS_WINDOWS} windows of the model's grid).` };
  }
  const columns = rows ? canvas.columns : grown;
  const height = rows ? grown : canvas.rows;
  const origin = { column: 0, row: 0 };
  switch (side) {
    case 'right':
      return { columns, rows: height, source: origin, window: { column: columns - grid, row: 0 } };
    case 'bottom':
      return { columns, rows: height, source: origin, window: { column: 0, row: height - grid } };
    case 'left':
      return { columns, rows: height, source: { column: by, row: 0 }, window: origin };
    case 'top':
      return { columns, rows: height, source: { column: 0, row: by }, window: origin };
  }
}

/** The most cells a canvas can grow by on `side` in one step (up to the grid); 0 when it cannot grow there. */
export function mostGrowth(canvas: { columns: number; rows: number }, side: ExtendSide, grid: number): number {
  for (let by = grid; by > 0; by--) if (!('refusal' in extensionLayout(canvas, { side, by }, grid))) return by;
  return 0;
}
