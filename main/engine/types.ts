/**
 * Public types of the generation engine. Everything the studio (main/studio/) and the
 * command line exchange with the engine is declared here; nothing here depends on
 * onnxruntime, sharp or electron, so these types may be imported anywhere.
 */

import type { ExtendAmount, ExtendSide, ExtensionParameters } from '../common/extension.js';
import type { ImageParameters } from '../common/image-parameters.js';
import type { ProviderSetting } from '../common/providers.js';
import type { RunTimings } from '../common/run-timings.js';
import type { SamplingSettings } from '../common/sampling.js';
import type { ScoreKind } from '../common/scores.js';
import type { VariationKeep, VariationParameters } from '../common/variation.js';

export type { ExtendAmount, ExtendSide, ExtensionParameters, ImageParameters, ProviderSetting, SamplingSettings, ScoreKind, VariationKeep, VariationParameters };

/** The six graphs of a model package (keys of `manifest.graphs`). */
export type GraphName = 'textEncoder' | 'decoder' | 'imageEncoder' | 'detokenizer' | 'rerankerText' | 'rerankerImage';

/** Which provider one session really runs on, and why if it is not the one asked for. */
export interface SessionProvider {
  /** The graph: a package's graph name (`decoder`) or a Hugging Face layout's file stem (`language_model`). */
  graph: string;
  /** The provider the session was created with ('cpu', 'webgpu', 'cuda', …). */
  provider: string;
  /** Providers tried first that failed to start, each with its error message. */
  fallbacks: { provider: string; error: string }[];
}

export interface ProvidersReport {
  setting: ProviderSetting;
  /** Providers this onnxruntime build can load on this platform. */
  available: string[];
  sessions: SessionProvider[];
  /** The graph that runs once per image token (shapes: `decoder`; Janus: `language_model`): its provider sets the speed. */
  decodingGraph: string;
  /** ONNX Runtime intra-op threads per session; null is its default, one per core. */
  intraOpThreads: number | null;
}

/** An 8-bit RGBA image, row-major, ready for canvas `ImageData`. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** An image given to the engine: a file path, encoded bytes (PNG, JPEG, WebP…) or raw RGBA. */
export type ImageSource = string | Uint8Array | RgbaImage;

export interface GenerateRequest {
  prompt: string;
  /** uint32; a random one is drawn (and reported in the result) when left out. */
  seed?: number;
  /** Any left out take the package's `defaults`. */
  settings?: Partial<SamplingSettings>;
  /** With guidance on, what the unconditional rows read instead of the empty prompt: what to steer away from. */
  negativePrompt?: string;
}

export interface EditRequest extends GenerateRequest {
  /** The picture to edit, any size: centre-cropped to a square and resized to the model's resolution. */
  image: ImageSource;
  /** Any size (stretched to the image's size); white (>= 50 % grey) marks what to regenerate. */
  mask: ImageSource;
  /** The library id of the source image, recorded in the result's PNG metadata. */
  sourceId?: string;
}

/** Extending the canvas (main/engine/extend.ts): grow the image by whole token rows or columns on one side. */
export interface ExtendRequest extends GenerateRequest, ExtendAmount {
  /**
   * The source: a PNG this model made carries its token canvas (square or already extended);
   * any other image is centre-cropped, resized to the model's resolution and encoded.
   */
  image: ImageSource;
  /** The library id of the source image, recorded in the result's PNG metadata. */
  sourceId?: string;
}

/** "More like this": keep a share of the source's cells exactly and resample the rest (main/engine/variation.ts). */
export interface VariationRequest extends GenerateRequest, VariationParameters {
  /** The source, any size: a PNG this model made carries its tokens; others are centre-cropped and encoded. */
  image: ImageSource;
  /** The library id of the source image, recorded in the result's PNG metadata. */
  sourceId?: string;
}

export const GENERATION_PHASES = ['encode', 'decode', 'detokenize', 'rerank', 'composite'] as const;
export type GenerationPhase = (typeof GENERATION_PHASES)[number];

export interface ProgressEvent {
  phase: GenerationPhase;
  /** Image tokens decoded so far (of `totalTokens`). */
  tokensDone: number;
  totalTokens: number;
  /**
   * During `decode`, at least every eighth of the tokens: one partial image per candidate,
   * in candidate (not rank) order, at the model's resolution. Cells not decoded yet are
   * transparent (alpha 0).
   */
  previews?: RgbaImage[];
}

export interface RunOptions {
  onProgress?: (event: ProgressEvent) => void;
  /** Aborting rejects the call with an EngineError of code `CANCELLED`, within 50 ms. */
  signal?: AbortSignal;
}

export interface Candidate {
  /** Position in the sampled batch (the candidate's own random stream). */
  index: number;
  /** Image tokens, raster order, grid × grid. */
  tokens: Int32Array;
  image: RgbaImage;
  /** Higher is better; which score it is: the result's `scoreKind`. */
  score: number;
  /** Edits only: mean log-likelihood of the forced tokens after the first regenerated cell. */
  fit?: number;
}

export interface GenerateResult {
  kind: 'generate' | 'edit' | 'extend' | 'variation';
  prompt: string;
  /** The prompt as the model read it (case folded, punctuation removed). */
  normalizedPrompt: string;
  /** Normalised words the tokenizer does not know (read as [unk]). */
  unknownWords: string[];
  seed: number;
  settings: SamplingSettings;
  /** The negative prompt the unconditional rows read; absent when there was none. */
  negativePrompt?: string;
  modelId: string;
  /** Best first. */
  candidates: Candidate[];
  /** What `Candidate.score` is (the model's reranker, or its own mean log-probability of the sampled tokens). */
  scoreKind: ScoreKind;
  timings: RunTimings;
}

export interface EditResult extends GenerateResult {
  kind: 'edit';
  sourceId?: string;
  /** grid × grid, raster order; true for each cell that was regenerated. */
  maskedCells: boolean[];
  /** Each candidate's image composited over the source crop (same order as `candidates`). */
  composites: RgbaImage[];
}

export interface ExtendResult extends GenerateResult {
  kind: 'extend';
  sourceId?: string;
  /** The side, the amount and the new canvas (columns × rows of token cells). */
  extension: ExtensionParameters;
  /** The top-left cell of the grid × grid window that was generated; `candidates` are that window. */
  window: { column: number; row: number };
  /** Per candidate (same order), the whole canvas: its tokens (raster order, columns × rows) and its pixels, the source's own over the source's area. */
  canvasTokens: Int32Array[];
  composites: RgbaImage[];
}

export interface VariationResult extends GenerateResult {
  kind: 'variation';
  sourceId?: string;
  variation: VariationParameters;
  /** grid × grid, raster order; true for each cell kept from the source. */
  keptCells: boolean[];
}

/** Model families (main/engine/models/): this project's package format 2, and Janus-Pro's Hugging Face layout. */
export type ModelFamily = 'shapes' | 'janus';


/** A model found by discovery. `error` is set (and the model unusable) when its folder is invalid. */
export interface PackageInfo {
  id: string;
  name: string;
  description: string;
  dir: string;
  source: 'embedded' | 'user';
  family: ModelFamily;
  /** The graphs' precision, e.g. `fp32` or `language_model q4, others fp32`; empty until opened. */
  precision: string;
  scoreKind: ScoreKind;
  resolution: number;
  grid: number;
  defaults: SamplingSettings;
  /** A closed-vocabulary model's words by kind, for the prompt's word chips; empty for open vocabularies. */
  wordGroups: { label: string; words: string[] }[];
  error?: string;
}

export interface EngineOptions {
  /** Folder of the package to open, bypassing discovery (`modelId` is then ignored). */
  packageDir?: string;
  /** Package id to open; the first valid embedded package when left out. */
  modelId?: string;
  /** Folder of user packages (each a sub-folder), searched after the embedded ones. */
  userModelsDir?: string;
  /** Folder of embedded packages; defaults to the repository's `native-models/`. */
  embeddedModelsDir?: string;
  provider?: ProviderSetting;
  /** Called for non-fatal problems (an invalid or shadowed user package); provider fallbacks are in `providers`. */
  onWarning?: (message: string) => void;
  /** ONNX Runtime intra-op threads per session; its default (one per core) when left out. */
  threads?: number;
  /** Skip the sha256 check when opening (sizes are still checked). Default false. */
  skipChecksums?: boolean;
  /**
   * Hugging Face layouts: the graph precision (file suffix: fp32, fp16, q4, q4f16, q8, …) to
   * use wherever that file exists; by default the best the provider runs (models/janus/precision.ts).
   */
  precision?: string;
  /**
   * 4-bit graphs on CPU compute in int8 (MatMulNBits accuracy level 4, graph-rewrite.ts), about
   * 4× faster than the published files' fp32 widening; false runs the files exactly as
   * transformers.js does. Default true.
   */
  int8Compute?: boolean;
}
