import type { GalleryItem, ImageDetails, LinkedImage } from '../../api';
import { useStudioGetter } from '../../store/react';
import { KIND_NAMES, runPlace } from './InspectorDetails';

/** Where the image came from, what was made from it, and the rest of its run: each opens in the inspector. */
export function LineageLinks({ details }: { details: ImageDetails }) {
  const { source, sourceGone, derived, runMates, runSize } = details;
  return (
    <>
      <LinkList title="Made from" empty={sourceGone ? 'Its source is no longer in the library.' : 'Nothing: it was made from its prompt.'} links={source ? [source] : []} />
      <LinkList title="Made from this" empty="Nothing yet: edits, variations and extensions of it appear here." links={derived} />
      <LinkList
        title="Its run"
        empty="It is the only image of its run still in the library."
        links={runMates.map((item) => ({ item, trashed: false }))}
        describe={(item) => runPlace(item.parameters.rank ?? 0, runSize)}
      />
    </>
  );
}

function LinkList({ title, links, empty, describe }: { title: string; links: LinkedImage[]; empty: string; describe?: (item: GalleryItem) => string }) {
  const getState = useStudioGetter();
  return (
    <section className="inspector-section" aria-label={title}>
      <h2 className="panel-title">{title}</h2>
      {links.length === 0 ? (
        <p className="muted small">{empty}</p>
      ) : (
        <ul className="lineage-list">
          {links.map(({ item, trashed }) => {
            const caption = describe?.(item) ?? KIND_NAMES[item.parameters.kind];
            return (
              <li key={item.id}>
                <button type="button" className="lineage-link" title={item.parameters.prompt} onClick={() => void getState().inspector.follow(item.id)}>
                  <img className="pixelated" src={item.url} alt="" />
                  <span className="small">
                    {caption}
                    {trashed ? ' · in the trash' : ''}
                  </span>
                  <span className="sr-only">, open in the inspector: {item.parameters.prompt}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

