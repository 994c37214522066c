import { plural } from '../../lib/format';
import { useStudio } from '../../store/react';
import { GalleryGrid } from './GalleryGrid';
import { Boards } from './Boards';
import { GalleryFilters } from './GalleryFilters';
import { GalleryToolbar } from './GalleryToolbar';

export function Gallery() {
  const total = useStudio((state) => state.gallery.total);
  const filtered = useStudio((state) => state.gallery.isFiltered());
  const board = useStudio((state) => state.boards.current());
  return (
    <section id="gallery" className="gallery" aria-label="Gallery">
      <GalleryToolbar />
      <div className="gallery-body">
        {/* Beside the grid, not above it: the gallery keeps its height at 1024 × 700. */}
        <div className="gallery-side">
          <Boards />
          <GalleryFilters />
        </div>
        {total === 0 ? (
        <div className="empty-state">
          {filtered ? (
            <p>Nothing matches. Clear the search, the favourites filter, the model or the dates.</p>
          ) : board ? (
            <p>The board "{board.name}" is empty. Select images in All images and use Add to board, or drag them onto it.</p>
          ) : (
            <>
              <p className="empty-title">Your gallery is empty</p>
              <p className="muted">Write a prompt and press Generate; keep the candidates you like and they appear here.</p>
            </>
          )}
        </div>
      ) : (
        <GalleryGrid />
      )}
      </div>
      <p className="sr-only" aria-live="polite">
        {plural(total, 'image')}
      </p>
    </section>
  );
}
