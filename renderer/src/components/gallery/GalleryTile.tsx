import { memo, type MouseEvent } from 'react';
import type { ImageParameters } from '../../api';
import { formatDate } from '../../lib/format';
import { useStudio, useStudioGetter } from '../../store/react';
import { Icon } from '../common/Icon';
import { setDraggedImageIds } from './drag';

interface GalleryTileProps {
  index: number;
  column: number;
  /** The one tile the Tab key lands on (roving focus). */
  focusable: boolean;
  onFocusIndex(index: number): void;
}

/** A candidate's place in its run, as the candidates panel names it. */
export const rankLabel = (rank: number): string => (rank === 0 ? 'best' : `#${rank + 1}`);

/** How a tile names where an image came from, for kinds made from another image. */
const LINEAGE: Partial<Record<ImageParameters['kind'], { badge: string; title: string }>> = {
  edit: { badge: 'edit', title: 'Edited from another image' },
  variation: { badge: 'variation', title: 'A variation of another image' },
  extend: { badge: 'extended', title: 'Extended from another image' },
};

/** One image: the picture, its prompt, rank, seed and date, and its favourite star. */
export const GalleryTile = memo(function GalleryTile({ index, column, focusable, onFocusIndex }: GalleryTileProps) {
  const getState = useStudioGetter();
  const item = useStudio((state) => state.gallery.itemAt(index));
  const selected = useStudio((state) => (item ? state.gallery.selected.includes(item.id) : false));
  const canDragOut = useStudio((state) => state.settings.state?.runtime.host === 'electron');

  if (!item) {
    return <div role="gridcell" aria-colindex={column + 1} className="tile tile-loading" aria-busy="true" data-index={index} />;
  }
  const onClick = (event: MouseEvent) => {
    const mode = event.shiftKey ? 'range' : event.ctrlKey || event.metaKey ? 'toggle' : 'only';
    getState().gallery.select(index, mode);
  };

  return (
    <div
      role="gridcell"
      aria-colindex={column + 1}
      aria-selected={selected}
      tabIndex={focusable ? 0 : -1}
      data-index={index}
      className={`tile${selected ? ' tile-selected' : ''}`}
      onClick={onClick}
      onDoubleClick={() => getState().editor.openImage(item)}
      onFocus={() => onFocusIndex(index)}
      draggable
      onDragStart={(event) => {
        if (canDragOut) {
          // Electron drags the real file out to other apps (boards take images from the Add to board menu there).
          event.preventDefault();
          void getState().gallery.startDrag(item);
          return;
        }
        // Onto a board: the selection when this tile is in it, else this tile alone.
        const { selected: ids } = getState().gallery;
        setDraggedImageIds(event.dataTransfer, selected ? ids : [item.id]);
      }}
    >
      <div className="tile-image">
        {item.missing ? (
          <div className="tile-missing" role="img" aria-label={item.parameters.prompt}>
            File missing
          </div>
        ) : (
          <img className="pixelated" src={item.url} alt={item.parameters.prompt} loading="lazy" draggable={false} />
        )}
        <button
          type="button"
          className={`icon-button tile-star${item.favourite ? ' tile-star-on' : ''}`}
          aria-label="Favourite"
          aria-pressed={item.favourite}
          tabIndex={-1}
          onClick={(event) => {
            event.stopPropagation();
            void getState().gallery.setFavourite(item, !item.favourite);
          }}
        >
          <Icon name="star" size={14} />
        </button>
        {selected && (
          <span className="tile-check" aria-hidden="true">
            <Icon name="check" size={12} />
          </span>
        )}
        {item.parameters.sourceId && (
          <span className="tile-badge" title={LINEAGE[item.parameters.kind]?.title}>
            {LINEAGE[item.parameters.kind]?.badge}
          </span>
        )}
      </div>
      <div className="tile-caption">
        <span className="tile-prompt" aria-hidden="true" title={item.parameters.prompt}>
          {item.parameters.prompt}
        </span>
        <span className="tile-meta">
          <span title="Its place in its run, best first">{rankLabel(item.parameters.rank ?? 0)}</span>
          <span>seed {item.parameters.seed}</span>
          <span>{formatDate(item.createdAt)}</span>
        </span>
      </div>
    </div>
  );
});
