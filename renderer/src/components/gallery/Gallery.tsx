import { plural } from '../../lib/format';
import { useStudio } from '../../store/react';
import { GalleryGrid } from './GalleryGrid';
import { GalleryToolbar } from './GalleryToolbar';

export function Gallery() {
  const total = useStudio((state) => state.gallery.total);
  const filtered = useStudio((state) => state.gallery.search.trim() !== '' || state.gallery.favouritesOnly);
  return (
    <section id="gallery" className="gallery" aria-label="Gallery">
      <GalleryToolbar />
      {total === 0 ? (
        <div className="empty-state">
          {filtered ? (
            <p>Nothing matches. Clear the search or the favourites filter.</p>
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
      <p className="sr-only" aria-live="polite">
        {plural(total, 'image')}
      </p>
    </section>
  );
}
