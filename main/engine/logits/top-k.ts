import { rowOf, type LogitsBatch, type LogitsProcessor } from './processor.js';

/**
 * Keeps the k largest logits of each row and sets the rest to -Infinity. Tokens tied with
 * the k-th value are kept too (as transformers' TopKLogitsWarper does), so ties never
 * depend on index order.
 */
export class TopKProcessor implements LogitsProcessor {
  constructor(private readonly k: number) {
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`top-k needs k >= 1, got ${k}`);
  }

  process(logits: LogitsBatch): void {
    if (this.k >= logits.vocab) return;
    for (let r = 0; r < logits.rows; r++) {
      const row = rowOf(logits, r);
      const threshold = kthLargest(row, this.k);
      for (let v = 0; v < row.length; v++) if (row[v]! < threshold) row[v] = -Infinity;
    }
  }
}

/** The k-th largest value (1-based) of `values`. */
function kthLargest(values: Float32Array, k: number): number {
  const sorted = Float32Array.from(values).sort();
  return sorted[sorted.length - k]!;
}
