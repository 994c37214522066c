/**
 * npm run generate -- --prompt TEXT --out FILE.png [sampling flags] [engine flags]
 * npm run generate -- --prompts FILE --out-dir DIR [sampling flags] [engine flags]
 * npm run generate -- --variation-of IN.png --strength F [--keep rows|cells] [--prompt TEXT] --out FILE.png [...]
 *
 * Writes the best candidate (by the reranker) with its parameters in PNG text chunks. Batch
 * mode loads the model once, applies the same flags to every non-blank line of FILE and
 * writes 0001.png, 0002.png, … in line order plus results.jsonl (one JSON object per image:
 * file, prompt, seed, settings, ms, score, unknownWords). A variation keeps a share of IN's
 * token cells (a PNG this model made carries them; another image is encoded) and resamples
 * the rest with --prompt, or IN's own prompt when IN is a PNG of this app. Exit codes: see common.ts.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promptLines } from '../common/prompt-list.js';
import { VariationKeep, VariationParameters } from '../common/variation.js';
import { encodePng, metadataOf, readPngMetadata, type Engine, type GenerateResult } from '../engine/index.js';
import {
  CliError,
  ENGINE_FLAGS,
  ENGINE_USAGE,
  EXIT,
  SAMPLING_FLAGS,
  SAMPLING_USAGE,
  numberFlag,
  openEngineFromFlags,
  parseFlags,
  prepareOutput,
  runCli,
  samplingFromFlags,
} from './common.js';

const VARIATION_USAGE = `--variation-of IN.png --strength F [--keep ${VariationKeep.options.join('|')}] [--prompt TEXT] --out FILE.png`;
const USAGE = `npm run generate -- (--prompt TEXT --out FILE.png | --prompts FILE --out-dir DIR | ${VARIATION_USAGE}) ${SAMPLING_USAGE} ${ENGINE_USAGE}`;

async function writeBest(result: GenerateResult, file: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, encodePng(result.candidates[0]!.image, metadataOf(result, 0), result.candidates[0]!.tokens));
}

async function readPrompts(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new CliError(`cannot read prompts file ${file}`, EXIT.input);
  });
  const prompts = promptLines(text);
  if (prompts.length === 0) throw new CliError(`prompts file ${file} has no prompts`, EXIT.input);
  return prompts;
}

function summary(result: GenerateResult, engine: Engine): string {
  const unknown = result.unknownWords.length > 0 ? `, unknown words: ${result.unknownWords.join(' ')}` : '';
  const { sessions, decodingGraph } = engine.providers;
  const provider = sessions.find((s) => s.graph === decodingGraph)?.provider ?? '?';
  return `seed ${result.seed}, ${Math.round(result.timings.totalMs)} ms on ${provider}, ${result.scoreKind} score ${result.candidates[0]!.score.toFixed(3)}${unknown}`;
}

/** --strength and --keep, checked against the one declaration of their ranges. */
function variationFromFlags(values: { strength?: string; keep?: string }): VariationParameters {
  if (values.strength === undefined) throw new CliError(`--strength F (from 0 to 1) is required with --variation-of (usage: ${USAGE})`);
  const strength = numberFlag(values.strength, 'strength')!;
  const keep = values.keep ?? 'rows';
  if (!VariationKeep.safeParse(keep).success) throw new CliError(`--keep must be one of ${VariationKeep.options.join(', ')}, got "${keep}"`);
  const parsed = VariationParameters.safeParse({ strength, keep });
  if (!parsed.success) throw new CliError(`--strength ${values.strength} is out of range; allowed: a number from 0 to 1`);
  return parsed.data;
}

/** A variation's prompt: --prompt, else the source's own when it is a PNG of this app. */
async function variationPrompt(prompt: string | undefined, source: string): Promise<string> {
  if (prompt !== undefined) return prompt;
  const bytes = await readFile(source).catch(() => {
    throw new CliError(`cannot read ${source}: no such file, or it cannot be read`, EXIT.input);
  });
  const own = readPngMetadata(bytes)?.prompt;
  if (own === undefined) throw new CliError(`${source} carries no prompt of this app: give --prompt TEXT for the cells drawn again`, EXIT.input);
  return own;
}

/** Keeps a share of the source's cells and resamples the rest; writes the best with its tokens. */
async function writeVariation(engine: Engine, variation: VariationParameters, prompt: string, source: string, out: string, request: ReturnType<typeof samplingFromFlags>, signal: AbortSignal): Promise<void> {
  const result = await engine.vary({ image: source, prompt, ...request, ...variation, sourceId: path.basename(source) }, { signal });
  await writeBest(result, out);
  console.log(`${out}: ${result.keptCells.filter(Boolean).length} of ${result.keptCells.length} cells kept (strength ${variation.strength}, keep ${variation.keep}), ${summary(result, engine)}`);
}

runCli('generate', async (signal) => {
  const values = parseFlags(
    {
      prompt: { type: 'string' },
      prompts: { type: 'string' },
      out: { type: 'string' },
      'out-dir': { type: 'string' },
      'variation-of': { type: 'string' },
      strength: { type: 'string' },
      keep: { type: 'string' },
      ...SAMPLING_FLAGS,
      ...ENGINE_FLAGS,
    },
    USAGE,
  );
  const source = values['variation-of'];
  if (source === undefined && (values.strength !== undefined || values.keep !== undefined)) throw new CliError(`--strength and --keep go with --variation-of IN.png (usage: ${USAGE})`);
  if (source !== undefined) {
    if (values.prompts !== undefined) throw new CliError(`--variation-of makes variations of one image: give --prompt, not --prompts (usage: ${USAGE})`);
    if (!values.out) throw new CliError(`--out FILE.png is required with --variation-of (usage: ${USAGE})`);
    // A bad strength, mode or source fails before the model is opened.
    const variation = variationFromFlags(values);
    const request = samplingFromFlags(values);
    const prompt = await variationPrompt(values.prompt, source);
    await prepareOutput(values.out);
    const engine = await openEngineFromFlags(values);
    engine.settings(request.settings);
    await writeVariation(engine, variation, prompt, source, values.out, request, signal);
    return;
  }
  const single = values.prompt !== undefined;
  if (single === (values.prompts !== undefined)) throw new CliError(`give exactly one of --prompt and --prompts (usage: ${USAGE})`);
  if (single && !values.out) throw new CliError(`--out FILE.png is required with --prompt (usage: ${USAGE})`);
  if (!single && !values['out-dir']) throw new CliError(`--out-dir DIR is required with --prompts (usage: ${USAGE})`);
  const request = samplingFromFlags(values);
  await prepareOutput(single ? values.out! : path.join(values['out-dir']!, 'results.jsonl'));
  const prompts = single ? [values.prompt!] : await readPrompts(values.prompts!);

  const engine = await openEngineFromFlags(values);
  engine.settings(request.settings); // reject bad settings before any work
  if (single) {
    const result = await engine.generate({ prompt: prompts[0]!, ...request }, { signal });
    await writeBest(result, values.out!);
    console.log(`${values.out}: ${summary(result, engine)}`);
    return;
  }
  const outDir = values['out-dir']!;
  await mkdir(outDir, { recursive: true });
  const lines: string[] = [];
  for (const [i, prompt] of prompts.entries()) {
    const file = `${String(i + 1).padStart(4, '0')}.png`;
    const result = await engine.generate({ prompt, ...request }, { signal });
    await writeBest(result, path.join(outDir, file));
    const { seed, settings, unknownWords } = result;
    lines.push(JSON.stringify({ file, prompt, seed, settings, ms: Math.round(result.timings.totalMs), score: result.candidates[0]!.score, unknownWords }));
    console.log(`${file}: ${summary(result, engine)}`);
  }
  await writeFile(path.join(outDir, 'results.jsonl'), lines.join('\n') + '\n');
});
