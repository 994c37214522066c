/**
 * Parity with PyTorch: every graph run on the exporter's recorded inputs must give its
 * recorded outputs (max abs diff <= 1e-4; integer outputs exactly). Also the KV-cached
 * decoder path against the uncached one.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecoderState, encodePrompts } from '../../../main/engine/models/shapes/decoder-state.js';
import { openPackage, type ModelPackage } from '../../../main/engine/models/shapes/package.js';
import { FIXTURES, TINY_PACKAGE, TINY_PARITY } from './fixtures.js';

interface RecordedTensor {
  dtype: 'float32' | 'int64';
  shape: number[];
  base64: string;
}
interface ParityCase {
  graph: string;
  inputs: Record<string, RecordedTensor>;
  outputs: Record<string, RecordedTensor>;
}

function tensorOf(recorded: RecordedTensor): ort.Tensor {
  const bytes = Buffer.from(recorded.base64, 'base64');
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const data = recorded.dtype === 'int64' ? new BigInt64Array(buffer) : new Float32Array(buffer);
  return new ort.Tensor(recorded.dtype, data, recorded.shape);
}

const REPO = path.resolve(FIXTURES, '../..');
/** [package, parity folder] pairs present in this checkout. */
const suites = [
  [TINY_PACKAGE, TINY_PARITY],
  [path.join(REPO, 'native-models/shapes-v1'), path.join(REPO, 'native-models/shapes-v1/parity')],
  [path.join(REPO, 'native-models/shapes-v1'), path.join(FIXTURES, 'parity/shapes-v1')],
].filter(([pkg, parity]) => existsSync(path.join(pkg!, 'manifest.json')) && existsSync(parity!));

describe.each(suites)('parity of %s', (packageDir, parityDir) => {
  const cases = readdirSync(parityDir!).filter((f) => f.endsWith('.json'));
  let model: ModelPackage;
  beforeAll(async () => {
    model = await openPackage(packageDir!, { provider: 'cpu' });
  });
  afterAll(async () => model.release());

  it('has a parity case for every graph', () => {
    expect(cases.map((f) => f.replace('.json', '')).sort()).toEqual(Object.keys(model.sessions).sort());
  });

  it.each(cases)('%s matches PyTorch', async (file) => {
    const recorded = JSON.parse(readFileSync(path.join(parityDir!, file), 'utf8')) as ParityCase;
    const session = model.sessions[file.replace('.json', '') as keyof ModelPackage['sessions']];
    const feeds = Object.fromEntries(Object.entries(recorded.inputs).map(([name, t]) => [name, tensorOf(t)]));
    const out = await session.run(feeds);
    for (const [name, expected] of Object.entries(recorded.outputs)) {
      const actual = out[name]!;
      expect(actual.dims).toEqual(expected.shape);
      const want = tensorOf(expected).data;
      if (expected.dtype === 'int64') {
        expect(Array.from(actual.data as BigInt64Array)).toEqual(Array.from(want as BigInt64Array));
      } else {
        const got = actual.data as Float32Array;
        let maxDiff = 0;
        got.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - (want as Float32Array)[i]!))));
        expect(maxDiff, `${file} ${name}`).toBeLessThanOrEqual(1e-4);
      }
    }
  });

  it('KV-cached decoding gives the uncached logits', async () => {
    const prompts = model.tokenizer.batch(['a red circle at the top left', ''].map((text) => model.tokenizer.prepare(text)));
    const cross = await encodePrompts(model.sessions.textEncoder, prompts, [0, 1]);
    const cached = new DecoderState(model.sessions.decoder, model.manifest.decoder, cross, 2, true);
    const uncached = new DecoderState(model.sessions.decoder, model.manifest.decoder, cross, 2, false);
    const start = model.manifest.decoder.startTokenId;
    const feed = [[start, start], [5, 9], [17, 3], [200, 1]];
    let maxDiff = 0;
    for (const tokens of feed) {
      const [a, b] = [await cached.step(tokens, 1), await uncached.step(tokens, 1)];
      a.data.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - b.data[i]!))));
    }
    expect(cached.length).toBe(4);
    expect(maxDiff).toBeLessThanOrEqual(1e-4);
  });

  it('a chunk of S tokens gives the logits of S single steps (edits feed forced runs as chunks)', async () => {
    const prompts = model.tokenizer.batch([model.tokenizer.prepare('a blue square')]);
    const cross = await encodePrompts(model.sessions.textEncoder, prompts, [0]);
    const chunked = new DecoderState(model.sessions.decoder, model.manifest.decoder, cross, 1);
    const stepped = new DecoderState(model.sessions.decoder, model.manifest.decoder, cross, 1);
    const tokens = [model.manifest.decoder.startTokenId, 12, 40, 7];
    const whole = await chunked.step(tokens, tokens.length);
    const vocab = whole.vocab;
    let maxDiff = 0;
    for (const [s, token] of tokens.entries()) {
      const single = await stepped.step([token], 1);
      single.data.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - whole.data[s * vocab + i]!))));
    }
    expect(whole.steps).toBe(4);
    expect(maxDiff).toBeLessThanOrEqual(1e-4);
  });
});
