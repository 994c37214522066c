/**
 * Graphs rewritten for CPU sessions (main/engine/graph-rewrite.ts): large weights stay in the
 * file as references to their own bytes, and the session computes exactly what the file does;
 * int8 compute touches only MatMulNBits nodes and keeps a level the graph set itself; the replica's q4 language model
 * then runs on ONNX Runtime's int8 kernel (its logits move a little from the fp32-widening
 * path, and stay close); a graph with external data still finds it; the engine says which
 * compute it uses, and `int8Compute: false` runs the files as published.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine/index.js';
import { BY_REFERENCE_BYTES, rewriteGraph } from '../../../main/engine/graph-rewrite.js';
import { openJanusModel } from '../../../main/engine/models/janus/index.js';
import { ATTRIBUTE, fieldsOf, GRAPH, MODEL, NODE, stringOf, TENSOR } from '../../../main/engine/onnx-proto.js';
import { JANUS_TINY, maxAbsDifference, reference } from './janus-peer.js';

const Q4_LANGUAGE_MODEL = path.join(JANUS_TINY, 'onnx', 'language_model_q4.onnx');
const FP32_GEN_HEAD = path.join(JANUS_TINY, 'onnx', 'gen_head.onnx');
const work = mkdtempSync(path.join(tmpdir(), 'parti-int8-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Each node of the main graph: its op type and its `accuracy_level` (undefined when unset). */
function nodesOf(model: Uint8Array): { op: string; level: number | undefined }[] {
  const graph = fieldsOf(model).find((f) => f.number === MODEL.graph)!.body!;
  return fieldsOf(graph)
    .filter((f) => f.number === GRAPH.node)
    .map((f) => {
      const node = fieldsOf(f.body!);
      const level = node
        .filter((n) => n.number === NODE.attribute)
        .map((n) => fieldsOf(n.body!))
        .find((attribute) => stringOf(attribute, ATTRIBUTE.name) === 'accuracy_level');
      return { op: stringOf(node, NODE.op_type), level: level?.find((a) => a.number === ATTRIBUTE.i)?.value };
    });
}

/** The decoder's logits for the reference prompt's first step and a few forced image steps. */
async function firstLogits(dir: string, int8Compute: boolean): Promise<{ logits: Float32Array[]; precision: string }> {
  const model = await openJanusModel(dir, { provider: 'cpu', int8Compute });
  try {
    const state = await model.startDecoding({ prompt: model.prepare(reference.prompt), negativePrompt: model.prepare(''), candidates: 1, guided: true, useCache: true });
    const logits = [Float32Array.from((await state.begin([], 0)).data)];
    for (const token of [3, 17, 101]) logits.push(Float32Array.from((await state.step(new Array(state.rows).fill(token), 1)).data));
    return { logits, precision: model.info.precision };
  } finally {
    await model.release();
  }
}

describe('graphs rewritten for CPU sessions', () => {
  it('sets accuracy_level 4 on every MatMulNBits node and leaves every other node as it was', () => {
    const before = nodesOf(readFileSync(Q4_LANGUAGE_MODEL));
    const { bytes, int8Nodes } = rewriteGraph(Q4_LANGUAGE_MODEL, true);
    const after = nodesOf(bytes);
    const matMuls = before.filter((n) => n.op === 'MatMulNBits').length;
    expect(matMuls).toBeGreaterThan(0);
    expect(int8Nodes).toBe(matMuls);
    expect(after.map((n) => n.op)).toEqual(before.map((n) => n.op));
    expect(before.filter((n) => n.op === 'MatMulNBits').every((n) => n.level === undefined)).toBe(true);
    expect(after.filter((n) => n.op === 'MatMulNBits').every((n) => n.level === 4)).toBe(true);
    expect(after.filter((n) => n.op !== 'MatMulNBits')).toEqual(before.filter((n) => n.op !== 'MatMulNBits'));
    expect(nodesOf(rewriteGraph(Q4_LANGUAGE_MODEL, false).bytes)).toEqual(before);
  });

  it('leaves large weights in the file: each becomes a reference to the very bytes it had inline; small ones stay inline', () => {
    const file = readFileSync(FP32_GEN_HEAD);
    const initializers = (model: Uint8Array) =>
      fieldsOf(fieldsOf(model).find((f) => f.number === MODEL.graph)!.body!).filter((f) => f.number === GRAPH.initializer).map((f) => fieldsOf(f.body!));
    const { bytes, referencedWeights } = rewriteGraph(FP32_GEN_HEAD, false);
    const [original, rewritten] = [initializers(file), initializers(bytes)];
    expect(rewritten).toHaveLength(original.length);
    const large = original.filter((t) => (t.find((f) => f.number === TENSOR.raw_data)?.body?.length ?? 0) >= BY_REFERENCE_BYTES);
    expect(large.length).toBeGreaterThan(0);
    expect(referencedWeights).toBe(large.length);
    expect(bytes.length).toBeLessThan(file.length / 2);
    for (const [i, tensor] of rewritten.entries()) {
      const raw = original[i]!.find((f) => f.number === TENSOR.raw_data)?.body;
      const external = Object.fromEntries(tensor.filter((f) => f.number === TENSOR.external_data).map((f) => { const kv = fieldsOf(f.body!); return [stringOf(kv, 1), stringOf(kv, 2)]; }));
      expect(stringOf(tensor, TENSOR.name)).toBe(stringOf(original[i]!, TENSOR.name));
      if (raw === undefined || raw.length < BY_REFERENCE_BYTES) {
        expect(external).toEqual({});
        continue;
      }
      expect(external.location).toBe('gen_head.onnx');
      expect(tensor.find((f) => f.number === TENSOR.data_location)?.value).toBe(TENSOR.EXTERNAL);
      expect(Buffer.from(file.subarray(Number(external.offset), Number(external.offset) + Number(external.length))).equals(Buffer.from(raw))).toBe(true);
    }
  });

  it('a session from the rewritten graph computes exactly what the file computes', async () => {
    const [fromFile, fromBytes] = [await ort.InferenceSession.create(FP32_GEN_HEAD), await ort.InferenceSession.create(rewriteGraph(FP32_GEN_HEAD, false).bytes, { extra: { session: { model_external_initializers_file_folder_path: path.dirname(FP32_GEN_HEAD) } } })];
    const input = fromFile.inputMetadata[0]!;
    const width = (input.isTensor ? input.shape.at(-1) : 0) as number;
    const hidden = new ort.Tensor('float32', Float32Array.from({ length: 2 * width }, (_, i) => Math.sin(i)), [2, 1, width]);
    const [a, b] = [await fromFile.run({ [input.name]: hidden }), await fromBytes.run({ [input.name]: hidden })];
    expect(Array.from(b[fromBytes.outputNames[0]!]!.data as Float32Array)).toEqual(Array.from(a[fromFile.outputNames[0]!]!.data as Float32Array));
    expect([fromBytes.inputNames, fromBytes.outputNames]).toEqual([fromFile.inputNames, fromFile.outputNames]);
    await Promise.all([fromFile.release(), fromBytes.release()]);
  });

  it('keeps a level the graph set itself and weights already external, and a graph without MatMulNBits gains no int8 node', () => {
    const dir = path.join(work, 'again');
    cpSync(path.join(JANUS_TINY, 'onnx'), dir, { recursive: true });
    const once = path.join(dir, 'once.onnx');
    writeFileSync(once, rewriteGraph(path.join(dir, 'language_model_q4.onnx'), true).bytes);
    renameSync(path.join(dir, 'language_model_q4.onnx'), path.join(dir, 'language_model_q4.onnx.keep'));
    const again = rewriteGraph(once, true);
    expect([again.int8Nodes, again.referencedWeights]).toEqual([0, 0]);
    expect(rewriteGraph(path.join(JANUS_TINY, 'onnx', 'language_model.onnx'), true).int8Nodes).toBe(0);
  });

  it('runs the rewritten graph on the int8 kernel: logits move from the fp32 path, by little', async () => {
    const int8 = await firstLogits(JANUS_TINY, true);
    const fp32 = await firstLogits(JANUS_TINY, false);
    expect(int8.precision).toBe('prepare_inputs_embeds, language_model q4 (int8 compute); others fp32');
    expect(fp32.precision).toBe('prepare_inputs_embeds, language_model q4; others fp32');
    const worst = Math.max(...int8.logits.map((step, i) => maxAbsDifference(step, fp32.logits[i]!)));
    const scale = Math.max(...fp32.logits.flatMap((step) => Array.from(step, Math.abs)));
    expect(worst).toBeGreaterThan(0);
    expect(worst / scale).toBeLessThan(0.05);
  }, 60_000);

  it('a graph whose weights are external data (.onnx_data) still finds them when given as bytes', async () => {
    const dir = path.join(work, 'external');
    cpSync(JANUS_TINY, dir, { recursive: true });
    const file = path.join(dir, 'onnx', 'language_model_q4.onnx');
    execFileSync('/usr/bin/python3', ['-c', `import onnx; m = onnx.load(${JSON.stringify(file)}); onnx.save(m, ${JSON.stringify(file)}, save_as_external_data=True, location='language_model_q4.onnx_data', size_threshold=0)`]);
    expect(statSync(path.join(dir, 'onnx', 'language_model_q4.onnx_data')).size).toBeGreaterThan(readFileSync(Q4_LANGUAGE_MODEL).length - readFileSync(file).length - 1024);
    const inline = await firstLogits(JANUS_TINY, true);
    const external = await firstLogits(dir, true);
    expect(external.precision).toContain('(int8 compute)');
    expect(external.logits).toEqual(inline.logits);
  }, 60_000);

  it('the engine generates the same image twice from one seed with int8 compute', async () => {
    const engine = await Engine.open({ packageDir: JANUS_TINY, provider: 'cpu' });
    try {
      const request = { prompt: reference.prompt, seed: 11, settings: { candidates: 1, guidance: 3 } };
      const [a, b] = [await engine.generate(request), await engine.generate(request)];
      expect(Array.from(a.candidates[0]!.tokens)).toEqual(Array.from(b.candidates[0]!.tokens));
      expect(engine.package.precision).toContain('(int8 compute)');
    } finally {
      await engine.close();
    }
  }, 120_000);

});
