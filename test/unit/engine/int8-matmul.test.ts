/**
 * 4-bit graphs on CPU computed in int8 (main/engine/int8-matmul.ts): the rewrite touches only
 * MatMulNBits nodes and keeps a level the graph set itself; the replica's q4 language model
 * then runs on ONNX Runtime's int8 kernel (its logits move a little from the fp32-widening
 * path, and stay close); a graph with external data still finds it; the engine says which
 * compute it uses, and `int8Compute: false` runs the files as published.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine/index.js';
import { withInt8MatMul } from '../../../main/engine/int8-matmul.js';
import { openJanusModel } from '../../../main/engine/models/janus/index.js';
import { ATTRIBUTE, fieldsOf, GRAPH, MODEL, NODE, stringOf } from '../../../main/engine/onnx-proto.js';
import { JANUS_TINY, maxAbsDifference, reference } from './janus-peer.js';

const Q4_LANGUAGE_MODEL = path.join(JANUS_TINY, 'onnx', 'language_model_q4.onnx');
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

describe('int8 compute for 4-bit graphs on CPU', () => {
  it('sets accuracy_level 4 on every MatMulNBits node, leaves every other node and all weights as they were', () => {
    const original = readFileSync(Q4_LANGUAGE_MODEL);
    const before = nodesOf(original);
    const { model, changed } = withInt8MatMul(original);
    const after = nodesOf(model);
    const matMuls = before.filter((n) => n.op === 'MatMulNBits').length;
    expect(matMuls).toBeGreaterThan(0);
    expect(changed).toBe(matMuls);
    expect(after.map((n) => n.op)).toEqual(before.map((n) => n.op));
    expect(before.filter((n) => n.op === 'MatMulNBits').every((n) => n.level === undefined)).toBe(true);
    expect(after.filter((n) => n.op === 'MatMulNBits').every((n) => n.level === 4)).toBe(true);
    expect(after.filter((n) => n.op !== 'MatMulNBits')).toEqual(before.filter((n) => n.op !== 'MatMulNBits'));
    const initializers = (bytes: Uint8Array) => fieldsOf(fieldsOf(bytes).find((f) => f.number === MODEL.graph)!.body!).filter((f) => f.number === GRAPH.initializer).map((f) => Buffer.from(f.whole));
    expect(initializers(model)).toEqual(initializers(original));
  });

  it('keeps a level the graph set itself, and a graph without MatMulNBits comes back as it was', () => {
    const once = withInt8MatMul(readFileSync(Q4_LANGUAGE_MODEL)).model;
    expect(withInt8MatMul(once)).toEqual({ model: once, changed: 0 });
    const fp32 = readFileSync(path.join(JANUS_TINY, 'onnx', 'language_model.onnx'));
    expect(withInt8MatMul(fp32).model).toBe(fp32);
  });

  it('runs the rewritten graph on the int8 kernel: logits move from the fp32 path, by little', async () => {
    const int8 = await firstLogits(JANUS_TINY, true);
    const fp32 = await firstLogits(JANUS_TINY, false);
    expect(int8.precision).toBe('prepare_inputs_embeds q4; language_model q4 (int8 compute); others fp32');
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

  it('a session from the rewritten bytes reports the same inputs and outputs as the file', async () => {
    const [file, bytes] = [await ort.InferenceSession.create(Q4_LANGUAGE_MODEL), await ort.InferenceSession.create(withInt8MatMul(readFileSync(Q4_LANGUAGE_MODEL)).model)];
    expect([bytes.inputNames, bytes.outputNames]).toEqual([file.inputNames, file.outputNames]);
    await Promise.all([file.release(), bytes.release()]);
  });
});
