/**
 * The editor's mask, kept as a list of actions so that every stroke, clear and invert can be
 * undone. It is painted at the model's own pixel resolution: one mask pixel is one image
 * pixel, which keeps the overlay honest about what the engine will see.
 */
export type MaskTool = 'brush' | 'eraser';

export interface MaskPoint {
  x: number;
  y: number;
}

export type MaskAction =
  | { kind: 'stroke'; tool: MaskTool; size: number; points: MaskPoint[] }
  | { kind: 'clear' }
  | { kind: 'invert' };

export const MIN_BRUSH_SIZE = 1;
export const MAX_BRUSH_SIZE = 32;

export function clampBrushSize(size: number): number {
  return Math.min(MAX_BRUSH_SIZE, Math.max(MIN_BRUSH_SIZE, Math.round(size)));
}

/** Replays the actions onto a fresh mask: resolution² bytes, 1 = regenerate, 0 = keep. */
export function rasteriseMask(actions: readonly MaskAction[], resolution: number): Uint8Array<ArrayBuffer> {
  const mask = new Uint8Array(resolution * resolution);
  for (const action of actions) {
    switch (action.kind) {
      case 'clear':
        mask.fill(0);
        break;
      case 'invert':
        for (let i = 0; i < mask.length; i++) mask[i] = mask[i] ? 0 : 1;
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
