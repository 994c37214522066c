/**
 * npm run generate -- --prompt TEXT --out FILE.png [sampling flags] [engine flags]
 * npm run generate -- --prompts FILE --out-dir DIR [sampling flags] [engine flags]
 *
 * Writes the best candidate (by the reranker) with its parameters in PNG text chunks. Batch
 * mode loads the model once, applies the same flags to every non-blank line of FILE and
 * writes 0001.png, 0002.png, … in line order plus results.jsonl (one JSON object per image:
 * file, prompt, seed, settings, ms, score, unknownWords). Exit codes: see common.ts.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodePng, metadataOf, type Engine, type GenerateResult } from '../engine/index.js';
import { promptLines } from '../common/prompt-list.js';
import {
  CliError,
  ENGINE_FLAGS,
  ENGINE_USAGE,
  EXIT,
  SAMPLING_FLAGS,
  SAMPLING_USAGE,
  openEngineFromFlags,
  parseFlags,
  prepareOutput,
  runCli,
  samplingFromFlags,
} from './common.js';

const USAGE = `npm run generate -- (--prompt TEXT --out FILE.png | --prompts FILE --out-dir DIR) ${SAMPLING_USAGE} ${ENGINE_USAGE}`;

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

runCli('generate', async (signal) => {
  const values = parseFlags({ prompt: { type: 'string' }, prompts: { type: 'string' }, out: { type: 'string' }, 'out-dir': { type: 'string' }, ...SAMPLING_FLAGS, ...ENGINE_FLAGS }, USAGE);
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
