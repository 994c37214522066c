import type { LogitsBatch, LogitsProcessor } from './processor.js';

/** Divides logits by the temperature: below 1 sharpens the distribution, above 1 flattens it. */
export class TemperatureProcessor implements LogitsProcessor {
  constructor(private readonly temperature: number) {
    if (!(temperature > 0)) throw new RangeError(`temperature must be > 0, got ${temperature}`);
  }

  process(logits: LogitsBatch): void {
    const scale = 1 / this.temperature;
    for (let i = 0; i < logits.data.length; i++) logits.data[i]! *= scale;
  }
}
