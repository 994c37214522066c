/**
 * The tiny Janus replica (native-models/janus/make_replica.py) is faithful to the published
 * onnx-community/Janus-Pro-1B-ONNX layout: transformers.js, which reads that layout, loads it
 * from disk with remote models off and generates images with it, and its logits at every
 * forced step equal the PyTorch reference that the script wrote from the same weights.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { forcedImage, JANUS_TINY, maxAbsDifference, openPeer, peerForcedLogits, peerPromptInputs, reference, type PeerModel } from './janus-peer.js';

const TOKENS = 576;

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
