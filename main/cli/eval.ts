/**
 * npm run eval -- [--per-category N] [--seed S] [--out-dir DIR] [--reference FILE.json] [sampling flags] [engine flags]
 *
 * Generates the evaluation prompts of each category (the same ones `evaluate.py model` uses
 * for N and S) through the engine, writes the best candidate of each as a PNG, and scores
 * them all with the model's judge (native-models/training/eval_helper.py over
 * native-models/training/world). Prints one JSON object: settings and, per category, the
 * prompts and the fraction satisfied. With --reference (the JSON `evaluate.py model --out`
 * wrote for the PyTorch reference sampler) each category is compared, and the command exits
 * with code 5 when any differs by more than 3 points.
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { encodePng, metadataOf } from '../engine/index.js';
import { CliError, ENGINE_FLAGS, ENGINE_USAGE, EXIT, SAMPLING_FLAGS, SAMPLING_USAGE, numberFlag, openEngineFromFlags, parseFlags, runCli, samplingFromFlags } from './common.js';
import { evalHelper, judgeImages } from './judge.js';

const USAGE = `npm run eval -- [--per-category N] [--seed S] [--out-dir DIR] [--reference FILE.json] ${SAMPLING_USAGE} ${ENGINE_USAGE}`;
/** The seed evaluate.py uses by default, so that both pick the same prompts. */
const DEFAULT_SEED = 20261128;
const TOLERANCE_POINTS = 3;

interface CategoryFigures {
  prompts: number;
  satisfied: number;
  /** Per prompt, in prompt order (evaluate.py writes them too). */
  verdicts?: boolean[];
}

runCli('eval', async (signal) => {
  const values = parseFlags({ 'per-category': { type: 'string' }, 'out-dir': { type: 'string' }, reference: { type: 'string' }, ...SAMPLING_FLAGS, ...ENGINE_FLAGS }, USAGE);
  const perCategory = numberFlag(values['per-category'], 'per-category', true) ?? 50;
  const { seed = DEFAULT_SEED, settings: partial } = samplingFromFlags(values);
  const outDir = values['out-dir'] ?? (await mkdtemp(path.join(os.tmpdir(), 'parti-eval-')));
  await mkdir(outDir, { recursive: true });

  const engine = await openEngineFromFlags(values);
  const settings = engine.settings(partial);
  const byCategory = JSON.parse(evalHelper(['prompts', '--per-category', String(perCategory), '--seed', String(seed)])) as Record<string, string[]>;
  const batch: { png: string; caption: string; category: string }[] = [];
  for (const [category, prompts] of Object.entries(byCategory)) {
    for (const [i, prompt] of prompts.entries()) {
      const result = await engine.generate({ prompt, seed: seed + i, settings }, { signal });
      const png = path.join(outDir, `${category}-${String(i + 1).padStart(4, '0')}.png`);
      await writeFile(png, encodePng(result.candidates[0]!.image, metadataOf(result, 0)));
      batch.push({ png, caption: prompt, category });
    }
    console.error(`eval: ${category}: ${prompts.length} images`);
  }
  const verdicts = await judgeImages(batch, path.join(outDir, 'judge-batch.jsonl'));
  await writeFile(path.join(outDir, 'judged.jsonl'), verdicts.map((v) => JSON.stringify(v)).join('\n') + '\n');

  const figures: Record<string, CategoryFigures> = {};
  for (const category of Object.keys(byCategory)) {
    const mine = verdicts.filter((_, i) => batch[i]!.category === category).map((v) => v.satisfied);
    figures[category] = { prompts: mine.length, satisfied: Number((mine.filter(Boolean).length / Math.max(1, mine.length)).toFixed(4)), verdicts: mine };
  }
  const summary = Object.fromEntries(Object.entries(figures).map(([category, { prompts, satisfied }]) => [category, { prompts, satisfied }]));
  const report: Record<string, unknown> = { model: engine.package.id, settings, seed, perCategory, outDir, engine: summary };
  let withinTolerance = true;
  if (values.reference) {
    const reference = JSON.parse(await readFile(values.reference, 'utf8')) as { default?: Record<string, CategoryFigures> };
    const points = Object.fromEntries(
      Object.entries(figures).map(([category, mine]) => {
        const theirs = reference.default?.[category];
        const difference = theirs === undefined ? null : Number((100 * (mine.satisfied - theirs.satisfied)).toFixed(1));
        if (difference === null || Math.abs(difference) > TOLERANCE_POINTS) withinTolerance = false;
        // Both sample from the same seeded streams, so the verdicts should agree prompt by prompt.
        const same = theirs?.verdicts?.length === mine.verdicts!.length ? mine.verdicts!.filter((v, i) => v === theirs.verdicts![i]).length : null;
        return [category, { reference: theirs?.satisfied ?? null, differencePoints: difference, samePromptVerdicts: same }];
      }),
    );
    report.reference = { file: values.reference, tolerancePoints: TOLERANCE_POINTS, withinTolerance, categories: points };
  }
  console.log(JSON.stringify(report, null, 1));
  await engine.close();
  if (!withinTolerance) throw new CliError(`a category differs from the reference by more than ${TOLERANCE_POINTS} points`, EXIT.evaluation);
});
