import { useState, type PointerEvent } from 'react';
import { useStudio } from '../../store/react';
import { CanvasRoom } from './CanvasRoom';

/**
 * Before and after in one frame: the chosen candidate wipes over the source up to a divider
 * that follows the pointer while pressed, or the slider (arrow keys) below.
 */
export function CompareView() {
  const source = useStudio((state) => state.editor.source)!;
  const after = useStudio((state) => {
    const job = state.generation.job;
    if (job?.kind !== 'edit' || job.status !== 'done') return undefined;
    const chosen = job.candidates.find((candidate) => job.selected.includes(candidate.index));
    return chosen ?? job.candidates[0];
  });
  const [divider, setDivider] = useState(50);

  const follow = (event: PointerEvent<HTMLDivElement>) => {
    if (event.type === 'pointermove' && event.buttons === 0) return;
    const box = event.currentTarget.getBoundingClientRect();
    setDivider(Math.round(Math.min(100, Math.max(0, ((event.clientX - box.left) / box.width) * 100))));
  };

  return (
    <CanvasRoom
      below={
        <input
          type="range"
          className="compare-slider"
          min={0}
          max={100}
          value={divider}
          disabled={!after}
          aria-label="Before and after divider"
          aria-valuetext={`${divider} % before`}
          onChange={(event) => setDivider(Number(event.target.value))}
        />
      }
    >
      <div className="mask-stage compare-stage" onPointerDown={follow} onPointerMove={follow}>
        <img className="compare-image pixelated" src={source.imageUrl} alt={`Before: ${source.title}`} draggable={false} />
        {after ? (
          <>
            <img
              className="compare-image pixelated"
              src={after.image}
              alt={`After: ${after.parameters.prompt}`}
              style={{ clipPath: `inset(0 0 0 ${divider}%)` }}
              draggable={false}
            />
            <div className="compare-divider" style={{ left: `${divider}%` }} aria-hidden="true" />
            <span className="compare-tag compare-tag-before">Before</span>
            <span className="compare-tag compare-tag-after">After</span>
          </>
        ) : (
          <div className="compare-empty">Regenerate to see the result here</div>
        )}
      </div>
    </CanvasRoom>
  );
}
