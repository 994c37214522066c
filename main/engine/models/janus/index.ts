/**
 * The decoder-only family: Janus-Pro in the Hugging Face ONNX layout, opened as published
 * (no conversion). Prompt: DeepSeek's `deepseek` SFT format for one user turn, then the
 * image start tag (what the folder's `text_to_image` chat template writes; the template
 * itself is Jinja, which this engine does not evaluate). Unconditional row for guidance:
 * DeepSeek's (generation_inference.py: the prompt with every token but the first and the
 * last replaced by the pad token, all attended), the row Janus-Pro was trained and
 * published with; transformers.js instead pads the whole row and masks it out, which gives
 * the unconditional logits of an all-masked attention. The transformers.js row is kept for
 * the parity test and the side-by-side bench.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import ort from 'onnxruntime-node';
import { EngineError } from '../../errors.js';
import { cpuGraphSource } from '../../graph-rewrite.js';
import { availableProviders, createSession, defaultThreads, providerOrder, type GraphSource } from '../../providers.js';
import type { EngineOptions, PackageInfo, RgbaImage, SessionProvider } from '../../types.js';
import type { DecodingRequest, LoadedModel } from '../model.js';
import { janusInfo, readJanusConfig, type JanusConfig } from './folder.js';
import { chooseGraphFile, describePrecisions } from './precision.js';
import { JanusDecoding, padRows, type JanusGraphs, type PromptRow } from './state.js';
import { floatData } from './tensors.js';

export type UnconditionalRow = 'deepseek' | 'transformers.js';

const GRAPHS = {
  prepareInputsEmbeds: 'prepare_inputs_embeds',
  languageModel: 'language_model',
  genHead: 'gen_head',
  genImgEmbeds: 'gen_img_embeds',
  imageDecode: 'image_decode',
} as const;
/** Not in the ONNX export: native-models/janus/export_image_encoder.py writes it. */
export const IMAGE_ENCODER = 'image_encoder';

/** The one-line answer to editing an outside image without the encoder. */
export function noImageEncoderMessage(dir: string): string {
  return (
    `Editing an image the studio did not make needs the Janus VQ image encoder, which the ONNX export does not ship: ` +
    `write ${path.join(dir, 'onnx', `${IMAGE_ENCODER}.onnx`)} with ` +
    `"/usr/bin/python3 native-models/janus/export_image_encoder.py --weights <deepseek-ai/Janus-Pro-1B folder> --out ${dir}".`
  );
}

class JanusPrompt {
  private constructor(private readonly tokenizer: Tokenizer, private readonly config: JanusConfig, private readonly bosId: number) {}

  static async load(config: JanusConfig): Promise<JanusPrompt> {
    const read = async (file: string) => JSON.parse(await readFile(path.join(config.dir, file), 'utf8')) as object;
    const tokenizer = new Tokenizer(await read('tokenizer.json'), await read('tokenizer_config.json'));
    const bosId = tokenizer.token_to_id(config.bosToken);
    if (bosId === undefined) throw new EngineError('PACKAGE_INVALID', `${config.dir}/tokenizer.json lacks the BOS token ${config.bosToken}.`);
    return new JanusPrompt(tokenizer, config, bosId);
  }

  /** BOS, "<|User|>: PROMPT\n\n<|Assistant|>:", the image start tag. */
  ids(prompt: string): number[] {
    const text = `<|User|>: ${prompt.trim()}\n\n<|Assistant|>:${this.config.imageStartTag}`;
    return [this.bosId, ...this.tokenizer.encode(text, { add_special_tokens: false }).ids];
  }

  unconditional(ids: readonly number[], style: UnconditionalRow): PromptRow {
    const pad = this.config.padId;
    if (style === 'transformers.js') return { ids: ids.map(() => pad), attended: false };
    return { ids: ids.map((id, t) => (t === 0 || t === ids.length - 1 ? id : pad)), attended: true };
  }
}

/** RGBA from image_decode's [B, 3, R, R] in [-1, 1], as transformers.js maps it: (x + 1) · 255 / 2, clamped, truncated. */
function decodedImages(tensor: ort.Tensor, count: number, resolution: number): RgbaImage[] {
  const pixels = floatData(tensor);
  const plane = resolution * resolution;
  return Array.from({ length: count }, (_, b) => {
    const data = new Uint8ClampedArray(plane * 4);
    for (let i = 0; i < plane; i++) {
      for (let c = 0; c < 3; c++) {
        const value = ((pixels[(b * 3 + c) * plane + i]! + 1) * 255) / 2;
        data[i * 4 + c] = Math.trunc(Math.min(255, Math.max(0, value)));
      }
      data[i * 4 + 3] = 255;
    }
    return { width: resolution, height: resolution, data };
  });
}

/** [B, 3, R, R] in [-1, 1] from RGBA images at the model's resolution. */
function encoderPixels(images: readonly RgbaImage[], resolution: number): Float32Array {
  const plane = resolution * resolution;
  const out = new Float32Array(images.length * 3 * plane);
  images.forEach((image, b) => {
    for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) out[(b * 3 + c) * plane + i] = (image.data[i * 4 + c]! / 255) * 2 - 1;
  });
  return out;
}

function requireNames(session: ort.InferenceSession, graph: string, side: 'inputs' | 'outputs', names: string[]): void {
  const present = side === 'inputs' ? session.inputNames : session.outputNames;
  const missing = names.filter((name) => !present.includes(name));
  if (missing.length > 0) {
    throw new EngineError('GRAPH_MISMATCH', `onnx/${graph} lacks the ${side} ${missing.join(', ')} of the Janus layout (it has ${present.join(', ')}).`);
  }
}

function checkInterfaces(graphs: JanusGraphs & { imageDecode: ort.InferenceSession }, config: JanusConfig): void {
  requireNames(graphs.prepareInputsEmbeds, GRAPHS.prepareInputsEmbeds, 'inputs', ['input_ids']);
  requireNames(graphs.languageModel, GRAPHS.languageModel, 'inputs', ['inputs_embeds', 'attention_mask', 'past_key_values.0.key', 'past_key_values.0.value']);
  requireNames(graphs.languageModel, GRAPHS.languageModel, 'outputs', [`present.${config.layers - 1}.key`, `present.${config.layers - 1}.value`]);
  requireNames(graphs.imageDecode, GRAPHS.imageDecode, 'inputs', ['generated_tokens']);
  requireNames(graphs.imageDecode, GRAPHS.imageDecode, 'outputs', ['decoded_image']);
}

/** Opens a Janus folder: reads its configs, picks each graph's precision for the provider, creates the sessions once. */
export async function openJanusModel(dir: string, options: EngineOptions = {}, unconditionalRow: UnconditionalRow = 'deepseek'): Promise<LoadedModel> {
  const config = await readJanusConfig(dir);
  const prompt = await JanusPrompt.load(config);
  const onnxDir = path.join(dir, 'onnx');
  const setting = options.provider ?? 'auto';
  const order = providerOrder(setting);
  const failed = new Map<string, string>();
  // By the weights' fp32 size, not the file's: a 4-bit file of a wide model still runs wide MatMuls.
  const threads = options.threads ?? defaultThreads(config.decoderFp32Bytes);
  const sessions: Record<string, ort.InferenceSession> = {};
  const reports: SessionProvider[] = [];
  const precisions: Record<string, string> = {};
  const int8 = new Set<string>();
  const source = (graph: string, provider: string): GraphSource => {
    const { file, precision } = chooseGraphFile(onnxDir, graph, provider, options.precision);
    if (provider !== 'cpu') return file;
    const rewritten = cpuGraphSource(file, precision === 'q4' && options.int8Compute !== false);
    if (rewritten.int8Nodes > 0) int8.add(graph);
    return rewritten.source;
  };
  const open = async (graph: string) => {
    const created = await createSession(graph, (provider) => source(graph, provider), order, threads, failed).catch(
      (error: unknown) => {
        if (error instanceof EngineError) throw error;
        throw new EngineError('PACKAGE_INVALID', `onnx/${graph} cannot be loaded: ${(error as Error).message.split('\n')[0]}`);
      },
    );
    sessions[graph] = created.session;
    reports.push(created.report);
    const { precision } = chooseGraphFile(onnxDir, graph, created.report.provider, options.precision);
    precisions[graph] = int8.has(graph) && created.report.provider === 'cpu' ? `${precision} (int8 compute)` : precision;
    return created.session;
  };
  try {
    const graphs = {
      prepareInputsEmbeds: await open(GRAPHS.prepareInputsEmbeds),
      languageModel: await open(GRAPHS.languageModel),
      genHead: await open(GRAPHS.genHead),
      genImgEmbeds: await open(GRAPHS.genImgEmbeds),
      imageDecode: await open(GRAPHS.imageDecode),
    };
    checkInterfaces(graphs, config);
    const imageEncoder = existsSync(path.join(onnxDir, `${IMAGE_ENCODER}.onnx`)) ? await open(IMAGE_ENCODER) : undefined;
    const source: PackageInfo['source'] = 'user';
    const info = janusInfo(config, source, describePrecisions(precisions));
    const release = () => Promise.all(Object.values(sessions).map((s) => s.release())).then(() => undefined);
    return {
      info,
      providers: { setting, available: availableProviders(), sessions: reports, decodingGraph: GRAPHS.languageModel, intraOpThreads: threads ?? null },
      // Byte-level BPE reads any text: no unknown words, nothing to suggest.
      prepare: (text) => ({ text, normalized: text.trim(), ids: prompt.ids(text), unknownWords: [] }),
      vocabulary: () => [],
      async startDecoding({ prompt: prepared, negativePrompt, candidates, guided }: DecodingRequest) {
        const ids = prepared.ids;
        // A negative prompt is read as a prompt of its own; without one, the unconditional row is Janus's.
        const [cond, uncond] = negativePrompt.text
          ? padRows([{ ids, attended: true }, { ids: negativePrompt.ids, attended: true }], config.padId)
          : [{ ids, attended: true }, prompt.unconditional(ids, unconditionalRow)];
        const rows = [...Array<PromptRow>(candidates).fill(cond!), ...(guided ? Array<PromptRow>(candidates).fill(uncond!) : [])];
        return new JanusDecoding(graphs, rows, {
          resolution: config.resolution, imageTokens: config.grid ** 2, kvHeads: config.kvHeads, headDim: config.headDim,
        });
      },
      async detokenize(grids) {
        const cells = config.grid ** 2;
        const tokens = new BigInt64Array(grids.length * cells);
        grids.forEach((grid, b) => grid.forEach((token, i) => (tokens[b * cells + i] = BigInt(token))));
        const out = await graphs.imageDecode.run({ generated_tokens: new ort.Tensor('int64', tokens, [grids.length, cells]) });
        return decodedImages(out.decoded_image!, grids.length, config.resolution);
      },
      async encodeImages(images) {
        if (!imageEncoder) throw new EngineError('NO_IMAGE_ENCODER', noImageEncoderMessage(dir));
        const pixels = new ort.Tensor('float32', encoderPixels(images, config.resolution), [images.length, 3, config.resolution, config.resolution]);
        const out = await imageEncoder.run({ [imageEncoder.inputNames[0]!]: pixels });
        const ids = out[imageEncoder.outputNames[0]!]!.data as BigInt64Array;
        const cells = config.grid ** 2;
        return images.map((_, b) => Int32Array.from(ids.subarray(b * cells, (b + 1) * cells), Number));
      },
      release,
    };
  } catch (error) {
    await Promise.all(Object.values(sessions).map((s) => s.release()));
    throw error;
  }
}
