import ort from 'onnxruntime-node';
import fs from 'node:fs';
const dir = '/work/main/native-models/shapes-v1/';
for (const threads of [1, 2]) {
  const s = await ort.InferenceSession.create(dir + 'decoder.onnx', { graphOptimizationLevel: 'all', intraOpNumThreads: threads, enableProfiling: threads === 2, profileFilePrefix: '/tmp/ortprof' } as any);
  const B = 2, P = 32, T = 12;
  const f = (n: number) => new Float32Array(n).map(() => Math.random() * 0.1);
  const feeds = {
    input_ids: new ort.Tensor('int64', new BigInt64Array(B).fill(5n), [B, 1]),
    past_keys: new ort.Tensor('float32', f(4 * B * 4 * P * 64), [4, B, 4, P, 64]),
    past_values: new ort.Tensor('float32', f(4 * B * 4 * P * 64), [4, B, 4, P, 64]),
    cross_keys: new ort.Tensor('float32', f(4 * B * 4 * T * 64), [4, B, 4, T, 64]),
    cross_values: new ort.Tensor('float32', f(4 * B * 4 * T * 64), [4, B, 4, T, 64]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(B * T).fill(1n), [B, T]),
  };
  for (let i = 0; i < 20; i++) await s.run(feeds);
  const t = performance.now();
  for (let i = 0; i < 200; i++) await s.run(feeds);
  console.log('threads', threads, ((performance.now() - t) / 200).toFixed(3), 'ms/step');
  if (threads === 2) { const file = (s as any).endProfiling?.(); console.log(file); }
}
