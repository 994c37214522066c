/**
 * What an image was made with: embedded in the PNGs the engine writes, stored in the
 * library, shown in the gallery and read back by "Use these settings". One shape for all.
 */
import { z } from 'zod';
import { SamplingSettings, Seed } from './sampling';

export const ImageParameters = z.object({
  kind: z.enum(['generate', 'edit']),
  prompt: z.string(),
  /** What guidance steered away from, when a negative prompt was given. */
  negativePrompt: z.string().optional(),
  seed: Seed,
  settings: SamplingSettings,
  modelId: z.string(),
  /** Rank among the request's candidates (0 = best). */
  rank: z.number().int().nonnegative().optional(),
  /** Edits only: the library id of the edited image. */
  sourceId: z.string().optional(),
});
export type ImageParameters = z.infer<typeof ImageParameters>;
