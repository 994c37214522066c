/**
 * The encoder–decoder family (package format 2, native-models/FORMAT.md; shapes-v1): a text
 * encoder computed once per prompt, a decoder with cross-attention and a per-layer
 * key/value cache, a VQ image encoder and detokenizer, and a contrastive reranker.
 */
import type { EngineOptions } from '../../types.js';
import type { DecodingRequest, DecodingState, LoadedModel, StepLogits } from '../model.js';
import { DecoderState, encodePrompts } from './decoder-state.js';
import { detokenize, encodeImages } from './image-tokens.js';
import { openPackage, type ModelPackage } from './package.js';
import { rerankScores } from './rerank.js';

/** Decoding rows read the prompt (conditional) or the negative prompt, empty by default (their unconditional twins). */
class ShapesDecoding implements DecodingState {
  readonly cacheBytesCopied = 0; // present_* outputs are fed back as past_* inputs as they are

  constructor(private readonly state: DecoderState, private readonly startTokenId: number) {}

  get rows(): number {
    return this.state.rows;
  }

  get cacheBytes(): number {
    return this.state.cacheBytes;
  }

  readonly graphMs = { decoder: 0 };

  begin(prefix: ArrayLike<number>, prefixLength: number): Promise<StepLogits> {
    const tokens: number[] = [];
    for (let r = 0; r < this.rows; r++) {
      tokens.push(this.startTokenId);
      for (let s = 0; s < prefixLength; s++) tokens.push(prefix[r * prefixLength + s]!);
    }
    return this.step(tokens, prefixLength + 1);
  }

  async step(tokens: ArrayLike<number>, steps: number): Promise<StepLogits> {
    const start = performance.now();
    const logits = await this.state.step(tokens, steps);
    this.graphMs.decoder += performance.now() - start;
    return logits;
  }
}

export function shapesModel(model: ModelPackage): LoadedModel {
  return {
    info: model.info,
    providers: model.providers,
    prepare: (text) => model.tokenizer.prepare(text),
    vocabulary: () => model.tokenizer.vocabulary(),
    async startDecoding({ prompt, negativePrompt, candidates, guided, useCache }: DecodingRequest) {
      const rows = guided ? 2 * candidates : candidates;
      const prompts = model.tokenizer.batch(guided ? [prompt, negativePrompt] : [prompt]);
      const rowPrompt = Array.from({ length: rows }, (_, r) => (r < candidates ? 0 : 1));
      const cross = await encodePrompts(model.sessions.textEncoder, prompts, rowPrompt);
      const state = new DecoderState(model.sessions.decoder, model.manifest.decoder, cross, rows, useCache);
      return new ShapesDecoding(state, model.manifest.decoder.startTokenId);
    },
    detokenize: (grids) => detokenize(model, grids),
    encodeImages: (images) => encodeImages(model, images),
    rerank: (prompt, grids) => rerankScores(model, prompt, grids),
    release: () => model.release(),
  };
}

export async function openShapesModel(dir: string, options: EngineOptions): Promise<LoadedModel> {
  return shapesModel(await openPackage(dir, options));
}
