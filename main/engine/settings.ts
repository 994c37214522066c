/** Sampling settings: package defaults overlaid with a request's, range-checked against the domain's limits. */
import { z } from 'zod';
import { MAX_SEED, randomSeed, SamplingSettings, Seed, type SamplingSetting } from '../common/sampling.js';
import { EngineError } from './errors.js';

/** What a number field of a schema allows, in words: "an integer from 1 to 64", "a number above 0 and at most 10". */
export function allowedRange(field: z.ZodType): string {
  const range = z.toJSONSchema(field) as { type?: string; minimum?: number; exclusiveMinimum?: number; maximum?: number; exclusiveMaximum?: number };
  const kind = range.type === 'integer' ? 'an integer' : 'a number';
  const max = range.maximum !== undefined && range.maximum < Number.MAX_SAFE_INTEGER ? range.maximum : undefined;
  if (range.minimum !== undefined && max !== undefined) return `${kind} from ${range.minimum} to ${max}`;
  const bounds = [
    range.minimum !== undefined ? `at least ${range.minimum}` : range.exclusiveMinimum !== undefined ? `above ${range.exclusiveMinimum}` : '',
    max !== undefined ? `at most ${max}` : range.exclusiveMaximum !== undefined ? `below ${range.exclusiveMaximum}` : '',
  ].filter(Boolean);
  return bounds.length ? `${kind} ${bounds.join(' and ')}` : kind;
}

/** One setting checked on its own; null when allowed, else what is allowed. */
export function settingRangeError(key: SamplingSetting, value: number): string | null {
  const field = SamplingSettings.shape[key];
  return field.safeParse(value).success ? null : allowedRange(field);
}

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
