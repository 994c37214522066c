import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useStudio, useStudioGetter } from '../../store/react';
import { GalleryTile } from './GalleryTile';

const MIN_TILE_WIDTH = 150;
const CAPTION_HEIGHT = 58;
const GAP = 12;

/**
 * The gallery as a virtualised grid: only the rows on screen (and a few around) exist in the
 * page, and the store loads their images page by page, so 10,000 images scroll like 10.
 * Arrow keys move between images, Space selects, Enter opens in the editor, F favourites,
 * Delete deletes.
 */
export function GalleryGrid() {
  const getState = useStudioGetter();
  const total = useStudio((state) => state.gallery.total);
  const scroller = useRef<HTMLDivElement>(null);
  const width = useElementWidth(scroller);
  const columns = Math.max(1, Math.floor((width + GAP) / (MIN_TILE_WIDTH + GAP)));
  const tileWidth = Math.max(MIN_TILE_WIDTH, Math.floor((width - GAP * (columns - 1)) / columns));
  const rowCount = Math.ceil(total / columns);
  const [focusedIndex, setFocusedIndex] = useState(0);
  const focusPending = useRef(false);

  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scroller.current,
    estimateSize: () => tileWidth + CAPTION_HEIGHT + GAP,
    overscan: 3,
    // Room for the selection ring above the first row and below the last.
    paddingStart: 8,
    paddingEnd: 16,
    scrollPaddingStart: 8,
  });
  useEffect(() => virtualizer.measure(), [tileWidth, virtualizer]);

  const rows = virtualizer.getVirtualItems();
  const firstIndex = (rows[0]?.index ?? 0) * columns;
  const lastIndex = ((rows.at(-1)?.index ?? 0) + 1) * columns - 1;
  useEffect(() => {
    getState().gallery.setVisibleRange(firstIndex, Math.min(lastIndex, Math.max(0, total - 1)));
  }, [firstIndex, lastIndex, total, getState]);

  const safeFocus = Math.min(focusedIndex, Math.max(0, total - 1));
  useLayoutEffect(() => {
    if (!focusPending.current) return;
    const cell = scroller.current?.querySelector<HTMLElement>(`[data-index="${safeFocus}"]`);
    if (cell) {
      focusPending.current = false;
      cell.focus();
    }
  });

  const moveFocus = (index: number) => {
    const next = Math.min(Math.max(0, index), total - 1);
    setFocusedIndex(next);
    focusPending.current = true;
    virtualizer.scrollToIndex(Math.floor(next / columns));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const gallery = getState().gallery;
    const pageRows = Math.max(1, rows.length - 2);
    const moves: Record<string, number> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      ArrowDown: columns,
      ArrowUp: -columns,
      PageDown: columns * pageRows,
      PageUp: -columns * pageRows,
    };
    const move = moves[event.key];
    if (move !== undefined) {
      event.preventDefault();
      moveFocus(safeFocus + move);
      if (event.shiftKey) gallery.select(Math.min(Math.max(0, safeFocus + move), total - 1), 'range');
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      moveFocus(event.key === 'Home' ? 0 : total - 1);
    } else if (event.key === ' ') {
      event.preventDefault();
      gallery.select(safeFocus, event.ctrlKey || event.metaKey ? 'toggle' : 'only');
    } else if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
      const item = gallery.itemAt(safeFocus);
      if (item) getState().editor.openImage(item);
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      void gallery.trash(gallery.selected);
    } else if (event.key === 'i' && !event.ctrlKey && !event.metaKey) {
      const item = gallery.itemAt(safeFocus);
      if (item) void getState().inspector.open(item.id);
    } else if (event.key === 'f' && !event.ctrlKey && !event.metaKey) {
      const item = gallery.itemAt(safeFocus);
      if (item) void gallery.setFavourite(item, !item.favourite);
    } else if (event.key === 'c' && (event.ctrlKey || event.metaKey)) {
      const item = gallery.itemAt(safeFocus);
      if (item) void gallery.copyImage(item);
    } else if (event.key === 'a' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      gallery.select(0, 'only');
      gallery.select(total - 1, 'range');
    } else if (event.key === 'Escape') {
      gallery.clearSelection();
    }
  };

  return (
    <div
      ref={scroller}
      className="gallery-scroller"
      role="grid"
      aria-label="Images"
      aria-rowcount={rowCount}
      aria-colcount={columns}
      aria-multiselectable="true"
      onKeyDown={onKeyDown}
    >
      <div className="gallery-canvas" style={{ height: virtualizer.getTotalSize() }}>
        {rows.map((row) => (
          <div
            key={row.key}
            role="row"
            aria-rowindex={row.index + 1}
            className="gallery-row"
            style={{
              transform: `translateY(${row.start}px)`,
              gridTemplateColumns: `repeat(${columns}, ${tileWidth}px)`,
              height: tileWidth + CAPTION_HEIGHT,
            }}
          >
            {Array.from({ length: columns }, (_, column) => {
              const index = row.index * columns + column;
              if (index >= total) return null;
              return (
                <GalleryTile
                  key={index}
                  index={index}
                  column={column}
                  focusable={index === safeFocus}
                  onFocusIndex={setFocusedIndex}
                />
              );
            })}
          </div>
        ))}
      </div>
    </div>
  );
}

function useElementWidth(element: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const target = element.current;
    if (!target) return;
    const observer = new ResizeObserver(([entry]) => setWidth(entry?.contentRect.width ?? 0));
    observer.observe(target);
    setWidth(target.clientWidth);
    return () => observer.disconnect();
  }, [element]);
  return width;
}
