/**
 * The engine's public API. The studio (main/studio/) and the command line (main/cli/)
 * use only what this file exports.
 *
 *   const engine = await Engine.open({ provider: 'auto', userModelsDir });
 *   const result = await engine.generate({ prompt, seed, settings }, { onProgress, signal });
 *   const png = encodePng(result.candidates[0].image, metadataOf(result, 0));
 *
 * Requests run one at a time, in the order they were made (a job queue); aborting a
 * request's signal removes it from the queue or stops it mid-decode within 50 ms, and the
 * call rejects with `EngineError` code `CANCELLED`.
 */
import { resolveSettings } from './settings.js';
import { findModelDir, openModel, type LoadedModel } from './models/index.js';
import { generateImages } from './generate.js';
import { editImage } from './edit.js';
import { extendImage } from './extend.js';
import { varyImage } from './variation.js';
import { JobQueue } from './queue.js';
export { MAX_WAITING_JOBS } from './queue.js';
import { availableProviders, checkProviders } from './providers.js';
import type { ProviderCheck } from '../common/providers.js';
import type {
  EditRequest,
  EditResult,
  EngineOptions,
  ExtendRequest,
  ExtendResult,
  GenerateRequest,
  GenerateResult,
  ImageParameters,
  PackageInfo,
  ProvidersReport,
  RunOptions,
  SamplingSettings,
  VariationRequest,
  VariationResult,
} from './types.js';

export * from './types.js';
export { EngineError, isEngineError, type EngineErrorCode } from './errors.js';
export { resolveSeed, settingRangeError } from './settings.js';
export { providerFallbacks, type ProviderFallback } from './providers.js';
export { encodePng, decodePng, isPng, readPngMetadata, readPngText, readPngTokens, formatParameters, MAX_TEXT_CHUNK_BYTES, MAX_TEXT_TOTAL_BYTES } from './png.js';
export { maskToCells } from './edit.js';
export { keptCells } from './variation.js';
export { describeModelFolder, discoverModels } from './models/index.js';
export { PRECISION_SUFFIX } from './models/janus/precision.js';
export { prepareSourceImage, loadImage, MAX_INPUT_PIXELS, MAX_WORKING_SIDE } from './image.js';

export class Engine {
  private readonly queue = new JobQueue();

  private constructor(private readonly model: LoadedModel) {}

  /** Providers this onnxruntime build can load on this machine. */
  static availableProviders(): string[] {
    return availableProviders();
  }

  /** Which of those really start here (tried once per process), with the reasons for the others. */
  static checkProviders(): Promise<ProviderCheck[]> {
    return checkProviders();
  }

  /**
   * Finds, verifies and opens a model folder (a package: sizes, sha256, graph interfaces; a
   * Hugging Face layout: its configs and graph names), creating every ONNX session once.
   * Rejects with EngineError (PACKAGE_NOT_FOUND, PACKAGE_INVALID, PACKAGE_VERSION,
   * FILE_MISSING, FILE_TRUNCATED, FILE_CORRUPT, GRAPH_MISMATCH).
   */
  static async open(options: EngineOptions = {}): Promise<Engine> {
    const dir = options.packageDir ?? (await findModelDir(options));
    return new Engine(await openModel(dir, options));
  }

  /** The open package. */
  get package(): PackageInfo {
    return this.model.info;
  }

  /** The provider setting and the provider each session really runs on. */
  get providers(): ProvidersReport {
    return this.model.providers;
  }

  /** Requests waiting or running. */
  get pendingJobs(): number {
    return this.queue.size;
  }

  /** Throws QUEUE_FULL when a new request would be refused (MAX_WAITING_JOBS already wait). */
  checkQueueRoom(): void {
    this.queue.checkRoom();
  }

  /** Normalised words of the prompt that the model does not know (read as [unk]). */
  unknownWords(prompt: string): string[] {
    return this.model.prepare(prompt).unknownWords;
  }

  /** The words the model knows, for suggesting one in place of an unknown word. */
  vocabulary(): string[] {
    return this.model.vocabulary();
  }

  /** The package defaults overlaid with `partial`; throws BAD_REQUEST for out-of-range values. */
  settings(partial: Partial<SamplingSettings> = {}): SamplingSettings {
    return resolveSettings(this.model.info.defaults, partial);
  }

  /** Samples `candidates` images for a prompt, best (by the reranker) first. */
  generate(request: GenerateRequest, options: RunOptions = {}): Promise<GenerateResult> {
    return this.queue.run((signal) => generateImages(this.model, request, { ...options, signal }), options.signal);
  }

  /** Regenerates the masked part of an image; see EditRequest. */
  edit(request: EditRequest, options: RunOptions = {}): Promise<EditResult> {
    return this.queue.run((signal) => editImage(this.model, request, { ...options, signal }), options.signal);
  }

  /** Grows the image by whole token rows or columns on one side; see ExtendRequest. */
  extend(request: ExtendRequest, options: RunOptions = {}): Promise<ExtendResult> {
    return this.queue.run((signal) => extendImage(this.model, request, { ...options, signal }), options.signal);
  }

  /** Keeps a share of an image's cells and resamples the rest; see VariationRequest. */
  vary(request: VariationRequest, options: RunOptions = {}): Promise<VariationResult> {
    return this.queue.run((signal) => varyImage(this.model, request, { ...options, signal }), options.signal);
  }

  /** Cancels queued and running jobs, then releases the sessions. */
  async close(): Promise<void> {
    await this.queue.close();
    await this.model.release();
  }
}

/** PNG metadata for one candidate of a result (`rank` = its position in `candidates`). */
export function metadataOf(result: GenerateResult | EditResult | ExtendResult | VariationResult, rank: number): ImageParameters {
  return {
    kind: result.kind,
    prompt: result.prompt,
    seed: result.seed,
    settings: result.settings,
    ...(result.negativePrompt ? { negativePrompt: result.negativePrompt } : {}),
    modelId: result.modelId,
    rank,
    ...('sourceId' in result && result.sourceId !== undefined ? { sourceId: result.sourceId } : {}),
    ...('extension' in result ? { extension: result.extension } : {}),
    ...('variation' in result ? { variation: result.variation } : {}),
  };
}
