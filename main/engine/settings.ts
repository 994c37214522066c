/** Sampling settings: package defaults overlaid with a request's, range-checked against the domain's limits. */
import { MAX_SEED, randomSeed, SamplingSettings, Seed } from '../common/sampling.js';
import { EngineError } from './errors.js';

export function resolveSettings(defaults: SamplingSettings, partial: Partial<SamplingSettings>): SamplingSettings {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined));
  const parsed = SamplingSettings.safeParse({ ...defaults, ...defined });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EngineError('BAD_REQUEST', `Invalid setting ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** A request's seed as a uint32, or a fresh random one: the one place a run's seed is decided. */
export function resolveSeed(seed: number | null | undefined): number {
  if (seed === undefined || seed === null) return randomSeed();
  if (!Seed.safeParse(seed).success) throw new EngineError('BAD_REQUEST', `Seed must be an integer from 0 to ${MAX_SEED}, got ${seed}`);
  return seed;
}
