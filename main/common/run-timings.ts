/** How long a run took, by phase: reported by the engine, kept with the run's images, shown by the inspector. */
import { z } from 'zod';

const Ms = z.number().nonnegative();

export const RunTimings = z.strictObject({
  totalMs: Ms,
  /** Reading the prompt: the text encoder, or the prompt's prefill. */
  encodeMs: Ms,
  /** Sampling the image tokens, every candidate together. */
  decodeMs: Ms,
  detokenizeMs: Ms,
  rerankMs: Ms,
});
export type RunTimings = z.infer<typeof RunTimings>;
