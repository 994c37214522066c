/**
 * npm run edit -- --image IN --mask MASK --prompt TEXT --out OUT.png [sampling flags] [engine flags]
 *
 * IN and MASK may be any size (MASK is stretched to IN); white in MASK marks what to
 * regenerate. Writes the best candidate composited over IN's centred square, with its
 * parameters. Exit codes: see common.ts.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodePng, metadataOf } from '../engine/index.js';
import { ENGINE_FLAGS, ENGINE_USAGE, SAMPLING_FLAGS, SAMPLING_USAGE, openEngineFromFlags, parseFlags, prepareOutput, requireFlag, runCli, samplingFromFlags } from './common.js';

const USAGE = `npm run edit -- --image IN --mask MASK --prompt TEXT --out OUT.png ${SAMPLING_USAGE} ${ENGINE_USAGE}`;

runCli('edit', async (signal) => {
  const values = parseFlags({ image: { type: 'string' }, mask: { type: 'string' }, prompt: { type: 'string' }, out: { type: 'string' }, ...SAMPLING_FLAGS, ...ENGINE_FLAGS }, USAGE);
  const [image, mask, prompt, out] = ['image', 'mask', 'prompt', 'out'].map((key) => requireFlag(values, key, USAGE)) as [string, string, string, string];
  const request = samplingFromFlags(values);
  await prepareOutput(out);
  const engine = await openEngineFromFlags(values);
  const result = await engine.edit({ image, mask, prompt, ...request, sourceId: path.basename(image) }, { signal });
  await mkdir(path.dirname(path.resolve(out)), { recursive: true });
  await writeFile(out, encodePng(result.composites[0]!, metadataOf(result, 0)));
  const cells = result.maskedCells.filter(Boolean).length;
  console.log(`${out}: seed ${result.seed}, ${cells} of ${result.maskedCells.length} cells regenerated, ${Math.round(result.timings.totalMs)} ms`);
});
