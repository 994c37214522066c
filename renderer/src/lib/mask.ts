/**
 * The editor's mask, kept as a list of actions so that every stroke, cell, clear and invert
 * can be undone. It is painted at the model's own pixel resolution: one mask pixel is one
 * image pixel, which keeps the overlay honest about what the engine will see. The engine
 * regenerates every token cell that holds a masked pixel; invert and cell marking work on
 * whole cells so that they say exactly which cells change.
 */
export type MaskTool = 'brush' | 'eraser';

export interface MaskPoint {
  x: number;
  y: number;
}

export type MaskAction =
  | { kind: 'stroke'; tool: MaskTool; size: number; points: MaskPoint[] }
  /** Marks (or clears) whole token cells: keyboard painting. */
  | { kind: 'cells'; cells: number[]; masked: boolean }
  | { kind: 'clear' }
  /** Marks exactly the cells that were not going to be regenerated, and clears the others. */
  | { kind: 'invert' };

/** The token cell (raster order) holding a pixel, as the engine counts it (main/engine/edit.ts maskToCells). */
export function cellOf(x: number, y: number, resolution: number, grid: number): number {
  return Math.floor((y * grid) / resolution) * grid + Math.floor((x * grid) / resolution);
}

/** The cells the engine will regenerate for a mask: those holding at least one masked pixel. */
export function maskedCells(mask: Uint8Array, resolution: number, grid: number): Set<number> {
  const cells = new Set<number>();
  for (let y = 0; y < resolution; y++) {
    for (let x = 0; x < resolution; x++) if (mask[y * resolution + x]) cells.add(cellOf(x, y, resolution, grid));
  }
  return cells;
}

function setCells(mask: Uint8Array, resolution: number, grid: number, cells: ReadonlySet<number>, value: number): void {
  for (let y = 0; y < resolution; y++) {
    for (let x = 0; x < resolution; x++) if (cells.has(cellOf(x, y, resolution, grid))) mask[y * resolution + x] = value;
  }
}

export const MIN_BRUSH_SIZE = 1;
export const MAX_BRUSH_SIZE = 32;

export function clampBrushSize(size: number): number {
  return Math.min(MAX_BRUSH_SIZE, Math.max(MIN_BRUSH_SIZE, Math.round(size)));
}

/** Replays the actions onto a fresh mask: resolution² bytes, 1 = regenerate, 0 = keep; `grid` cells a side. */
export function rasteriseMask(actions: readonly MaskAction[], resolution: number, grid: number): Uint8Array<ArrayBuffer> {
  const mask = new Uint8Array(resolution * resolution);
  for (const action of actions) {
    switch (action.kind) {
      case 'clear':
        mask.fill(0);
        break;
      case 'invert': {
        const before = maskedCells(mask, resolution, grid);
        mask.fill(0);
        const others = new Set(Array.from({ length: grid * grid }, (_, cell) => cell).filter((cell) => !before.has(cell)));
        setCells(mask, resolution, grid, others, 1);
        break;
      }
      case 'cells':
        setCells(mask, resolution, grid, new Set(action.cells), action.masked ? 1 : 0);
        break;
      case 'stroke':
        paintStroke(mask, resolution, action);
        break;
    }
  }
  return mask;
}

function paintStroke(
  mask: Uint8Array,
  resolution: number,
  stroke: Extract<MaskAction, { kind: 'stroke' }>,
): void {
  const value = stroke.tool === 'brush' ? 1 : 0;
  const radius = Math.max(stroke.size / 2, 0.5);
  const [first, ...rest] = stroke.points;
  if (!first) return;
  stampDisc(mask, resolution, first, radius, value);
  let previous = first;
  for (const point of rest) {
    // Half-pixel steps leave no gaps between stamps, whatever the pointer speed.
    const distance = Math.hypot(point.x - previous.x, point.y - previous.y);
    const steps = Math.max(1, Math.ceil(distance * 2));
    for (let step = 1; step <= steps; step++) {
      const t = step / steps;
      const at = { x: previous.x + (point.x - previous.x) * t, y: previous.y + (point.y - previous.y) * t };
      stampDisc(mask, resolution, at, radius, value);
    }
    previous = point;
  }
}

function stampDisc(mask: Uint8Array, resolution: number, centre: MaskPoint, radius: number, value: number): void {
  const minX = Math.max(0, Math.floor(centre.x - radius));
  const maxX = Math.min(resolution - 1, Math.floor(centre.x + radius));
  const minY = Math.max(0, Math.floor(centre.y - radius));
  const maxY = Math.min(resolution - 1, Math.floor(centre.y + radius));
  for (let y = minY; y <= maxY; y++) {
    for (let x = minX; x <= maxX; x++) {
      if (Math.hypot(x + 0.5 - centre.x, y + 0.5 - centre.y) <= radius) mask[y * resolution + x] = value;
    }
  }
  // A one-pixel brush always paints the pixel under the pointer.
  const pixelX = Math.floor(centre.x);
  const pixelY = Math.floor(centre.y);
  if (pixelX >= 0 && pixelY >= 0 && pixelX < resolution && pixelY < resolution) {
    mask[pixelY * resolution + pixelX] = value;
  }
}
