/**
 * Janus decoding state: the prompt is prefilled into the language model's key/value cache
 * once, then each step embeds the sampled image tokens (gen_img_embeds), runs one decoder
 * step with the cache, and maps the hidden states to image-code logits (gen_head). Each
 * step's `present.*` outputs are the next step's `past_key_values.*` inputs as they are: the
 * engine copies no cache (the graph's own attention appends the new position).
 */
import ort from 'onnxruntime-node';
import type { DecodingState, StepLogits } from '../model.js';
import { emptyTensor, floatData, floatTensor } from './tensors.js';

export interface JanusGraphs {
  prepareInputsEmbeds: ort.InferenceSession;
  languageModel: ort.InferenceSession;
  genHead: ort.InferenceSession;
  genImgEmbeds: ort.InferenceSession;
}

/** One prompt row: its token ids and whether the language model attends to them. */
export interface PromptRow {
  ids: number[];
  attended: boolean;
  /** Leading pad ids (never attended) that bring a shorter prompt (a negative one) to the rows' length. */
  padding?: number;
}

/** Left-pads every row to the longest with `padId`, so that one batch holds prompts of different lengths. */
export function padRows(rows: readonly PromptRow[], padId: number): PromptRow[] {
  const length = Math.max(...rows.map((row) => row.ids.length));
  return rows.map((row) => {
    const padding = length - row.ids.length;
    return padding === 0 ? row : { ids: [...Array<number>(padding).fill(padId), ...row.ids], attended: row.attended, padding };
  });
}

const paddingOf = (row: PromptRow): number => row.padding ?? 0;

const pastName = (present: string) => present.replace(/^present/, 'past_key_values');

function inputType(session: ort.InferenceSession, name: string): string {
  const meta = session.inputMetadata.find((m) => m.name === name);
  return meta && meta.isTensor ? meta.type : 'float32';
}

/** `tensor` as the element type a graph input declares (float32 and float16 graphs may be mixed). */
function asInput(session: ort.InferenceSession, name: string, tensor: ort.Tensor): ort.Tensor {
  const type = inputType(session, name);
  return type === tensor.type ? tensor : floatTensor(type, floatData(tensor), tensor.dims);
}

export class JanusDecoding implements DecodingState {
  readonly cacheBytesCopied = 0;
  readonly graphMs: Record<string, number> = {};
  readonly rows: number;
  private past: Record<string, ort.Tensor> = {};
  private length = 0;
  private readonly nextPosition: number[];
  private readonly hiddenName: string;

  /**
   * `rowPrompts[r]` is row r's prompt (conditional rows first, then unconditional twins); all
   * rows have the same length. A row that does not attend to its prompt (transformers.js's
   * unconditional row) takes position 1 there, and its image tokens count from 0, as
   * transformers.js derives positions from the attention mask.
   */
  constructor(
    private readonly graphs: JanusGraphs,
    private readonly rowPrompts: readonly PromptRow[],
    private readonly shape: { resolution: number; imageTokens: number; kvHeads: number; headDim: number },
  ) {
    this.rows = rowPrompts.length;
    this.nextPosition = rowPrompts.map((row) => (row.attended ? row.ids.length - paddingOf(row) : 0));
    this.hiddenName = graphs.languageModel.outputNames.find((name) => !name.startsWith('present'))!;
  }

  async begin(prefix: ArrayLike<number>, prefixLength: number): Promise<StepLogits> {
    const promptLength = this.rowPrompts[0]!.ids.length;
    const embeds = await this.promptEmbeddings();
    const mask = new BigInt64Array(this.rows * promptLength);
    const positions = new BigInt64Array(this.rows * promptLength);
    this.rowPrompts.forEach((row, r) => {
      const padding = paddingOf(row);
      for (let t = 0; t < promptLength; t++) {
        mask[r * promptLength + t] = row.attended && t >= padding ? 1n : 0n;
        positions[r * promptLength + t] = BigInt(row.attended ? Math.max(0, t - padding) : 1);
      }
    });
    const lm = this.graphs.languageModel;
    const feeds: Record<string, ort.Tensor> = { ...this.emptyCache() };
    feeds.inputs_embeds = asInput(lm, 'inputs_embeds', embeds);
    feeds.attention_mask = new ort.Tensor('int64', mask, [this.rows, promptLength]);
    if (lm.inputNames.includes('position_ids')) feeds.position_ids = new ort.Tensor('int64', positions, [this.rows, promptLength]);
    const out = await this.timed('language_model', lm, feeds);
    this.keepCache(out);
    this.length = promptLength;
    if (prefixLength > 0) return this.step(prefix, prefixLength);
    return this.head(lastPosition(out[this.hiddenName]!), 1);
  }

  async step(tokens: ArrayLike<number>, steps: number): Promise<StepLogits> {
    const ids = new BigInt64Array(this.rows * steps);
    for (let i = 0; i < ids.length; i++) ids[i] = BigInt(tokens[i]!);
    const embedder = this.graphs.genImgEmbeds;
    const embedded = await this.timed('gen_img_embeds', embedder, { [embedder.inputNames[0]!]: new ort.Tensor('int64', ids, [this.rows, steps]) });
    const total = this.length + steps;
    const promptLength = this.rowPrompts[0]!.ids.length;
    const mask = new BigInt64Array(this.rows * total).fill(1n);
    const positions = new BigInt64Array(this.rows * steps);
    this.rowPrompts.forEach((row, r) => {
      if (!row.attended) mask.fill(0n, r * total, r * total + promptLength);
      else mask.fill(0n, r * total, r * total + paddingOf(row));
      for (let s = 0; s < steps; s++) positions[r * steps + s] = BigInt(this.nextPosition[r]! + s);
      this.nextPosition[r]! += steps;
    });
    const lm = this.graphs.languageModel;
    const feeds: Record<string, ort.Tensor> = { ...this.past };
    feeds.inputs_embeds = asInput(lm, 'inputs_embeds', embedded[embedder.outputNames[0]!]!);
    feeds.attention_mask = new ort.Tensor('int64', mask, [this.rows, total]);
    if (lm.inputNames.includes('position_ids')) feeds.position_ids = new ort.Tensor('int64', positions, [this.rows, steps]);
    const out = await this.timed('language_model', lm, feeds);
    this.keepCache(out);
    this.length = total;
    return this.head(out[this.hiddenName]!, steps);
  }

  get cacheBytes(): number {
    return Object.values(this.past).reduce((sum, t) => sum + t.size * (t.type === 'float16' ? 2 : 4), 0);
  }

  private async head(hidden: ort.Tensor, steps: number): Promise<StepLogits> {
    const head = this.graphs.genHead;
    const out = await this.timed('gen_head', head, { [head.inputNames[0]!]: asInput(head, head.inputNames[0]!, hidden) });
    const logits = out[head.outputNames[0]!]!;
    return { data: floatData(logits), rows: this.rows, steps, vocab: logits.dims.at(-1)! };
  }

  /** The prompt's embeddings for every row: one prepare_inputs_embeds run per distinct prompt, each as transformers.js feeds it. */
  private async promptEmbeddings(): Promise<ort.Tensor> {
    const graph = this.graphs.prepareInputsEmbeds;
    const byPrompt = new Map<string, ort.Tensor>();
    for (const row of this.rowPrompts) {
      const key = row.ids.join(',');
      if (byPrompt.has(key)) continue;
      const length = row.ids.length;
      const feeds: Record<string, ort.Tensor> = {
        input_ids: new ort.Tensor('int64', BigInt64Array.from(row.ids, BigInt), [1, length]),
        // Text to image: no image in the prompt (transformers.js's dummy, [0, 0, 3, R, R]).
        pixel_values: floatTensor(inputType(graph, 'pixel_values'), new Float32Array(0), [0, 0, 3, this.shape.resolution, this.shape.resolution]),
        images_seq_mask: new ort.Tensor('bool', new Uint8Array(length), [1, length]),
        images_emb_mask: new ort.Tensor('bool', new Uint8Array(0), [1, 0, this.shape.imageTokens]),
      };
      const out = await this.timed('prepare_inputs_embeds', graph, Object.fromEntries(graph.inputNames.map((name) => [name, feeds[name]!])));
      byPrompt.set(key, out[graph.outputNames[0]!]!);
    }
    const first = byPrompt.values().next().value!;
    const [, length, hidden] = first.dims as number[];
    const rowSize = length! * hidden!;
    const source = (key: string) => byPrompt.get(key)!.data as Float32Array | Uint16Array;
    const data = first.type === 'float16' ? new Uint16Array(this.rows * rowSize) : new Float32Array(this.rows * rowSize);
    this.rowPrompts.forEach((row, r) => data.set(source(row.ids.join(',')), r * rowSize));
    return new ort.Tensor(first.type as 'float32', data as Float32Array, [this.rows, length!, hidden!]);
  }

  private async timed(graph: string, session: ort.InferenceSession, feeds: Record<string, ort.Tensor>) {
    const start = performance.now();
    const out = await session.run(feeds);
    this.graphMs[graph] = (this.graphMs[graph] ?? 0) + performance.now() - start;
    return out;
  }

  private emptyCache(): Record<string, ort.Tensor> {
    const lm = this.graphs.languageModel;
    const cache: Record<string, ort.Tensor> = {};
    for (const meta of lm.inputMetadata) {
      if (!meta.name.startsWith('past_key_values') || !meta.isTensor) continue;
      cache[meta.name] = emptyTensor(meta.type, [this.rows, this.shape.kvHeads, 0, this.shape.headDim]);
    }
    return cache;
  }

  private keepCache(out: ort.InferenceSession.OnnxValueMapType): void {
    for (const [name, tensor] of Object.entries(out)) if (name.startsWith('present')) this.past[pastName(name)] = tensor;
  }
}

/** [rows, S, H] -> [rows, 1, H]: the prompt's last position, the only one whose logits are sampled. */
function lastPosition(hidden: ort.Tensor): ort.Tensor {
  const [rows, length, width] = hidden.dims as number[];
  const data = hidden.data as Float32Array | Uint16Array;
  const out = data instanceof Uint16Array ? new Uint16Array(rows! * width!) : new Float32Array(rows! * width!);
  for (let r = 0; r < rows!; r++) out.set(data.subarray((r * length! + length! - 1) * width!, (r * length! + length!) * width!), r * width!);
  return new ort.Tensor(hidden.type as 'float32', out as Float32Array, [rows!, 1, width!]);
}
