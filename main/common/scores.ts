/**
 * What a candidate's score is, so the screen can say so: `reranker` = the model's
 * contrastive prompt/image scorer (logitScale × cosine); `mean-log-probability` = the mean,
 * over the tokens the candidate sampled, of their log-probability under the (guided,
 * processed) distribution each was drawn from, for models without a scorer (Janus).
 */
import { z } from 'zod';

export const ScoreKind = z.enum(['reranker', 'mean-log-probability']);
export type ScoreKind = z.infer<typeof ScoreKind>;
