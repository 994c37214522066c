import type { CSSProperties } from 'react';
import type { Candidate } from '../../api';
import { rankingCaption, rankingHint } from '../../lib/ranking';
import { useStudio, useStudioGetter } from '../../store/react';
import type { GenerationJob, JobKind } from '../../store/generation';
import { MORE_LIKE_THIS_HINT, MORE_LIKE_THIS_LABEL } from '../queue/QueuePanel';
import { ProgressHeader } from './ProgressHeader';

/**
 * The run in progress or just finished: partial previews building up, then the candidates
 * best first, already saved to the gallery, to curate (favourite, or trash with Undo): in the
 * studio for generations and variations (laid out in a row), beside the editor's canvas for
 * edits and the extend view's frame for extensions (in a column).
 */
export function CandidatesPanel({ place }: { place: Place }) {
  const job = useStudio((state) => state.generation.job);
  if (!job || placeOf(job.kind) !== place) return null;
  const layout = place === 'studio' ? 'row' : 'column';
  return (
    <section id="candidates" className={`candidates candidates-${layout}`} aria-label="Candidates">
      <ProgressHeader job={job} />
      {/* Many candidates share two rows of smaller tiles rather than push the gallery away. */}
      <div className="candidate-grid" style={{ '--candidate-columns': job.candidateCount > 4 ? Math.ceil(job.candidateCount / 2) : 4 } as CSSProperties}>
        {job.status === 'done' ? (
          job.candidates.map((candidate, rank) => <CandidateTile key={candidate.index} job={job} candidate={candidate} rank={rank} />)
        ) : (
          <PreviewTiles job={job} />
        )}
      </div>
      {job.status === 'done' && <CurationBar job={job} />}
    </section>
  );
}

type Place = 'studio' | 'editor' | 'extend';

const placeOf = (kind: JobKind): Place => (kind === 'edit' ? 'editor' : kind === 'extend' ? 'extend' : 'studio');

function PreviewTiles({ job }: { job: GenerationJob }) {
  const fraction = job.tokensDone / job.totalTokens;
  return Array.from({ length: job.candidateCount }, (_, slot) => {
    const preview = job.previews[slot];
    return (
      <figure key={slot} className="candidate candidate-building">
        {preview ? (
          <img className="pixelated" src={preview} alt={`Candidate ${slot + 1}, ${Math.round(fraction * 100)}% drawn`} />
        ) : (
          <div className="candidate-placeholder" aria-hidden="true" />
        )}
        {/* The raster scan line: where the model is drawing now. */}
        {job.status === 'running' && <div className="scanline" style={{ top: `${fraction * 100}%` }} aria-hidden="true" />}
      </figure>
    );
  });
}

function CandidateTile({ job, candidate, rank }: { job: GenerationJob; candidate: Candidate; rank: number }) {
  const getState = useStudioGetter();
  const chosen = job.selected.includes(candidate.index);
  const trashed = job.trashed.includes(candidate.imageId);
  const favourite = job.favourites.includes(candidate.imageId);
  return (
    <label className={`candidate${chosen ? ' candidate-chosen' : ''}${trashed ? ' candidate-trashed' : ''}`}>
      <img
        className="pixelated"
        src={candidate.image}
        alt={`Candidate ${rank + 1}${rank === 0 ? ', best' : ''}: ${candidate.parameters.prompt}`}
      />
      {/* The check sits under the image, off the picture: its corners hold objects too. */}
      <span className="candidate-caption">
        <span className="candidate-rank">
          <input
            type="checkbox"
            className="candidate-check"
            checked={chosen}
            disabled={trashed}
            onChange={() => getState().generation.toggleSelected(candidate.index)}
          />
          {rank === 0 ? 'Best' : `#${rank + 1}`}
        </span>
        <span className="muted" title={rankingHint(candidate)}>
          {trashed ? 'In the trash' : favourite ? '★ favourite' : rankingCaption(candidate)}
        </span>
      </span>
    </label>
  );
}

function CurationBar({ job }: { job: GenerationJob }) {
  const getState = useStudioGetter();
  const chosen = job.candidates.filter((c) => job.selected.includes(c.index) && !job.trashed.includes(c.imageId)).length;
  const saved = job.candidates.length - job.trashed.length;
  const [onlyChosen, ...others] = job.candidates.filter((c) => job.selected.includes(c.index) && !job.trashed.includes(c.imageId));
  return (
    <div className="keep-bar">
      <span className="muted small">
        {saved === 1 ? 'Saved to the gallery' : `All ${saved} saved to the gallery`}
        {chosen > 0 ? ` · ${chosen} chosen` : ' · click the images to choose'}
      </span>
      <div className="button-row">
        <button type="button" className="button" disabled={chosen === saved} onClick={() => getState().generation.selectAll()}>
          Select all
        </button>
        <button type="button" className="button" disabled={chosen === 0} onClick={() => void getState().generation.trashSelected()}>
          Move to trash
        </button>
        <button type="button" className="button" onClick={() => getState().generation.close()}>
          Close
        </button>
        <button
          type="button"
          className="button"
          title="Keep part of the chosen image and draw the rest again"
          disabled={!onlyChosen || others.length > 0}
          onClick={() => onlyChosen && getState().variations.open({ id: onlyChosen.imageId, url: onlyChosen.image, parameters: onlyChosen.parameters })}
        >
          Variations
        </button>
        <button
          type="button"
          className="button"
          title={MORE_LIKE_THIS_HINT}
          disabled={job.kind !== 'generate' || !onlyChosen || others.length > 0}
          onClick={() => onlyChosen && void getState().queue.moreLikeThis({ id: onlyChosen.imageId, parameters: onlyChosen.parameters })}
        >
          {MORE_LIKE_THIS_LABEL}
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={chosen === 0}
          onClick={() => void getState().generation.favouriteSelected()}
        >
          Favourite
        </button>
      </div>
    </div>
  );
}
