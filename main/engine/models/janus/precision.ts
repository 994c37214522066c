/**
 * Which file of each graph to load: Hugging Face layouts ship onnx/<graph>.onnx (fp32) and
 * copies in other precisions named by suffix (transformers.js's dtype names). Per
 * provider, the best precision present is taken: on CPU the language model and the prompt
 * embedder in 4 bits, the small graphs in fp32 (transformers.js's own CPU choice); on a GPU
 * float16 where it exists. Float16 graphs are never chosen for CPU, which lacks fast kernels
 * for them.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { EngineError } from '../../errors.js';

export const PRECISION_SUFFIX: Record<string, string> = {
  fp32: '', fp16: '_fp16', q4: '_q4', q4f16: '_q4f16', q8: '_quantized', int8: '_int8', uint8: '_uint8', bnb4: '_bnb4',
};
const FLOAT16 = new Set(['fp16', 'q4f16']);
const BIG_GRAPHS = new Set(['language_model', 'prepare_inputs_embeds']);

function preference(graph: string, provider: string): string[] {
  const big = BIG_GRAPHS.has(graph);
  if (provider === 'cpu') return big ? ['q4', 'q8', 'int8', 'uint8', 'bnb4', 'fp32'] : ['fp32', 'q8', 'int8', 'uint8', 'q4', 'bnb4'];
  if (graph === 'image_decode') return ['fp32', 'fp16'];
  return big ? ['q4f16', 'fp16', 'q4', 'fp32', 'q8'] : ['fp16', 'fp32', 'q4f16', 'q4', 'q8'];
}

export interface GraphFile {
  file: string;
  precision: string;
}

const fileOf = (onnxDir: string, graph: string, precision: string) => path.join(onnxDir, `${graph}${PRECISION_SUFFIX[precision]}.onnx`);

/**
 * The file of `graph` for `provider`: the asked-for precision where that file exists, else
 * the provider's preference order. Throws PACKAGE_INVALID naming what was found when no
 * file fits the provider.
 */
export function chooseGraphFile(onnxDir: string, graph: string, provider: string, asked?: string): GraphFile {
  if (asked !== undefined && !(asked in PRECISION_SUFFIX)) {
    throw new EngineError('BAD_REQUEST', `Unknown precision "${asked}"; use one of ${Object.keys(PRECISION_SUFFIX).join(', ')}.`);
  }
  if (asked !== undefined && existsSync(fileOf(onnxDir, graph, asked)) && (provider !== 'cpu' || !FLOAT16.has(asked))) {
    return { file: fileOf(onnxDir, graph, asked), precision: asked };
  }
  const precision = preference(graph, provider).find((p) => existsSync(fileOf(onnxDir, graph, p)));
  if (precision !== undefined) return { file: fileOf(onnxDir, graph, precision), precision };
  const present = (existsSync(onnxDir) ? readdirSync(onnxDir) : []).filter((f) => f === `${graph}.onnx` || f.startsWith(`${graph}_`));
  const found = present.length > 0 ? `found only ${present.join(', ')}` : 'found none';
  const why = provider === 'cpu' && present.length > 0 ? ' (float16 graphs need a GPU provider)' : '';
  throw new EngineError('PACKAGE_INVALID', `${onnxDir} has no ${graph} graph the ${provider} provider can run: ${found}${why}.`);
}

/** `fp32`, or e.g. `language_model q4, others fp32`: the most common precision last. */
export function describePrecisions(chosen: Record<string, string>): string {
  const byPrecision = new Map<string, string[]>();
  for (const [graph, precision] of Object.entries(chosen)) byPrecision.set(precision, [...(byPrecision.get(precision) ?? []), graph]);
  if (byPrecision.size <= 1) return [...byPrecision.keys()][0] ?? '';
  const sorted = [...byPrecision.entries()].sort((a, b) => a[1].length - b[1].length);
  const common = sorted.pop()!;
  return [...sorted.map(([p, graphs]) => `${graphs.join(', ')} ${p}`), `others ${common[0]}`].join('; ');
}
