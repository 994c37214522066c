/**
 * The studio over the engine in its own process, as both hosts run it: SIGKILL the engine
 * process mid-run (a native crash, or the out-of-memory killer) and that run fails with a
 * message, the run queued behind it and the next one work, and the library is untouched.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { GenerationFinished } from '../../../main/common/contract';
import { engineProcessPids, killEngineMidRun } from '../engine/engine-processes';
import { generateOnce, openInProcessStudio, type InProcessStudio } from '../in-process-studio';
import { addImages } from '../renderer/helpers';

let main: InProcessStudio;
let seeded: string[] = [];
beforeAll(async () => {
  main = await openInProcessStudio({ engine: 'process', seed: (dataDir) => (seeded = addImages(dataDir, ['a red circle', 'a blue square'])) });
});
afterAll(() => main.close());

const settings = (candidates: number) => ({ guidance: 3, temperature: 1, topK: 64, topP: 1, candidates });

test('a SIGKILLed engine process fails its run in words; the queued run, the next run and the library are intact', async () => {
  const { api } = main;
  const { engine, finished } = killEngineMidRun(api);
  expect(engine).toBeTypeOf('number');

  const crashed = await api.generation.start({ prompt: 'a green triangle', seed: 1, settings: settings(32) });
  const queued = await api.generation.start({ prompt: 'a yellow cross', seed: 2, settings: settings(2) });
  await expect.poll(() => finished.has(crashed.jobId) && finished.has(queued.jobId), { timeout: 60_000 }).toBe(true);

  expect(finished.get(crashed.jobId)).toEqual({
    jobId: crashed.jobId,
    outcome: 'failed',
    error: 'The engine stopped during this run (killed by SIGKILL, which is what running out of memory does). It is starting again; the next run will wait for it.',
  });
  expect(finished.get(queued.jobId)).toMatchObject({ outcome: 'done', candidates: [{}, {}] });
  expect(engineProcessPids()).not.toContain(engine);

  const next = await generateOnce(main, 'a purple circle', 3);
  expect(next.finished.outcome).toBe('done');
  // The library holds what it held, plus the runs that finished (main saves each whole); nothing of the crashed one.
  const savedBy = (event: GenerationFinished | undefined) => (event?.outcome === 'done' ? event.candidates.map((c) => c.imageId) : []);
  const { items } = await api.gallery.list({});
  expect(items.map((item) => item.id).sort()).toEqual([...seeded, ...savedBy(finished.get(queued.jobId)), ...savedBy(next.finished)].sort());
  expect((await api.settings.get()).runtime).toMatchObject({ model: { id: 'tiny-test' }, modelError: null });
});
