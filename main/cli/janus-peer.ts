/**
 * transformers.js (@huggingface/transformers, a devDependency) running a Janus folder: the
 * peer that the replica tests and the bench compare this engine with. It loads the folder
 * from disk with remote models off, as its own MultiModalityCausalLM and VLChatProcessor.
 */
import path from 'node:path';
import { AutoProcessor, env, MultiModalityCausalLM, type Tensor } from '@huggingface/transformers';

export interface PeerModel {
  processor: Awaited<ReturnType<typeof AutoProcessor.from_pretrained>>;
  model: MultiModalityCausalLM;
}

export async function openPeer(folder: string, dtype = 'fp32'): Promise<PeerModel> {
  env.allowRemoteModels = false;
  env.localModelPath = path.dirname(path.resolve(folder)) + path.sep;
  const id = path.basename(folder);
  const processor = await AutoProcessor.from_pretrained(id);
  const model = (await MultiModalityCausalLM.from_pretrained(id, { dtype: dtype as 'fp32', device: 'cpu' })) as MultiModalityCausalLM;
  return { processor, model };
}

/** The ids VLChatProcessor makes of a prompt with the folder's `text_to_image` chat template. */
export async function peerPromptInputs(peer: PeerModel, prompt: string): Promise<Record<string, Tensor>> {
  return peer.processor([{ role: '<|User|>', content: prompt }], { chat_template: 'text_to_image' });
}
