/**
 * The tiny Janus replica (native-models/janus/make_replica.py) is faithful to the published
 * onnx-community/Janus-Pro-1B-ONNX layout: transformers.js, which reads that layout, loads it
 * from disk with remote models off and generates images with it, and its logits at every
 * forced step equal the PyTorch reference that the script wrote from the same weights.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from './fixtures.js';
import { openPeer, peerForcedLogits, peerPromptInputs, type PeerModel } from './janus-peer.js';

export const JANUS_TINY = path.join(FIXTURES, 'janus-tiny');
export interface JanusReference {
  prompt: string; promptIds: number[]; forcedTokens: number[]; guidance: number;
  logits: Record<'none' | 'deepseek' | 'transformers.js', number[][]>;
}
export const reference = JSON.parse(readFileSync(path.join(FIXTURES, 'janus-tiny-reference.json'), 'utf8')) as JanusReference;
const TOKENS = 576;

/** The reference's forced tokens, then token 0 up to a whole image. */
export function forcedImage(): number[] {
  return [...reference.forcedTokens, ...new Array<number>(TOKENS - reference.forcedTokens.length).fill(0)];
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('Janus replica under transformers.js', () => {
  let peer: PeerModel;
  beforeAll(async () => { peer = await openPeer(JANUS_TINY); });

  it('loads from disk with remote models off and generate_images makes 384-px images, with and without guidance', async () => {
    const inputs = await peerPromptInputs(peer, 'a red fox in the snow');
    for (const guidance_scale of [null, 5]) {
      const images = await peer.model.generate_images({
        ...inputs, min_new_tokens: TOKENS, max_new_tokens: TOKENS, do_sample: true, guidance_scale,
      } as never);
      expect(images).toHaveLength(1);
      expect([images[0]!.width, images[0]!.height, images[0]!.channels]).toEqual([384, 384, 3]);
      expect(new Set(images[0]!.data).size).toBeGreaterThan(10);
    }
  }, 120_000);

  it('its text_to_image chat template gives the prompt ids of the PyTorch reference', async () => {
    const inputs = await peerPromptInputs(peer, reference.prompt);
    expect(Array.from(inputs.input_ids!.data as BigInt64Array, Number)).toEqual(reference.promptIds);
  });

  it.each([['none', 1], ['transformers.js', reference.guidance]] as const)(
    'its logits equal the PyTorch reference at every forced step (unconditional row: %s)', async (rows, guidance) => {
      const { steps } = await peerForcedLogits(peer, reference.prompt, forcedImage(), guidance);
      expect(steps).toHaveLength(TOKENS);
      const expected = reference.logits[rows];
      for (let step = 0; step < expected.length; step++) {
        expect(maxAbsDifference(steps[step]!, expected[step]!)).toBeLessThanOrEqual(1e-4);
      }
    }, 60_000);
});
