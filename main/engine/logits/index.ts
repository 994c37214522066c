/** The processor chain for a request's settings, in the order they apply. */
import type { SamplingSettings } from '../types.js';
import { ForcedTokensProcessor } from './forced-tokens.js';
import type { LogitsProcessor } from './processor.js';
import { TemperatureProcessor } from './temperature.js';
import { TopKProcessor } from './top-k.js';
import { TopPProcessor } from './top-p.js';

export { applyGuidance } from './guidance.js';
export { processLogits, type LogitsBatch, type LogitsProcessor } from './processor.js';
export { ForcedTokensProcessor };

/** temperature -> top-k -> top-p -> forced tokens; processors that would do nothing are left out. */
export function buildProcessors(settings: SamplingSettings, forcedTokens?: Int32Array): LogitsProcessor[] {
  const processors: LogitsProcessor[] = [];
  if (settings.temperature !== 1) processors.push(new TemperatureProcessor(settings.temperature));
  if (settings.topK > 0) processors.push(new TopKProcessor(settings.topK));
  if (settings.topP < 1) processors.push(new TopPProcessor(settings.topP));
  if (forcedTokens) processors.push(new ForcedTokensProcessor(forcedTokens));
  return processors;
}
