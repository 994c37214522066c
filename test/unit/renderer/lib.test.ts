import { describe, expect, it } from 'vitest';
import { clampBrushSize, maskedCells, rasteriseMask, type MaskAction } from '../../../renderer/src/lib/mask';
import { rankingCaption, rankingHint } from '../../../renderer/src/lib/ranking';
import { appendWords, completionsFor } from '../../../renderer/src/lib/completion';
import { AT_DRAFT, recallNewer, recallOlder } from '../../../renderer/src/lib/recall';

const count = (mask: Uint8Array) => mask.reduce((sum, value) => sum + value, 0);

describe('mask rasterising', () => {
  it('paints a stroke without gaps and erases part of it', () => {
    const line = rasteriseMask([{ kind: 'stroke', tool: 'brush', size: 1, points: [{ x: 0.5, y: 4.5 }, { x: 15.5, y: 4.5 }] }], 16, 16);
    expect(count(line)).toBe(16);
    const erased = rasteriseMask(
      [
        { kind: 'stroke', tool: 'brush', size: 1, points: [{ x: 0.5, y: 4.5 }, { x: 15.5, y: 4.5 }] },
        { kind: 'stroke', tool: 'eraser', size: 1, points: [{ x: 0.5, y: 4.5 }, { x: 3.5, y: 4.5 }] },
      ],
      16,
      16,
    );
    expect(count(erased)).toBe(12);
  });

  it('stamps a disc of the brush size, clipped at the edges', () => {
    const disc = rasteriseMask([{ kind: 'stroke', tool: 'brush', size: 4, points: [{ x: 8, y: 8 }] }], 16, 16);
    expect(count(disc)).toBe(12);
    const corner = rasteriseMask([{ kind: 'stroke', tool: 'brush', size: 4, points: [{ x: 0, y: 0 }] }], 16, 16);
    expect(count(corner)).toBe(3);
  });

  it('replays clear and invert in order', () => {
    const dot: MaskAction = { kind: 'stroke', tool: 'brush', size: 1, points: [{ x: 1.5, y: 1.5 }] };
    expect(count(rasteriseMask([dot, { kind: 'invert' }], 4, 4))).toBe(15);
    expect(count(rasteriseMask([dot, { kind: 'clear' }], 4, 4))).toBe(0);
    expect(count(rasteriseMask([dot, { kind: 'clear' }, { kind: 'invert' }], 4, 4))).toBe(16);
  });

  it('inverts to exactly the cells that were not going to be regenerated, partly painted ones included', () => {
    // A 16-pixel image of 4×4 cells of 4×4 pixels; a 2-pixel-wide stroke across the top row touches cells 0-3 partly.
    const stroke: MaskAction = { kind: 'stroke', tool: 'brush', size: 1, points: [{ x: 2.5, y: 1.5 }, { x: 13.5, y: 1.5 }] };
    const painted = maskedCells(rasteriseMask([stroke], 16, 4), 16, 4);
    expect([...painted].sort((a, b) => a - b)).toEqual([0, 1, 2, 3]);
    const inverted = rasteriseMask([stroke, { kind: 'invert' }], 16, 4);
    const invertedCells = maskedCells(inverted, 16, 4);
    expect(invertedCells.size).toBe(16 - painted.size);
    for (const cell of painted) expect(invertedCells.has(cell)).toBe(false);
    // Whole cells, so inverting twice gives back the same cells.
    expect(count(inverted)).toBe(12 * 16);
    expect(maskedCells(rasteriseMask([stroke, { kind: 'invert' }, { kind: 'invert' }], 16, 4), 16, 4)).toEqual(painted);
  });

  it('marks and clears whole cells', () => {
    const marked = rasteriseMask([{ kind: 'cells', cells: [5], masked: true }], 16, 4);
    expect(count(marked)).toBe(16);
    expect([...maskedCells(marked, 16, 4)]).toEqual([5]);
    expect(marked[1 * 4 * 16 + 4]).toBe(1);
    const cleared = rasteriseMask([{ kind: 'stroke', tool: 'brush', size: 8, points: [{ x: 6, y: 6 }] }, { kind: 'cells', cells: [5], masked: false }], 16, 4);
    expect(maskedCells(cleared, 16, 4).has(5)).toBe(false);
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

describe('candidate ranking text', () => {
  it('says which score a candidate is ranked by: the reranker, or its own mean log-probability', () => {
    expect(rankingCaption({ score: 12.345, scoreKind: 'reranker' })).toBe('score 12.35');
    expect(rankingHint({ score: 12.345, scoreKind: 'reranker' })).toBe('Prompt match (reranker score): 12.35');
    expect(rankingCaption({ score: -5.5, scoreKind: 'mean-log-probability' })).toBe('log-p -5.50');
    expect(rankingHint({ score: -5.5, scoreKind: 'mean-log-probability' })).toBe('Mean log-probability of its own tokens (this model has no reranker): -5.50');
    expect(rankingCaption({ score: -5.5, scoreKind: 'mean-log-probability', fit: -1.2 })).toBe('fit -1.20');
  });
});

describe('prompt completion', () => {
  const closed = { vocabulary: 'closed' as const, words: ['red', 'right', 'circle', 'cross', 'to'], groups: [] };
  const open = { vocabulary: 'open' as const };

  it('completes the word at the caret from a closed vocabulary, keeping the rest', () => {
    expect(completionsFor(closed, 'a r', 3, [])).toEqual([
      { label: 'red', text: 'a red ', caret: 6 },
      { label: 'right', text: 'a right ', caret: 8 },
    ]);
    expect(completionsFor(closed, 'a c above', 3, []).map((c) => c.text)).toEqual(['a circle above', 'a cross above']);
    expect(completionsFor(closed, 'a red', 5, [])).toEqual([]); // a whole word: nothing to add
    expect(completionsFor(closed, 'a ci', 3, [])).toEqual([]); // inside a word
    expect(completionsFor(closed, 'a ', 2, [])).toEqual([]);
  });

  it('completes the whole prompt from the history for an open vocabulary', () => {
    const history = ['A castle at dusk', 'a cat', 'a castle at dusk, oil'];
    expect(completionsFor(open, 'a cas', 5, history).map((c) => c.label)).toEqual(['A castle at dusk', 'a castle at dusk, oil']);
    expect(completionsFor(open, 'a', 1, history)).toEqual([]);
  });

  it('appends a chip’s words with one space', () => {
    expect(appendWords('a red ', 'circle')).toBe('a red circle');
    expect(appendWords('', 'to the left of')).toBe('to the left of');
  });
});
