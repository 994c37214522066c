import { useStudio } from '../../store/react';
import { useWipe, WipeSlider, WipeStage } from '../common/Wipe';
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
  const wipe = useWipe();

  return (
    <CanvasRoom below={<WipeSlider wipe={wipe} label="Before and after divider" disabled={!after} valueOf={(divider) => `${divider} % before`} />}>
      <WipeStage
        wipe={wipe}
        className="mask-stage"
        under={{ src: source.imageUrl, alt: `Before: ${source.title}`, tag: 'Before' }}
        over={after && { src: after.image, alt: `After: ${after.parameters.prompt}`, tag: 'After' }}
        empty="Regenerate to see the result here"
      />
    </CanvasRoom>
  );
}
