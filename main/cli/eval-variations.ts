/**
 * npm run eval:variations -- [--per-category N] [--seed S] [--strength F] [--out-dir DIR] [sampling flags] [engine flags]
 *
 * Do variations still follow the prompt? For each evaluation prompt i of each category (the
 * prompts `npm run eval` uses), a fresh source is generated with seed S + i, then varied at
 * --strength (default 0.5) with the same prompt and another seed, once per keep mode (rows
 * from the top, random cells; --keep for one); the sources and the variations are judged by
 * the world judge.
 * Prints one JSON object: per keep mode and category, the fraction of variations that satisfy
 * their prompt, overall and among the sources that did.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { VariationKeep, VariationParameters } from '../common/variation.js';
import { encodePng, metadataOf, type GenerateResult } from '../engine/index.js';
import { CliError, ENGINE_FLAGS, ENGINE_USAGE, SAMPLING_FLAGS, SAMPLING_USAGE, numberFlag, openEngineFromFlags, parseFlags, runCli, samplingFromFlags } from './common.js';
import { evalHelper, judgeImages } from './judge.js';

const USAGE = `npm run eval:variations -- [--per-category N] [--seed S] [--strength F] [--keep ${VariationKeep.options.join('|')}] [--out-dir DIR] ${SAMPLING_USAGE} ${ENGINE_USAGE}`;
/** `npm run eval`'s seed, so that the sources are the images it judges. */
const DEFAULT_SEED = 20261128;
/** Variation i draws from seed S + i + this: with the source's own seed, kept rows would lead to the same tokens again. */
const VARIATION_SEED_OFFSET = 1_000_000;

const share = (verdicts: boolean[]) => Number((verdicts.filter(Boolean).length / Math.max(1, verdicts.length)).toFixed(4));

runCli('eval-variations', async (signal) => {
  const values = parseFlags({ 'per-category': { type: 'string' }, strength: { type: 'string' }, keep: { type: 'string' }, 'out-dir': { type: 'string' }, ...SAMPLING_FLAGS, ...ENGINE_FLAGS }, USAGE);
  const perCategory = numberFlag(values['per-category'], 'per-category', true) ?? 25;
  const strength = numberFlag(values.strength, 'strength') ?? 0.5;
  if (!VariationParameters.shape.strength.safeParse(strength).success) throw new CliError(`--strength ${strength} is out of range; allowed: a number from 0 to 1`);
  const keepOnly = values.keep === undefined ? undefined : VariationKeep.safeParse(values.keep);
  if (keepOnly && !keepOnly.success) throw new CliError(`--keep must be one of ${VariationKeep.options.join(', ')}, got "${values.keep}"`);
  const modes = keepOnly ? [keepOnly.data] : VariationKeep.options;
  const { seed = DEFAULT_SEED, settings: partial } = samplingFromFlags(values);
  const outDir = values['out-dir'] ?? (await mkdtemp(path.join(os.tmpdir(), 'parti-eval-variations-')));
  await mkdir(outDir, { recursive: true });

  const engine = await openEngineFromFlags(values);
  const settings = engine.settings(partial);
  const byCategory = JSON.parse(evalHelper(['prompts', '--per-category', String(perCategory), '--seed', String(seed)])) as Record<string, string[]>;
  /** Each judged image; a variation names its source's place in the batch. */
  const batch: { png: string; caption: string; category: string; what: 'source' | VariationKeep; sourceAt?: number }[] = [];
  const write = async (result: GenerateResult, name: string) => {
    const png = path.join(outDir, name);
    await writeFile(png, encodePng(result.candidates[0]!.image, metadataOf(result, 0), result.candidates[0]!.tokens));
    return png;
  };
  const started = performance.now();
  for (const [category, prompts] of Object.entries(byCategory)) {
    for (const [i, prompt] of prompts.entries()) {
      const stem = `${category}-${String(i + 1).padStart(4, '0')}`;
      const source = await write(await engine.generate({ prompt, seed: seed + i, settings }, { signal }), `${stem}-source.png`);
      const sourceAt = batch.push({ png: source, caption: prompt, category, what: 'source' }) - 1;
      for (const keep of modes) {
        const varied = await engine.vary({ image: source, prompt, seed: seed + i + VARIATION_SEED_OFFSET, settings, strength, keep, sourceId: path.basename(source) }, { signal });
        batch.push({ png: await write(varied, `${stem}-${keep}.png`), caption: prompt, category, what: keep, sourceAt });
      }
    }
    console.error(`eval-variations: ${category}: ${prompts.length} sources, ${prompts.length * modes.length} variations`);
  }
  const imagesMs = performance.now() - started;
  const verdicts = await judgeImages(batch, path.join(outDir, 'judge-batch.jsonl'));
  await writeFile(path.join(outDir, 'judged.jsonl'), verdicts.map((v) => JSON.stringify(v)).join('\n') + '\n');

  const judged = batch.map((item, i) => ({ ...item, satisfied: verdicts[i]!.satisfied, sourceSatisfied: item.sourceAt === undefined ? null : verdicts[item.sourceAt]!.satisfied }));
  const categories = Object.keys(byCategory);
  const figures = (what: (typeof batch)[number]['what']) => {
    const mine = judged.filter((item) => item.what === what);
    return {
      all: share(mine.map((item) => item.satisfied)),
      ...(what === 'source' ? {} : { ofSatisfiedSources: share(mine.filter((item) => item.sourceSatisfied).map((item) => item.satisfied)) }),
      perCategory: Object.fromEntries(categories.map((category) => [category, share(mine.filter((item) => item.category === category).map((item) => item.satisfied))])),
    };
  };
  const report = {
    model: engine.package.id,
    settings,
    seed,
    strength,
    perCategory,
    outDir,
    imagesSeconds: Number((imagesMs / 1000).toFixed(1)),
    sources: figures('source'),
    variations: Object.fromEntries(modes.map((keep) => [keep, figures(keep)])),
  };
  console.log(JSON.stringify(report, null, 1));
  await engine.close();
});
