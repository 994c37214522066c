/**
 * Sampling settings: the one declaration of their shape and limits, which the engine, the
 * model manifest, the IPC contract, the library's PNG reader and the UI all import. The
 * ranges the UI offers are narrower, and declared apart, since a file or a model may carry
 * any value the engine accepts.
 */
import { z } from 'zod';

/** What the engine accepts for each setting (min and max inclusive, except where `above`). */
export const SAMPLING_LIMITS = {
  /** Classifier-free guidance scale; 1 turns guidance off (no unconditional rows). */
  guidance: { min: 0, max: 30 },
  /** Softmax temperature; above 0. */
  temperature: { above: 0, max: 10 },
  /** Keep only the k likeliest tokens; 0 keeps all. */
  topK: { min: 0, max: 1_000_000 },
  /** Nucleus sampling: the smallest set whose probability reaches p; 1 keeps all. Above 0. */
  topP: { above: 0, max: 1 },
  /** Images sampled in one batch and ordered best first. */
  candidates: { min: 1, max: 64 },
} as const;

export const SamplingSettings = z.strictObject({
  guidance: z.number().min(SAMPLING_LIMITS.guidance.min).max(SAMPLING_LIMITS.guidance.max),
  temperature: z.number().gt(SAMPLING_LIMITS.temperature.above, 'temperature must be above 0').max(SAMPLING_LIMITS.temperature.max),
  topK: z.number().int().min(SAMPLING_LIMITS.topK.min).max(SAMPLING_LIMITS.topK.max),
  topP: z.number().gt(SAMPLING_LIMITS.topP.above, 'top-p must be above 0').max(SAMPLING_LIMITS.topP.max),
  candidates: z.number().int().min(SAMPLING_LIMITS.candidates.min).max(SAMPLING_LIMITS.candidates.max),
});
export type SamplingSettings = z.infer<typeof SamplingSettings>;
export type SamplingSetting = keyof SamplingSettings;

/** A control the UI offers for one setting: its range (within SAMPLING_LIMITS), step and words. */
export interface SamplingControl {
  key: SamplingSetting;
  label: string;
  min: number;
  max: number;
  step: number;
  hint: string;
}

/** The sampling controls the UI shows, in order. */
export const SAMPLING_CONTROLS: readonly SamplingControl[] = [
  { key: 'guidance', label: 'Guidance', min: 0, max: 10, step: 0.5, hint: 'How closely the image follows the prompt; 1 turns it off' },
  { key: 'temperature', label: 'Temperature', min: 0.1, max: 2, step: 0.05, hint: 'Higher is more varied, lower more typical' },
  { key: 'topK', label: 'Top-k', min: 0, max: 512, step: 1, hint: 'Sample among the k likeliest tokens; 0 turns it off' },
  { key: 'topP', label: 'Top-p', min: 0.05, max: 1, step: 0.05, hint: 'Sample among the likeliest tokens that together reach p; 1 turns it off' },
  { key: 'candidates', label: 'Candidates', min: 1, max: 16, step: 1, hint: 'Images per run, shown best first' },
];

/** A seed: any uint32. */
export const MAX_SEED = 0xffff_ffff;
export const Seed = z.number().int().min(0).max(MAX_SEED);

/** A fresh seed, uniformly drawn from every uint32. */
export const randomSeed = (): number => Math.floor(Math.random() * (MAX_SEED + 1));

/** The `count` seeds after `seed`, wrapping past the last uint32 to 0: "more like this". */
export const nextSeeds = (seed: number, count: number): number[] => Array.from({ length: count }, (_, i) => (seed + i + 1) % (MAX_SEED + 1));
