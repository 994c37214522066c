/** How a candidate's rank is shown: which score it rests on, in a caption and a tooltip. */
import type { Candidate } from '../api';

/** The caption's short name for each kind of score. */
const SCORE_LABEL: Record<Candidate['scoreKind'], string> = { reranker: 'score', 'mean-log-probability': 'log-p' };

/** `fit -1.20` for edits (ranked by it first), else the score under its kind's short name. */
export function rankingCaption(candidate: Pick<Candidate, 'score' | 'scoreKind' | 'fit'>): string {
  return candidate.fit === undefined ? `${SCORE_LABEL[candidate.scoreKind]} ${candidate.score.toFixed(2)}` : `fit ${candidate.fit.toFixed(2)}`;
}

/** What a candidate's rank rests on: edits by their fit first, then by the score. */
export function rankingHint(candidate: Pick<Candidate, 'score' | 'scoreKind' | 'fit'>): string {
  const score =
    candidate.scoreKind === 'reranker'
      ? `Prompt match (reranker score): ${candidate.score.toFixed(2)}`
      : `Mean log-probability of its own tokens (this model has no reranker): ${candidate.score.toFixed(2)}`;
  if (candidate.fit === undefined) return score;
  return `Fit with the kept image after the painted cells (ranked by this first): ${candidate.fit.toFixed(2)}. ${score}`;
}
