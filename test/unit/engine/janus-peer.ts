/**
 * transformers.js as the peer for the Janus replica: loads a Janus folder from disk with
 * remote models off and records the (guided) logits it samples from at every step while
 * forcing the given image tokens.
 */
import path from 'node:path';
import { AutoProcessor, env, LogitsProcessor, MultiModalityCausalLM, type Tensor } from '@huggingface/transformers';

export interface PeerModel {
  processor: Awaited<ReturnType<typeof AutoProcessor.from_pretrained>>;
  model: MultiModalityCausalLM;
}

export async function openPeer(folder: string): Promise<PeerModel> {
  env.allowRemoteModels = false;
  env.localModelPath = path.dirname(folder) + path.sep;
  const id = path.basename(folder);
  const processor = await AutoProcessor.from_pretrained(id);
  const model = (await MultiModalityCausalLM.from_pretrained(id, { dtype: 'fp32', device: 'cpu' })) as MultiModalityCausalLM;
  return { processor, model };
}

/** The ids VLChatProcessor makes of a prompt with the folder's `text_to_image` chat template. */
export async function peerPromptInputs(peer: PeerModel, prompt: string): Promise<Record<string, Tensor>> {
  return peer.processor([{ role: '<|User|>', content: prompt }], { chat_template: 'text_to_image' });
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
