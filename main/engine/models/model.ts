/**
 * The one interface between the engine's generic parts (generation, editing, previews,
 * ordering) and a model family (one folder each under models/, as onnxruntime-genai keeps
 * src/models/). A family owns its files, graphs, prompt template and key/value state; the
 * search (generate.ts), the logits processors (logits/) and the sampler know none of it.
 */
import type { PackageInfo, ProvidersReport, RgbaImage } from '../types.js';

/** A prompt as the model reads it, read once per request. */
export interface PreparedPrompt {
  /** As typed. */
  text: string;
  /** The whole prompt as the model reads it (shapes-v1: case folded, punctuation removed). */
  normalized: string;
  /** The model's prompt token ids (shapes-v1: `[bos] words… [eos]`; Janus: its chat format). */
  ids: number[];
  /** Words the vocabulary lacks, each once, in prompt order (word-level vocabularies only). */
  unknownWords: string[];
}

/** Logits for every fed position, row-major [rows, steps, vocab]. */
export interface StepLogits {
  data: Float32Array;
  rows: number;
  steps: number;
  vocab: number;
}

/**
 * One request's decoding state: rows are [cond_0 … cond_{n-1}] and, with guidance, their
 * unconditional twins after them. Tokens are image token ids, row-major [rows, steps].
 */
export interface DecodingState {
  readonly rows: number;
  /**
   * Feeds the prompt, then `prefix` image tokens per row (forced ones, editing), and returns
   * logits whose last step predicts image token `prefixLength`.
   */
  begin(prefix: ArrayLike<number>, prefixLength: number): Promise<StepLogits>;
  /** Feeds `steps` new image tokens per row; logits at each fed position. */
  step(tokens: ArrayLike<number>, steps: number): Promise<StepLogits>;
  /** Bytes of key/value cache the engine itself copied so far (the graphs' own Concat is not counted). */
  readonly cacheBytesCopied: number;
  /** Bytes of key/value cache held now. */
  readonly cacheBytes: number;
  /** Milliseconds spent in each graph so far, by graph name (for the bench's split). */
  readonly graphMs: Readonly<Record<string, number>>;
}

export interface DecodingRequest {
  prompt: PreparedPrompt;
  /** What the unconditional rows read when `guided`: the negative prompt, or the empty one. */
  negativePrompt: PreparedPrompt;
  candidates: number;
  guided: boolean;
  /** Benchmark only: false re-feeds the whole prefix every step (families that support it). */
  useCache: boolean;
}

export interface LoadedModel {
  info: PackageInfo;
  providers: ProvidersReport;
  /** Reads a prompt once: how the model reads it, its ids, the words it does not know. */
  prepare(text: string): PreparedPrompt;
  /** The words the model knows, for suggesting one in place of an unknown word (none for byte-level tokenizers). */
  vocabulary(): string[];
  startDecoding(request: DecodingRequest): Promise<DecodingState>;
  /** Token grids -> images at the model's resolution, one batch. */
  detokenize(grids: readonly Int32Array[]): Promise<RgbaImage[]>;
  /** Images at the model's resolution -> token grids. Throws NO_IMAGE_ENCODER (saying how to get one) where the folder has none. */
  encodeImages(images: readonly RgbaImage[]): Promise<Int32Array[]>;
  /** Contrastive prompt/image scores, where the model has a reranker; otherwise candidates are ordered by mean log-probability. */
  rerank?(prompt: PreparedPrompt, grids: readonly Int32Array[]): Promise<number[]>;
  release(): Promise<void>;
}
