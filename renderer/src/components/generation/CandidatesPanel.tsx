import type { CSSProperties } from 'react';
import type { Candidate } from '../../api';
import { rankingCaption, rankingHint } from '../../lib/ranking';
import { useStudio, useStudioGetter } from '../../store/react';
import type { GenerationJob, JobKind } from '../../store/generation';
import { ProgressHeader } from './ProgressHeader';

/**
 * The run in progress or just finished: partial previews building up, then the candidates
 * best first, to keep one or all: in the studio for generations (laid out in a row), beside
 * the editor's canvas for edits (in a column).
 */
export function CandidatesPanel({ kind }: { kind: JobKind }) {
  const job = useStudio((state) => state.generation.job);
  if (job?.kind !== kind) return null;
  const layout = kind === 'generate' ? 'row' : 'column';
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
      {job.status === 'done' && <KeepBar job={job} />}
    </section>
  );
}

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
  const kept = job.kept.includes(candidate.index);
  return (
    <label className={`candidate${chosen ? ' candidate-chosen' : ''}${kept ? ' candidate-kept' : ''}`}>
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
            disabled={kept}
            onChange={() => getState().generation.toggleSelected(candidate.index)}
          />
          {rank === 0 ? 'Best' : `#${rank + 1}`}
        </span>
        <span className="muted" title={rankingHint(candidate)}>
          {kept ? 'Kept' : rankingCaption(candidate)}
        </span>
      </span>
    </label>
  );
}

function KeepBar({ job }: { job: GenerationJob }) {
  const getState = useStudioGetter();
  const toKeep = job.selected.filter((index) => !job.kept.includes(index)).length;
  const allKept = job.kept.length === job.candidates.length;
  return (
    <div className="keep-bar">
      <span className="muted small">
        {allKept ? 'All kept in the gallery.' : toKeep === 0 ? 'Click the images to choose.' : `${toKeep} chosen`}
      </span>
      <div className="button-row">
        <button type="button" className="button" disabled={allKept} onClick={() => getState().generation.selectAll()}>
          Select all
        </button>
        <button type="button" className="button" onClick={() => void getState().generation.discard()}>
          Discard
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={toKeep === 0}
          onClick={() => void getState().generation.keepSelected()}
        >
          Keep
        </button>
      </div>
    </div>
  );
}
