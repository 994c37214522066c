/**
 * 4-bit graphs on CPU with ONNX Runtime's int8 kernel. The published `_q4` files (as
 * ONNX Runtime's 4-bit quantiser writes them by default) leave MatMulNBits' `accuracy_level`
 * unset, and on CPU that means each 4-bit block is widened to fp32 for every token; with
 * `accuracy_level` 4 the kernel quantises the activations to int8 per block and keeps the
 * weights packed (the path onnxruntime-genai's model builder emits for CPU, and the class
 * of kernel llama.cpp uses). Measured here: 4.4× faster MatMuls at Janus-Pro-1B's widths.
 * The file on disk is not changed: its bytes are rewritten in memory when the session is
 * created, touching only MatMulNBits nodes; everything else (the weights) is copied as it is.
 */
import { readFile } from 'node:fs/promises';
import protobuf from 'protobufjs/minimal.js';
import type { GraphSource } from './providers.js';
import { ATTRIBUTE, delimitedHeader, fieldsOf, GRAPH, LENGTH_DELIMITED, MODEL, NODE, stringOf, VARINT, type Field } from './onnx-proto.js';

/** MatMulNBits' compute type: int8 activations (its schema: 0 unset, 1 fp32, 2 fp16, 3 bf16, 4 int8). */
export const INT8_ACCURACY_LEVEL = 4;
const ACCURACY_LEVEL = 'accuracy_level';

const int8Attribute = (() => {
  const attribute = protobuf.Writer.create()
    .uint32((ATTRIBUTE.name << 3) | LENGTH_DELIMITED).string(ACCURACY_LEVEL)
    .uint32((ATTRIBUTE.i << 3) | VARINT).int32(INT8_ACCURACY_LEVEL)
    .uint32((ATTRIBUTE.type << 3) | VARINT).int32(ATTRIBUTE.INT)
    .finish();
  return [delimitedHeader(NODE.attribute, attribute.length), attribute];
})();

/** A MatMulNBits node's bytes with `accuracy_level` 4, or null for any other node and one whose level the graph set itself. */
function int8Node(node: Uint8Array): Uint8Array[] | null {
  const fields = fieldsOf(node);
  if (stringOf(fields, NODE.op_type) !== 'MatMulNBits' || stringOf(fields, NODE.domain) !== 'com.microsoft') return null;
  const isLevel = (f: Field) => f.number === NODE.attribute && stringOf(fieldsOf(f.body!), ATTRIBUTE.name) === ACCURACY_LEVEL;
  const level = fields.find(isLevel);
  if (level && (fieldsOf(level.body!).find((f) => f.number === ATTRIBUTE.i)?.value ?? 0) !== 0) return null;
  return [...fields.filter((f) => f !== level).map((f) => f.whole), ...int8Attribute];
}

const byteLength = (parts: Uint8Array[]) => parts.reduce((sum, part) => sum + part.length, 0);

/**
 * `model` (ONNX bytes) with every MatMulNBits node of its main graph set to int8 compute,
 * and how many nodes changed; `model` itself when none did. One copy of the file is made.
 */
export function withInt8MatMul(model: Uint8Array): { model: Uint8Array; changed: number } {
  const parts: Uint8Array[] = [];
  let changed = 0;
  for (const field of fieldsOf(model)) {
    if (field.number !== MODEL.graph || !field.body) {
      parts.push(field.whole);
      continue;
    }
    const graph: Uint8Array[] = [];
    for (const entry of fieldsOf(field.body)) {
      const node = entry.number === GRAPH.node && entry.body ? int8Node(entry.body) : null;
      if (node === null) {
        graph.push(entry.whole);
        continue;
      }
      changed++;
      graph.push(delimitedHeader(GRAPH.node, byteLength(node)), ...node);
    }
    parts.push(delimitedHeader(MODEL.graph, byteLength(graph)), ...graph);
  }
  return changed === 0 ? { model, changed } : { model: Buffer.concat(parts), changed };
}

/** The graph in `file` with int8 MatMulNBits as bytes to create its session from, or the file itself where nothing changed. */
export async function int8MatMulSource(file: string): Promise<GraphSource> {
  const { model, changed } = withInt8MatMul(await readFile(file));
  return changed === 0 ? file : { file, bytes: model };
}
