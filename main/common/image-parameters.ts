/**
 * What an image was made with: embedded in the PNGs the engine writes, stored in the
 * library, shown in the gallery and read back by "Use these settings". One shape for all.
 */
import { z } from 'zod';
import { ExtensionParameters } from './extension';
import { SamplingSettings, Seed } from './sampling';
import { VariationParameters } from './variation';

export const ImageParameters = z.object({
  kind: z.enum(['generate', 'edit', 'extend', 'variation']),
  prompt: z.string(),
  /** What guidance steered away from, when a negative prompt was given. */
  negativePrompt: z.string().optional(),
  seed: Seed,
  settings: SamplingSettings,
  modelId: z.string(),
  /** Rank among the request's candidates (0 = best). */
  rank: z.number().int().nonnegative().optional(),
  /** Edits, variations and extensions: the library id of the image they were made from. */
  sourceId: z.string().optional(),
  /** Extensions only: the side, the amount and the canvas it made. */
  extension: ExtensionParameters.optional(),
  /** Variations only: the strength and which cells were kept. */
  variation: VariationParameters.optional(),
});
export type ImageParameters = z.infer<typeof ImageParameters>;
