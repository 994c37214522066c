/** Sampling settings: package defaults overlaid with a request's, range-checked against the domain's limits. */
import { SamplingSettings } from '../common/sampling.js';
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

/** A request's seed as a uint32, or a fresh random one. */
export function resolveSeed(seed: number | undefined): number {
  if (seed === undefined) return (Math.random() * 2 ** 32) >>> 0;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new EngineError('BAD_REQUEST', `Seed must be an integer from 0 to 4294967295, got ${seed}`);
  }
  return seed;
}
