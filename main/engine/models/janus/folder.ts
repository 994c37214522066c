/**
 * A Janus-Pro folder as Hugging Face publishes it (onnx-community/Janus-Pro-1B-ONNX):
 * config.json (`model_type: multi_modality`), generation_config.json, processor_config.json,
 * preprocessor_config.json, tokenizer files and onnx/<graph>[_<precision>].onnx. Only the
 * keys transformers.js reads are required; each is checked with a one-line message.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { SAMPLING_LIMITS, type SamplingSettings } from '../../../common/sampling.js';
import { EngineError } from '../../errors.js';
import type { PackageInfo } from '../../types.js';

export const JANUS_MODEL_TYPE = 'multi_modality';

const count = z.number().int().positive();
const ConfigJson = z.object({
  model_type: z.literal(JANUS_MODEL_TYPE),
  language_config: z.object({
    num_hidden_layers: count,
    num_attention_heads: count,
    num_key_value_heads: count.optional(),
    hidden_size: count,
    intermediate_size: count,
    head_dim: count.optional(),
  }),
  gen_head_config: z.object({ params: z.object({ image_token_size: count }) }),
});
const ProcessorJson = z.object({
  image_start_tag: z.string().min(1),
  num_image_tokens: count,
  sft_format: z.string().default('deepseek'),
});
const PreprocessorJson = z.object({ image_size: count });
const GenerationJson = z.object({
  pad_token_id: z.number().int().min(0),
  guidance_scale: z.number().nullish(),
  temperature: z.number().nullish(),
  top_k: z.number().int().nullish(),
  top_p: z.number().nullish(),
});
const TokenizerConfigJson = z.object({ bos_token: z.union([z.string(), z.object({ content: z.string() })]) });

export interface JanusConfig {
  dir: string;
  layers: number;
  /** Key/value heads and head size of the language model's cache. */
  kvHeads: number;
  headDim: number;
  codes: number;
  /** The language model's weights in fp32 bytes, whatever precision its file is: what sets its per-step MatMul sizes. */
  decoderFp32Bytes: number;
  grid: number;
  resolution: number;
  imageStartTag: string;
  bosToken: string;
  padId: number;
  defaults: SamplingSettings;
}

/** True when the folder holds a config.json (what a Hugging Face layout is recognised by). */
export function hasHuggingFaceConfig(dir: string): boolean {
  return existsSync(path.join(dir, 'config.json'));
}

async function readJson<T>(dir: string, file: string, schema: z.ZodType<T>): Promise<T> {
  const full = path.join(dir, file);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch {
    throw new EngineError('FILE_MISSING', `Janus model folder ${dir} is incomplete: ${file} is missing.`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new EngineError('PACKAGE_INVALID', `${full} is not valid JSON (${(error as Error).message}).`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EngineError('PACKAGE_INVALID', `${full}: ${issue?.path.join('.') || file}: ${issue?.message ?? 'invalid'}.`);
  }
  return parsed.data;
}

/**
 * The studio's sampling defaults from generation_config.json: its guidance scale (1, off,
 * when it names none), temperature, top-k and top-p; one candidate, since every candidate
 * is a full language-model row (two with guidance).
 */
function samplingDefaults(generation: z.infer<typeof GenerationJson>): SamplingSettings {
  const within = (value: number | null | undefined, fallback: number, ok: (v: number) => boolean) =>
    value !== null && value !== undefined && ok(value) ? value : fallback;
  return {
    guidance: within(generation.guidance_scale, 1, (v) => v >= SAMPLING_LIMITS.guidance.min && v <= SAMPLING_LIMITS.guidance.max),
    temperature: within(generation.temperature, 1, (v) => v > 0 && v <= SAMPLING_LIMITS.temperature.max),
    topK: within(generation.top_k, 0, (v) => v >= 0 && v <= SAMPLING_LIMITS.topK.max),
    topP: within(generation.top_p, 1, (v) => v > 0 && v <= 1),
    candidates: 1,
  };
}

export async function readJanusConfig(dir: string): Promise<JanusConfig> {
  const rawConfig = await readJson(dir, 'config.json', z.object({ model_type: z.unknown() }).passthrough());
  if (rawConfig.model_type !== JANUS_MODEL_TYPE) {
    throw new EngineError(
      'PACKAGE_INVALID',
      `${dir} holds a Hugging Face model of type ${JSON.stringify(rawConfig.model_type)}; this engine runs "${JANUS_MODEL_TYPE}" (Janus-Pro) folders and its own packages (manifest.json).`,
    );
  }
  const config = await readJson(dir, 'config.json', ConfigJson);
  const processor = await readJson(dir, 'processor_config.json', ProcessorJson);
  const preprocessor = await readJson(dir, 'preprocessor_config.json', PreprocessorJson);
  const generation = await readJson(dir, 'generation_config.json', GenerationJson);
  const tokenizerConfig = await readJson(dir, 'tokenizer_config.json', TokenizerConfigJson);
  if (processor.sft_format !== 'deepseek') {
    throw new EngineError('PACKAGE_INVALID', `${dir}/processor_config.json: sft_format "${processor.sft_format}" is not the Janus "deepseek" prompt format this engine writes.`);
  }
  const grid = Math.round(Math.sqrt(processor.num_image_tokens));
  if (grid * grid !== processor.num_image_tokens || preprocessor.image_size % grid !== 0) {
    throw new EngineError('PACKAGE_INVALID', `${dir}: ${processor.num_image_tokens} image tokens at ${preprocessor.image_size} px is not a square grid of whole cells.`);
  }
  const lang = config.language_config;
  return {
    dir,
    layers: lang.num_hidden_layers,
    kvHeads: lang.num_key_value_heads ?? lang.num_attention_heads,
    headDim: lang.head_dim ?? lang.hidden_size / lang.num_attention_heads,
    codes: config.gen_head_config.params.image_token_size,
    // Per layer: q, k, v, o (4·h²) and the SwiGLU MLP (3·h·intermediate), 4 bytes each.
    decoderFp32Bytes: lang.num_hidden_layers * (4 * lang.hidden_size ** 2 + 3 * lang.hidden_size * lang.intermediate_size) * 4,
    grid,
    resolution: preprocessor.image_size,
    imageStartTag: processor.image_start_tag,
    bosToken: typeof tokenizerConfig.bos_token === 'string' ? tokenizerConfig.bos_token : tokenizerConfig.bos_token.content,
    padId: generation.pad_token_id,
    defaults: samplingDefaults(generation),
  };
}

/** The listing entry of a Janus folder (named after the folder, as a downloaded repository is). */
export function janusInfo(config: JanusConfig, source: PackageInfo['source'], precision = ''): PackageInfo {
  const id = path.basename(config.dir);
  return {
    id,
    name: id,
    description: 'Janus-Pro (DeepSeek) in the Hugging Face ONNX layout',
    dir: config.dir,
    source,
    family: 'janus',
    precision,
    scoreKind: 'mean-log-probability',
    resolution: config.resolution,
    grid: config.grid,
    defaults: config.defaults,
    wordGroups: [],
  };
}
