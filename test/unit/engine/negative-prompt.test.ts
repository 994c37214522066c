/**
 * Negative prompts: with guidance on, the unconditional rows read the negative prompt instead
 * of the empty one, in both model families; its text is kept with the result and in the PNG.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Engine, encodePng, formatParameters, metadataOf, readPngMetadata } from '../../../main/engine/index.js';
import { openJanusModel } from '../../../main/engine/models/janus/index.js';
import type { LoadedModel, StepLogits } from '../../../main/engine/models/index.js';
import { openPackage } from '../../../main/engine/models/shapes/package.js';
import { shapesModel } from '../../../main/engine/models/shapes/index.js';
import { TINY_PACKAGE } from './fixtures.js';
import { JANUS_TINY, maxAbsDifference } from './janus-peer.js';

describe('encoder–decoder family (shapes)', () => {
  it('feeds the negative prompt’s ids to the unconditional rows, the prompt’s to the others', async () => {
    const pkg = await openPackage(TINY_PACKAGE, { provider: 'cpu' });
    const model = shapesModel(pkg);
    const batch = vi.spyOn(pkg.tokenizer, 'batch');
    const [prompt, negativePrompt] = [model.prepare('a red circle'), model.prepare('a blue square at the top')];
    await model.startDecoding({ prompt, negativePrompt, candidates: 2, guided: true, useCache: true });
    expect(batch.mock.calls[0]![0].map((row) => row.ids)).toEqual([prompt.ids, negativePrompt.ids]);
    await model.release();
  });

  describe('through the engine', () => {
    let engine: Engine;
    beforeAll(async () => void (engine = await Engine.open({ packageDir: TINY_PACKAGE, provider: 'cpu' })));
    afterAll(() => engine.close());

    it('changes what guidance steers away from, is reported, and is written as A1111 writes it', async () => {
      const settings = { guidance: 3, candidates: 2 };
      const plain = await engine.generate({ prompt: 'a red circle', seed: 5, settings });
      const steered = await engine.generate({ prompt: 'a red circle', negativePrompt: 'a blue square', seed: 5, settings });
      expect(steered.negativePrompt).toBe('a blue square');
      expect(plain.negativePrompt).toBeUndefined();
      expect(steered.candidates.map((c) => Array.from(c.tokens))).not.toEqual(plain.candidates.map((c) => Array.from(c.tokens)));

      const parameters = metadataOf(steered, 0);
      expect(parameters.negativePrompt).toBe('a blue square');
      const png = encodePng(steered.candidates[0]!.image, parameters);
      expect(readPngMetadata(png)?.negativePrompt).toBe('a blue square');
      expect(formatParameters(parameters, 64, 64).split('\n')).toEqual(['a red circle', 'Negative prompt: a blue square', expect.stringMatching(/^Sampler: /)]);
    });

    it('changes nothing without guidance (no unconditional rows)', async () => {
      const settings = { guidance: 1, candidates: 2 };
      const plain = await engine.generate({ prompt: 'a red circle', seed: 6, settings });
      const steered = await engine.generate({ prompt: 'a red circle', negativePrompt: 'a blue square', seed: 6, settings });
      expect(steered.candidates.map((c) => Array.from(c.tokens))).toEqual(plain.candidates.map((c) => Array.from(c.tokens)));
    });
  });
});

describe('decoder-only family (Janus)', () => {
  let model: LoadedModel;
  beforeAll(async () => void (model = await openJanusModel(JANUS_TINY, { provider: 'cpu', precision: 'fp32' })));
  afterAll(() => model.release());

  /** The logits of the first image token, and of the next after feeding token 7 to every row. */
  const firstSteps = async (request: Parameters<LoadedModel['startDecoding']>[0]): Promise<[StepLogits, StepLogits]> => {
    const state = await model.startDecoding(request);
    const first = await state.begin([], 0);
    // The engine may reuse its output buffers: keep a copy of the first step.
    const kept = { ...first, data: Float32Array.from(first.data) };
    return [kept, await state.step(Array<number>(state.rows).fill(7), 1)];
  };
  const firstStep = async (request: Parameters<LoadedModel['startDecoding']>[0]) => (await firstSteps(request))[0];
  const row = (logits: StepLogits, r: number) => logits.data.subarray(r * logits.vocab, (r + 1) * logits.vocab);

  it('reads a shorter negative prompt, left-padded, exactly as that prompt read alone', async () => {
    const [prompt, negativePrompt] = [model.prepare('a red circle at the top left on a white background'), model.prepare('blue')];
    expect(negativePrompt.ids.length).toBeLessThan(prompt.ids.length);
    const guided = await firstSteps({ prompt, negativePrompt, candidates: 1, guided: true, useCache: true });
    const alone = await firstSteps({ prompt: negativePrompt, negativePrompt: model.prepare(''), candidates: 1, guided: false, useCache: true });
    const promptAlone = await firstSteps({ prompt, negativePrompt: model.prepare(''), candidates: 1, guided: false, useCache: true });
    for (const step of [0, 1]) {
      expect(maxAbsDifference(row(guided[step]!, 1), row(alone[step]!, 0))).toBeLessThanOrEqual(1e-4);
      expect(maxAbsDifference(row(guided[step]!, 0), row(promptAlone[step]!, 0))).toBeLessThanOrEqual(1e-4);
    }
  });

  it('and the longer of the two can be either', async () => {
    const [prompt, negativePrompt] = [model.prepare('red'), model.prepare('a blue square at the bottom right on a black background')];
    const guided = await firstStep({ prompt, negativePrompt, candidates: 1, guided: true, useCache: true });
    const promptAlone = await firstStep({ prompt, negativePrompt: model.prepare(''), candidates: 1, guided: false, useCache: true });
    expect(maxAbsDifference(row(guided, 0), row(promptAlone, 0))).toBeLessThanOrEqual(1e-4);
  });
});
