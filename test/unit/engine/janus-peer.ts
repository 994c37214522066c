/**
 * The Janus replica's fixtures, and transformers.js (main/cli/janus-peer.ts) recording the
 * (guided) logits it samples from at every step while forcing the given image tokens.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LogitsProcessor, type Tensor } from '@huggingface/transformers';
import { expect } from 'vitest';
import { peerPromptInputs, type PeerModel } from '../../../main/cli/janus-peer.js';
import { FIXTURES } from './fixtures.js';

export { openPeer, peerPromptInputs, type PeerModel } from '../../../main/cli/janus-peer.js';

export const JANUS_TINY = path.join(FIXTURES, 'hf', 'janus-tiny');
export interface JanusReference {
  prompt: string; promptIds: number[]; forcedTokens: number[]; guidance: number;
  logits: Record<'none' | 'deepseek' | 'transformers.js', number[][]>;
}
export const reference = JSON.parse(readFileSync(path.join(FIXTURES, 'janus-tiny-reference.json'), 'utf8')) as JanusReference;

/** The reference's forced tokens, then token 0 up to a whole image. */
export function forcedImage(): number[] {
  return [...reference.forcedTokens, ...new Array<number>(576 - reference.forcedTokens.length).fill(0)];
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}


/** Records each step's logits (after guidance), then leaves only the forced token finite. */
class ForcingRecorder extends LogitsProcessor {
  readonly steps: Float32Array[] = [];
  constructor(private readonly forced: readonly number[]) { super(); }
  override _call(_inputIds: bigint[][], logits: Tensor): Tensor {
    const data = logits.data as Float32Array;
    this.steps.push(Float32Array.from(data));
    const token = this.forced[this.steps.length - 1]!;
    const width = logits.dims.at(-1)!;
    for (let i = 0; i < data.length; i++) if (i % width !== token) data[i] = -Infinity;
    return logits;
  }
}

/** A whole image (forced.length must be the model's token count) through generate_images. */
export async function peerForcedLogits(
  peer: PeerModel, prompt: string, forced: readonly number[], guidance: number,
): Promise<{ steps: Float32Array[]; pixels: Uint8Array }> {
  const inputs = await peerPromptInputs(peer, prompt);
  const recorder = new ForcingRecorder(forced);
  const [image] = await peer.model.generate_images({
    ...inputs, min_new_tokens: forced.length, max_new_tokens: forced.length, do_sample: false,
    guidance_scale: guidance > 1 ? guidance : null, logits_processor: [recorder],
  } as never);
  return { steps: recorder.steps, pixels: image!.data as Uint8Array };
}
