import { formatTimeLeft, plural } from '../../lib/format';
import { useStudio, useStudioGetter } from '../../store/react';
import type { GenerationJob, JobKind } from '../../store/generation';

const VERBS: Record<JobKind, string> = { generate: 'Generating', edit: 'Regenerating', variation: 'Varying', extend: 'Extending' };

/** What the run is doing, how far it is, and the way to stop it. */
export function ProgressHeader({ job }: { job: GenerationJob }) {
  const getState = useStudioGetter();
  const lockedSeed = useStudio((state) => {
    const settings = state.settings.state?.settings;
    return settings?.seedMode === 'locked' ? settings.lockedSeed : null;
  });
  const running = job.status === 'starting' || job.status === 'running';
  const percent = Math.round((job.tokensDone / job.totalTokens) * 100);
  const verb = VERBS[job.kind];

  return (
    <div className="progress-header">
      <div className="progress-text">
        <span className="progress-title">{titleFor(job, verb)}</span>
        <span className="muted small">
          {running ? `${percent}% · ${formatTimeLeft(job.etaMs)}` : job.seed !== null ? `seed ${job.seed}` : ''}
          {job.status === 'failed' && job.error ? ` · ${job.error}` : ''}
        </span>
      </div>
      {!running && job.seed !== null && job.seed !== lockedSeed && (
        <button
          type="button"
          className="button button-quiet"
          title="Every run uses this seed until you unlock it"
          onClick={() => void getState().settings.update({ seedMode: 'locked', lockedSeed: job.seed! })}
        >
          Reuse seed {job.seed}
        </button>
      )}
      {running && (
        <>
          <progress className="progress" max={job.totalTokens} value={job.tokensDone} aria-label={`${verb} progress`} />
          <button type="button" className="button" onClick={() => void getState().generation.cancel()} title="Esc">
            Cancel
          </button>
        </>
      )}
    </div>
  );
}

function titleFor(job: GenerationJob, verb: string): string {
  switch (job.status) {
    case 'starting':
    case 'running':
      return `${verb} ${plural(job.candidateCount, 'candidate')}`;
    case 'done':
      return `${plural(job.candidates.length, 'candidate')}, best first`;
    case 'cancelled':
      return 'Stopped';
    case 'failed':
      return 'Failed';
  }
}
