/**
 * npm run eval:extend -- [--per-side N] [--seed S] [--out-dir DIR] [sampling flags] [engine flags]
 *
 * How well the model extends its canvas, per side, judged by the world judge. For each side,
 * prompt i (eval_helper.py extend-prompts) gives a one-object source caption whose object
 * lies in the outer third the extension keeps, and the window's caption: that object where
 * the generated window now holds it, and a new object in the new strip. The source is
 * generated with seed S + i, extended by grid − ⌈grid / 3⌉ cells with the window's caption
 * and the same seed, and both the source and the grid × grid window holding the new strip
 * are judged. Prints one JSON object: per side, the fraction of sources that satisfy their
 * caption, of windows that satisfy theirs, and of windows among the satisfied sources.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EXTEND_SIDES, type ExtendSide } from '../common/extension.js';
import { encodePng, metadataOf } from '../engine/index.js';
import { cropImage } from '../engine/image.js';
import { ENGINE_FLAGS, ENGINE_USAGE, SAMPLING_FLAGS, SAMPLING_USAGE, numberFlag, openEngineFromFlags, parseFlags, runCli, samplingFromFlags } from './common.js';
import { evalHelper, judgeImages } from './judge.js';

const USAGE = `npm run eval:extend -- [--per-side N] [--seed S] [--out-dir DIR] ${SAMPLING_USAGE} ${ENGINE_USAGE}`;
const DEFAULT_SEED = 20261202;

const share = (verdicts: boolean[]) => Number((verdicts.filter(Boolean).length / Math.max(1, verdicts.length)).toFixed(4));

runCli('eval-extend', async (signal) => {
  const values = parseFlags({ 'per-side': { type: 'string' }, 'out-dir': { type: 'string' }, ...SAMPLING_FLAGS, ...ENGINE_FLAGS }, USAGE);
  const perSide = numberFlag(values['per-side'], 'per-side', true) ?? 25;
  const { seed = DEFAULT_SEED, settings: partial } = samplingFromFlags(values);
  const outDir = values['out-dir'] ?? (await mkdtemp(path.join(os.tmpdir(), 'parti-eval-extend-')));
  await mkdir(outDir, { recursive: true });

  const engine = await openEngineFromFlags(values);
  const settings = engine.settings(partial);
  const { grid, resolution } = engine.package;
  const cellSize = resolution / grid;
  const by = grid - Math.ceil(grid / 3);
  const pairs = JSON.parse(evalHelper(['extend-prompts', '--per-side', String(perSide), '--seed', String(seed)])) as Record<ExtendSide, { source: string; extension: string }[]>;
  const batch: { png: string; caption: string; side: ExtendSide; what: 'source' | 'window' }[] = [];
  const start = performance.now();
  for (const side of EXTEND_SIDES) {
    for (const [i, { source, extension }] of pairs[side].entries()) {
      const name = `${side}-${String(i + 1).padStart(4, '0')}`;
      const made = await engine.generate({ prompt: source, seed: seed + i, settings }, { signal });
      const sourcePng = encodePng(made.candidates[0]!.image, metadataOf(made, 0), made.candidates[0]!.tokens);
      const extended = await engine.extend({ image: sourcePng, side, by, prompt: extension, seed: seed + i, settings }, { signal });
      const { column, row } = extended.window;
      const window = cropImage(extended.composites[0]!, column * cellSize, row * cellSize, resolution, resolution);
      const files = { source: path.join(outDir, `${name}-source.png`), window: path.join(outDir, `${name}-window.png`), canvas: path.join(outDir, `${name}-extended.png`) };
      await writeFile(files.source, sourcePng);
      await writeFile(files.window, encodePng(window, metadataOf(extended, 0)));
      await writeFile(files.canvas, encodePng(extended.composites[0]!, metadataOf(extended, 0), extended.canvasTokens[0]));
      batch.push({ png: files.source, caption: source, side, what: 'source' }, { png: files.window, caption: extension, side, what: 'window' });
    }
    console.error(`eval-extend: ${side}: ${pairs[side].length} extensions`);
  }
  const runMs = performance.now() - start;
  const verdicts = await judgeImages(batch, path.join(outDir, 'judge-batch.jsonl'));
  await writeFile(path.join(outDir, 'judged.jsonl'), verdicts.map((v) => JSON.stringify(v)).join('\n') + '\n');

  const sides = Object.fromEntries(
    EXTEND_SIDES.map((side) => {
      const of = (what: 'source' | 'window') => verdicts.filter((_, i) => batch[i]!.side === side && batch[i]!.what === what).map((v) => v.satisfied);
      const [sources, windows] = [of('source'), of('window')];
      return [side, { prompts: windows.length, source: share(sources), window: share(windows), windowWhereSourceSatisfied: share(windows.filter((_, i) => sources[i])) }];
    }),
  );
  console.log(JSON.stringify({ model: engine.package.id, settings, seed, perSide, by, outDir, generateAndExtendMs: Math.round(runMs), sides }, null, 1));
  await engine.close();
});
