/** Sampling settings: package defaults overlaid with a request's, range-checked. */
import { z } from 'zod';
import { EngineError } from './errors.js';
import type { SamplingSettings } from './types.js';

export const SamplingSettingsSchema = z.strictObject({
  guidance: z.number().min(0).max(30),
  temperature: z.number().gt(0).max(10),
  topK: z.number().int().min(0),
  topP: z.number().gt(0).max(1),
  candidates: z.number().int().min(1).max(64),
});

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
export function settingRangeError(key: keyof SamplingSettings, value: number): string | null {
  const field = SamplingSettingsSchema.shape[key];
  return field.safeParse(value).success ? null : allowedRange(field);
}

export function resolveSettings(defaults: SamplingSettings, partial: Partial<SamplingSettings>): SamplingSettings {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined));
  const parsed = SamplingSettingsSchema.safeParse({ ...defaults, ...defined });
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
