/**
 * npm run edit -- --image IN --mask MASK --prompt TEXT --out OUT.png [sampling flags] [engine flags]
 * npm run edit -- --image IN --extend top|bottom|left|right --by N --prompt TEXT --out OUT.png [...]
 *
 * IN and MASK may be any size (MASK is stretched to IN); white in MASK marks what to
 * regenerate. Writes the best candidate composited over IN's centred square, with its
 * parameters. With --extend, IN grows by N token rows or columns on that side instead (a PNG
 * this model made keeps its own tokens; OUT carries its token canvas, so it can be extended
 * again). Exit codes: see common.ts.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EXTEND_SIDES, ExtendSide } from '../common/extension.js';
import { encodePng, metadataOf, type EditRequest, type Engine } from '../engine/index.js';
import { CliError, ENGINE_FLAGS, ENGINE_USAGE, SAMPLING_FLAGS, SAMPLING_USAGE, numberFlag, openEngineFromFlags, parseFlags, prepareOutput, requireFlag, runCli, samplingFromFlags } from './common.js';

const USAGE = `npm run edit -- --image IN (--mask MASK | --extend ${EXTEND_SIDES.join('|')} --by N) --prompt TEXT --out OUT.png ${SAMPLING_USAGE} ${ENGINE_USAGE}`;

/** What both edits take from the flags. */
type Request = Omit<EditRequest, 'mask'>;

/** Regenerates the masked cells; writes the best composite. */
async function editMasked(engine: Engine, request: Request, mask: string, out: string, signal: AbortSignal): Promise<string> {
  const result = await engine.edit({ ...request, mask }, { signal });
  await writeFile(out, encodePng(result.composites[0]!, metadataOf(result, 0)));
  return `seed ${result.seed}, ${result.maskedCells.filter(Boolean).length} of ${result.maskedCells.length} cells regenerated, ${Math.round(result.timings.totalMs)} ms`;
}

/** Grows the image on one side; writes the best canvas with its tokens. */
async function extendCanvas(engine: Engine, request: Request, side: ExtendSide, by: number, out: string, signal: AbortSignal): Promise<string> {
  const result = await engine.extend({ ...request, side, by }, { signal });
  await writeFile(out, encodePng(result.composites[0]!, metadataOf(result, 0), result.canvasTokens[0]));
  const { columns, rows } = result.extension;
  return `seed ${result.seed}, extended ${side} by ${by}: ${columns} × ${rows} cells, ${result.composites[0]!.width} × ${result.composites[0]!.height} px, ${Math.round(result.timings.totalMs)} ms`;
}

runCli('edit', async (signal) => {
  const values = parseFlags(
    { image: { type: 'string' }, mask: { type: 'string' }, extend: { type: 'string' }, by: { type: 'string' }, prompt: { type: 'string' }, out: { type: 'string' }, ...SAMPLING_FLAGS, ...ENGINE_FLAGS },
    USAGE,
  );
  const [image, prompt, out] = ['image', 'prompt', 'out'].map((key) => requireFlag(values, key, USAGE)) as [string, string, string];
  if (values.extend !== undefined && values.mask !== undefined) throw new CliError(`--mask and --extend are two different edits: give one (usage: ${USAGE})`);
  const side = values.extend === undefined ? undefined : ExtendSide.safeParse(values.extend);
  if (side && !side.success) throw new CliError(`--extend must be one of ${EXTEND_SIDES.join(', ')}, got "${values.extend}"`);
  const by = side ? numberFlag(requireFlag(values, 'by', USAGE), 'by', true)! : undefined;
  const mask = side ? undefined : requireFlag(values, 'mask', USAGE);
  const request = { image, prompt, ...samplingFromFlags(values), sourceId: path.basename(image) };
  await prepareOutput(out);
  const engine = await openEngineFromFlags(values);
  await mkdir(path.dirname(path.resolve(out)), { recursive: true });
  const summary = side?.success ? await extendCanvas(engine, request, side.data, by!, out, signal) : await editMasked(engine, request, mask!, out, signal);
  console.log(`${out}: ${summary}`);
});
