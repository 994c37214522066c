import { rowOf, type LogitsBatch, type LogitsProcessor } from './processor.js';

/**
 * Forces known tokens (editing: every cell outside the mask keeps the source's token). At a
 * forced position every row keeps only that token, so sampling must pick it; positions
 * marked FREE are left alone. Runs last, after any processor that could remove the token.
 */
export class ForcedTokensProcessor implements LogitsProcessor {
  static readonly FREE = -1;

  /** `tokens[position]` is the forced token id, or FREE. */
  constructor(private readonly tokens: Int32Array) {}

  process(logits: LogitsBatch, position: number): void {
    const token = this.tokens[position] ?? ForcedTokensProcessor.FREE;
    if (token === ForcedTokensProcessor.FREE) return;
    for (let r = 0; r < logits.rows; r++) {
      const row = rowOf(logits, r);
      const value = row[token]!;
      row.fill(-Infinity);
      row[token] = Number.isFinite(value) ? value : 0;
    }
  }
}
