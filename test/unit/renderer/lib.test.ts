import { describe, expect, it } from 'vitest';
import { clampBrushSize, rasteriseMask, type MaskAction } from '../../../renderer/src/lib/mask';
import { AT_DRAFT, recallNewer, recallOlder } from '../../../renderer/src/lib/recall';

const count = (mask: Uint8Array) => mask.reduce((sum, value) => sum + value, 0);

describe('mask rasterising', () => {
  it('paints a stroke without gaps and erases part of it', () => {
    const line = rasteriseMask([{ kind: 'stroke', tool: 'brush', size: 1, points: [{ x: 0.5, y: 4.5 }, { x: 15.5, y: 4.5 }] }], 16);
    expect(count(line)).toBe(16);
    const erased = rasteriseMask(
      [
        { kind: 'stroke', tool: 'brush', size: 1, points: [{ x: 0.5, y: 4.5 }, { x: 15.5, y: 4.5 }] },
        { kind: 'stroke', tool: 'eraser', size: 1, points: [{ x: 0.5, y: 4.5 }, { x: 3.5, y: 4.5 }] },
      ],
      16,
    );
    expect(count(erased)).toBe(12);
  });

  it('stamps a disc of the brush size, clipped at the edges', () => {
    const disc = rasteriseMask([{ kind: 'stroke', tool: 'brush', size: 4, points: [{ x: 8, y: 8 }] }], 16);
    expect(count(disc)).toBe(12);
    const corner = rasteriseMask([{ kind: 'stroke', tool: 'brush', size: 4, points: [{ x: 0, y: 0 }] }], 16);
    expect(count(corner)).toBe(3);
  });

  it('replays clear and invert in order', () => {
    const dot: MaskAction = { kind: 'stroke', tool: 'brush', size: 1, points: [{ x: 1.5, y: 1.5 }] };
    expect(count(rasteriseMask([dot, { kind: 'invert' }], 4))).toBe(15);
    expect(count(rasteriseMask([dot, { kind: 'clear' }], 4))).toBe(0);
    expect(count(rasteriseMask([dot, { kind: 'clear' }, { kind: 'invert' }], 4))).toBe(16);
  });

  it('keeps the brush size within bounds', () => {
    expect(clampBrushSize(0)).toBe(1);
    expect(clampBrushSize(100)).toBe(32);
    expect(clampBrushSize(7.6)).toBe(8);
  });
});

describe('shell-like recall', () => {
  const entries = ['newest', 'older', 'oldest'];

  it('walks back, then forward to the draft it started from', () => {
    const first = recallOlder(entries, AT_DRAFT, 'my draft')!;
    expect(first.text).toBe('newest');
    const second = recallOlder(entries, first.recall, first.text)!;
    expect(second.text).toBe('older');
    const back = recallNewer(entries, second.recall)!;
    expect(back.text).toBe('newest');
    const draft = recallNewer(entries, back.recall)!;
    expect(draft).toEqual({ recall: AT_DRAFT, text: 'my draft' });
    expect(recallNewer(entries, draft.recall)).toBeNull();
  });

  it('stops at the oldest entry and with an empty history', () => {
    let recalled = recallOlder(entries, AT_DRAFT, '')!;
    recalled = recallOlder(entries, recalled.recall, recalled.text)!;
    recalled = recallOlder(entries, recalled.recall, recalled.text)!;
    expect(recalled.text).toBe('oldest');
    expect(recallOlder(entries, recalled.recall, recalled.text)).toBeNull();
    expect(recallOlder([], AT_DRAFT, 'x')).toBeNull();
  });
});
