import { rowOf, type LogitsBatch, type LogitsProcessor } from './processor.js';

/**
 * Nucleus sampling: keeps the most likely tokens of each row until their probabilities sum
 * to at least p (always at least one), and sets the rest to -Infinity.
 */
export class TopPProcessor implements LogitsProcessor {
  constructor(private readonly p: number) {
    if (!(p > 0 && p <= 1)) throw new RangeError(`top-p needs 0 < p <= 1, got ${p}`);
  }

  process(logits: LogitsBatch): void {
    if (this.p >= 1) return;
    for (let r = 0; r < logits.rows; r++) {
      const row = rowOf(logits, r);
      const order = Array.from(row.keys()).sort((a, b) => row[b]! - row[a]! || a - b);
      const max = row[order[0]!]!;
      const weights = order.map((v) => Math.exp(row[v]! - max));
      const total = weights.reduce((sum, w) => sum + w, 0);
      let cumulative = 0;
      let kept = 0;
      while (kept < order.length && cumulative < this.p * total) cumulative += weights[kept++]!;
      for (let i = kept; i < order.length; i++) row[order[i]!] = -Infinity;
    }
  }
}
