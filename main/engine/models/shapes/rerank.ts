/** The reranker: a contrastive text/image-token model whose score orders candidates. */
import ort from 'onnxruntime-node';
import { tokensTensor } from './image-tokens.js';
import type { ModelPackage } from './package.js';
import type { PreparedPrompt } from '../model.js';

/** logitScale × dot(text, image) for each token grid against the prompt (both embeddings are L2-normalised). */
export async function rerankScores(model: ModelPackage, prompt: PreparedPrompt, grids: readonly Int32Array[]): Promise<number[]> {
  const text = model.tokenizer.batch([prompt]);
  const shape = [1, text.length];
  const [textOut, imageOut] = [
    await model.sessions.rerankerText.run({
      input_ids: new ort.Tensor('int64', text.inputIds, shape),
      attention_mask: new ort.Tensor('int64', text.attentionMask, shape),
    }),
    await model.sessions.rerankerImage.run({ tokens: tokensTensor(grids) }),
  ];
  const textEmbed = textOut.text_embeds!.data as Float32Array;
  const imageEmbeds = imageOut.image_embeds!.data as Float32Array;
  const dim = textEmbed.length;
  return grids.map((_, b) => {
    let dot = 0;
    for (let e = 0; e < dim; e++) dot += textEmbed[e]! * imageEmbeds[b * dim + e]!;
    return model.manifest.reranker.logitScale * dot;
  });
}
