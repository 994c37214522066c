/**
 * The decoder's state across steps (onnxruntime-genai's "State"): the prompt's
 * cross-attention keys/values, computed once, and the self-attention key/value cache that
 * grows by S positions per step. Also the uncached path (the whole prefix fed each step)
 * the benchmark compares against.
 */
import ort from 'onnxruntime-node';
import type { StepLogits } from '../model.js';
import type { Manifest } from './manifest.js';
import type { TokenBatch } from './text.js';

/**
 * The decoder inputs that stay the same for every step of a request: the prompt's
 * `attention_mask` and each text-encoder output (`cross_key.i`, `cross_value.i`, named as
 * the decoder's inputs), batch-expanded to the decoder's rows.
 */
export type PromptFeeds = Record<string, ort.Tensor>;

/** Per-layer cache names of the package format: `${prefix}.0`, `${prefix}.1`, … */
const layerNames = (prefix: string, layers: number) => Array.from({ length: layers }, (_, i) => `${prefix}.${i}`);

/**
 * Runs the text encoder on `prompts` and lays the result out for the decoder: decoder row r
 * reads prompt `rowPrompt[r]` (e.g. cond×n then uncond×n for guidance).
 */
export async function encodePrompts(
  textEncoder: ort.InferenceSession,
  prompts: TokenBatch,
  rowPrompt: readonly number[],
): Promise<PromptFeeds> {
  const shape = [prompts.rows, prompts.length];
  const out = await textEncoder.run({
    input_ids: new ort.Tensor('int64', prompts.inputIds, shape),
    attention_mask: new ort.Tensor('int64', prompts.attentionMask, shape),
  });
  const mask = new BigInt64Array(rowPrompt.length * prompts.length);
  rowPrompt.forEach((p, r) => mask.set(prompts.attentionMask.subarray(p * prompts.length, (p + 1) * prompts.length), r * prompts.length));
  const feeds: PromptFeeds = { attention_mask: new ort.Tensor('int64', mask, [rowPrompt.length, prompts.length]) };
  for (const [name, tensor] of Object.entries(out)) feeds[name] = selectRows(tensor, rowPrompt);
  return feeds;
}

/** Gathers rows along axis 0 of a [B, …] float tensor. */
function selectRows(tensor: ort.Tensor, rows: readonly number[]): ort.Tensor {
  const [, ...rest] = tensor.dims as number[];
  const source = tensor.data as Float32Array;
  const rowSize = rest.reduce((a, b) => a * b, 1);
  const out = new Float32Array(rows.length * rowSize);
  rows.forEach((row, r) => out.set(source.subarray(row * rowSize, (row + 1) * rowSize), r * rowSize));
  return new ort.Tensor('float32', out, [rows.length, ...rest]);
}

export class DecoderState {
  private pastKeys: ort.Tensor[];
  private pastValues: ort.Tensor[];
  /** Uncached path only: every token fed so far, [rows, length]. */
  private history: number[][];
  private readonly names: Record<'pastKey' | 'pastValue' | 'presentKey' | 'presentValue', string[]>;

  constructor(
    private readonly session: ort.InferenceSession,
    private readonly config: Manifest['decoder'],
    private readonly promptFeeds: PromptFeeds,
    readonly rows: number,
    private readonly useCache = true,
  ) {
    const { layers } = config;
    this.names = {
      pastKey: layerNames('past_key', layers), pastValue: layerNames('past_value', layers),
      presentKey: layerNames('present_key', layers), presentValue: layerNames('present_value', layers),
    };
    this.pastKeys = this.emptyCache();
    this.pastValues = this.emptyCache();
    this.history = Array.from({ length: rows }, () => []);
  }

  /** Bytes of self-attention cache held now. */
  get cacheBytes(): number {
    return [...this.pastKeys, ...this.pastValues].reduce((sum, t) => sum + t.size * 4, 0);
  }

  /** Positions already in the cache (P). */
  get length(): number {
    return this.useCache ? (this.pastKeys[0]!.dims[2] as number) : (this.history[0]?.length ?? 0);
  }

  /**
   * Feeds `steps` new tokens per row (`tokens` row-major [rows, steps]) and returns the
   * logits at each of those positions.
   */
  async step(tokens: ArrayLike<number>, steps: number): Promise<StepLogits> {
    const fed = this.useCache ? this.feedCached(tokens, steps) : this.feedUncached(tokens, steps);
    const feeds: Record<string, ort.Tensor> = { ...this.promptFeeds, input_ids: fed.ids };
    this.names.pastKey.forEach((name, i) => (feeds[name] = fed.pastKeys[i]!));
    this.names.pastValue.forEach((name, i) => (feeds[name] = fed.pastValues[i]!));
    const out = await this.session.run(feeds);
    const logits = out.logits!;
    const [, total, vocab] = logits.dims as number[];
    if (this.useCache) {
      this.pastKeys = this.names.presentKey.map((name) => out[name]!);
      this.pastValues = this.names.presentValue.map((name) => out[name]!);
    }
    // Only the last `steps` positions are new (the uncached path re-feeds the prefix).
    const data = logits.data as Float32Array;
    if (total === steps) return { data, rows: this.rows, steps, vocab: vocab! };
    const keep = new Float32Array(this.rows * steps * vocab!);
    for (let r = 0; r < this.rows; r++) {
      const from = (r * total! + total! - steps) * vocab!;
      keep.set(data.subarray(from, from + steps * vocab!), r * steps * vocab!);
    }
    return { data: keep, rows: this.rows, steps, vocab: vocab! };
  }

  private feedCached(tokens: ArrayLike<number>, steps: number) {
    return { ids: idsTensor(tokens, this.rows, steps), pastKeys: this.pastKeys, pastValues: this.pastValues };
  }

  private feedUncached(tokens: ArrayLike<number>, steps: number) {
    this.history.forEach((row, r) => {
      for (let s = 0; s < steps; s++) row.push(tokens[r * steps + s]!);
    });
    const length = this.history[0]!.length;
    return { ids: idsTensor(this.history.flat(), this.rows, length), pastKeys: this.emptyCache(), pastValues: this.emptyCache() };
  }

  /** One empty [rows, heads, 0, headDim] tensor per layer. */
  private emptyCache(): ort.Tensor[] {
    const { layers, heads, headDim } = this.config;
    return Array.from({ length: layers }, () => new ort.Tensor('float32', new Float32Array(0), [this.rows, heads, 0, headDim]));
  }
}

function idsTensor(tokens: ArrayLike<number>, rows: number, steps: number): ort.Tensor {
  const ids = new BigInt64Array(rows * steps);
  for (let i = 0; i < ids.length; i++) ids[i] = BigInt(tokens[i]!);
  return new ort.Tensor('int64', ids, [rows, steps]);
}
