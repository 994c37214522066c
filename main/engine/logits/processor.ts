/**
 * Logits processors, in the manner of transformers.js `generation/logits_process`: each
 * one edits a batch of next-token logits in place, for one position of the image.
 */

/** Next-token logits, row-major [rows, vocab]. */
export interface LogitsBatch {
  data: Float32Array;
  rows: number;
  vocab: number;
}

export interface LogitsProcessor {
  /** Edits `logits` in place for the token at raster `position`. */
  process(logits: LogitsBatch, position: number): void;
}

/** Applies processors in order. */
export function processLogits(processors: readonly LogitsProcessor[], logits: LogitsBatch, position: number): void {
  for (const processor of processors) processor.process(logits, position);
}

/** The row `r` of a batch as a view (no copy). */
export function rowOf(logits: LogitsBatch, r: number): Float32Array {
  return logits.data.subarray(r * logits.vocab, (r + 1) * logits.vocab);
}
