import type { LogitsBatch } from './processor.js';

/**
 * Classifier-free guidance. The decoder runs conditional and unconditional rows in one
 * batch, laid out [cond_0 … cond_{n-1}, uncond_0 … uncond_{n-1}]; candidate i's guided
 * logits are uncond_i + scale × (cond_i − uncond_i). Returns a new batch of n rows (this
 * processor changes the row count, so it runs first and is not a LogitsProcessor).
 */
export function applyGuidance(logits: LogitsBatch, scale: number): LogitsBatch {
  const rows = logits.rows / 2;
  if (!Number.isInteger(rows)) throw new Error(`guidance needs cond and uncond rows, got ${logits.rows} rows`);
  const half = rows * logits.vocab;
  const source = logits.data;
  const data = new Float32Array(half);
  for (let i = 0; i < half; i++) {
    const uncond = source[half + i]!;
    data[i] = uncond + scale * (source[i]! - uncond);
  }
  return { data, rows, vocab: logits.vocab };
}
