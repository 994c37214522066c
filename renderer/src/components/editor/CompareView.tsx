import { useStudio } from '../../store/react';

/** The source and the chosen candidate side by side, at the same size. */
export function CompareView() {
  const source = useStudio((state) => state.editor.source)!;
  const after = useStudio((state) => {
    const job = state.generation.job;
    if (job?.kind !== 'edit' || job.status !== 'done') return undefined;
    const chosen = job.candidates.find((candidate) => job.selected.includes(candidate.index));
    return chosen ?? job.candidates[0];
  });

  return (
    <div className="compare">
      <figure>
        <img className="pixelated" src={source.imageUrl} alt={`Before: ${source.title}`} />
        <figcaption>Before</figcaption>
      </figure>
      <figure>
        {after ? (
          <img className="pixelated" src={after.image} alt={`After: ${after.parameters.prompt}`} />
        ) : (
          <div className="compare-empty">Regenerate to see the result here</div>
        )}
        <figcaption>After</figcaption>
      </figure>
    </div>
  );
}
