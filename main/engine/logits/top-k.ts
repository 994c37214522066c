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

/**
 * The k-th largest value (1-based) of `values`: one pass keeping the k largest seen so far
 * in a min-heap. With k (64) far below the row length (18,435), almost every value loses
 * its one comparison with the heap's root, so this costs about one read per value, where
 * quickselect on a copy cost several passes.
 */
function kthLargest(values: Float32Array, k: number): number {
  const heap = values.slice(0, k).sort();
  for (let i = k; i < values.length; i++) {
    const v = values[i]!;
    if (v > heap[0]!) replaceRoot(heap, v);
  }
  return heap[0]!;
}

/** Replaces a min-heap's root with `value` and sifts it down. */
function replaceRoot(heap: Float32Array, value: number): void {
  const n = heap.length;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= n) break;
    const right = left + 1;
    const child = right < n && heap[right]! < heap[left]! ? right : left;
    if (heap[child]! >= value) break;
    heap[i] = heap[child]!;
    i = child;
  }
  heap[i] = value;
}
