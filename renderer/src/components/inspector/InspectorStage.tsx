import type { GalleryItem, ImageDetails } from '../../api';
import type { CompareMode } from '../../store/inspector';
import { useStudio, useStudioGetter } from '../../store/react';
import { useWipe, WipeSlider, WipeStage } from '../common/Wipe';
import { KIND_NAMES, runPlace } from './InspectorDetails';

/** The images it can be compared with, each with the words the picker shows. */
function comparable(details: ImageDetails): { item: GalleryItem; label: string }[] {
  const { source, derived, runMates, runSize } = details;
  return [
    ...(source ? [{ item: source.item, label: `Its source (${source.item.parameters.prompt})` }] : []),
    ...derived.map(({ item }) => ({ item, label: `${KIND_NAMES[item.parameters.kind]} made from it, ${runPlace(item.parameters.rank ?? 0, item.parameters.settings.candidates)}` })),
    ...runMates.map((item) => ({ item, label: `From its run: ${runPlace(item.parameters.rank ?? 0, runSize)}` })),
  ];
}

const MODES: [CompareMode, string][] = [
  ['side-by-side', 'Side by side'],
  ['wipe', 'Wipe'],
];

/** The image large, alone or beside (or under the wipe of) one related image. */
export function InspectorStage({ details }: { details: ImageDetails }) {
  const getState = useStudioGetter();
  const other = useStudio((state) => state.inspector.compareWith);
  const mode = useStudio((state) => state.inspector.compareMode);
  const wipe = useWipe();
  const choices = comparable(details);
  const { item } = details;
  const self = { src: item.url, alt: `This image: ${item.parameters.prompt}`, tag: 'This image' };
  const that = other && { src: other.url, alt: `Compared with: ${other.parameters.prompt}`, tag: 'Compared' };

  return (
    <div className="inspector-stage">
      <div className="inspector-frame">
        {!that ? (
          <img className="inspector-image pixelated" src={self.src} alt={self.alt} />
        ) : mode === 'wipe' ? (
          <WipeStage wipe={wipe} className="inspector-wipe" under={self} over={that} empty={null} />
        ) : (
          <div className="inspector-pair">
            {[self, that].map((image) => (
              <figure key={image.tag}>
                <img className="inspector-image pixelated" src={image.src} alt={image.alt} />
                <figcaption className="muted small">{image.tag}</figcaption>
              </figure>
            ))}
          </div>
        )}
      </div>
      <div className="inspector-compare">
        <label className="muted small" htmlFor="compare-with">
          Compare with
        </label>
        <select
          id="compare-with"
          className="select"
          value={other?.id ?? ''}
          disabled={choices.length === 0}
          onChange={(event) => getState().inspector.compare(choices.find(({ item: choice }) => choice.id === event.target.value)?.item ?? null)}
        >
          <option value="">{choices.length ? 'Nothing: this image alone' : 'No related image to compare with'}</option>
          {choices.map(({ item: choice, label }) => (
            <option key={choice.id} value={choice.id}>
              {label}
            </option>
          ))}
        </select>
        <div role="radiogroup" aria-label="How to compare" className="segmented">
          {MODES.map(([value, label]) => (
            <label key={value} className="segmented-option">
              <input type="radio" name="compare-mode" value={value} checked={mode === value} disabled={!other} onChange={() => getState().inspector.setCompareMode(value)} />
              {label}
            </label>
          ))}
        </div>
        {that && mode === 'wipe' && <WipeSlider wipe={wipe} label="Comparison divider" disabled={false} valueOf={(divider) => `${divider} % this image`} />}
      </div>
    </div>
  );
}
