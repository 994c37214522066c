/**
 * A big graph as ONNX Runtime is handed it on CPU: rewritten in memory when the session is
 * created (the file on disk is never changed), read piecewise from the file so that its
 * weights never pass through JavaScript.
 *
 * - **Weights read once, from the file.** A graph given by path is parsed whole by ONNX
 *   Runtime and then copied into its tensors, so loading a 1 GB file costs 2 GB at its
 *   peak. Each large initializer instead becomes an external-data reference to where its
 *   bytes already lie in the same file (ONNX's `location`/`offset`/`length`): the graph
 *   handed over is the file less its weights, and each weight is read straight into its tensor.
 * - **Int8 compute for 4-bit MatMuls** (where asked). The published `_q4` files (as ONNX
 *   Runtime's 4-bit quantiser writes them by default) leave MatMulNBits' `accuracy_level`
 *   unset, which on CPU widens each 4-bit block to fp32 for every token; with 4 the kernel
 *   quantises the activations to int8 per block and keeps the weights packed (what
 *   onnxruntime-genai's model builder emits for CPU; the class of kernel llama.cpp uses).
 *   Measured here: 4.4× faster MatMuls at Janus-Pro-1B's widths.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import protobuf from 'protobufjs/minimal.js';
import type { GraphSource } from './providers.js';
import { ATTRIBUTE, delimitedHeader, fieldsOf, GRAPH, LENGTH_DELIMITED, MODEL, NODE, stringOf, TENSOR, VARINT, type Field } from './onnx-proto.js';

/** MatMulNBits' compute type: int8 activations (its schema: 0 unset, 1 fp32, 2 fp16, 3 bf16, 4 int8). */
export const INT8_ACCURACY_LEVEL = 4;
const ACCURACY_LEVEL = 'accuracy_level';
/** Initializers at least this big are read from the file by reference; smaller ones stay inline. */
export const BY_REFERENCE_BYTES = 64 * 1024;
/** Longest field header: a tag and a length, as varints. */
const MAX_HEADER = 20;

const message = (write: (writer: protobuf.Writer) => unknown) => {
  const writer = protobuf.Writer.create();
  write(writer);
  return writer.finish();
};
const delimited = (number: number, body: Uint8Array) => [delimitedHeader(number, body.length), body];
const byteLength = (parts: Uint8Array[]) => parts.reduce((sum, part) => sum + part.length, 0);

/** Where one field of a message lies in the file. */
interface Span {
  number: number;
  start: number;
  /** A length-delimited field's payload starts here; other fields end here. */
  body: number;
  end: number;
  /** A varint field's value. */
  value?: number;
}

/** Positioned reads of one open file. */
class GraphFile {
  readonly size: number;
  constructor(private readonly fd: number) {
    this.size = fstatSync(fd).size;
  }

  bytes(start: number, end: number): Uint8Array {
    const out = Buffer.allocUnsafe(end - start);
    for (let at = 0; at < out.length; ) {
      const read = readSync(this.fd, out, at, out.length - at, start + at);
      if (read === 0) throw new Error(`the graph file ends at byte ${start + at} inside a field`);
      at += read;
    }
    return out;
  }

  /** The fields of the message in [start, end), reading only their headers. */
  *spans(start: number, end: number): Generator<Span> {
    for (let at = start; at < end; ) {
      const reader = protobuf.Reader.create(this.bytes(at, Math.min(end, at + MAX_HEADER)));
      const tag = reader.uint32();
      const span: Span = { number: tag >>> 3, start: at, body: 0, end: 0 };
      if ((tag & 7) === LENGTH_DELIMITED) {
        const length = reader.uint32();
        span.body = at + reader.pos;
        span.end = span.body + length;
      } else {
        if ((tag & 7) === VARINT) span.value = Number(BigInt.asIntN(64, BigInt(reader.uint64().toString())));
        else reader.skipType(tag & 7);
        span.body = span.end = at + reader.pos;
      }
      if (span.end > end) throw new Error(`a field at byte ${at} runs past its message`);
      yield span;
      at = span.end;
    }
  }
}

const int8Attribute = delimited(
  NODE.attribute,
  message((w) =>
    w.uint32((ATTRIBUTE.name << 3) | LENGTH_DELIMITED).string(ACCURACY_LEVEL)
      .uint32((ATTRIBUTE.i << 3) | VARINT).int32(INT8_ACCURACY_LEVEL)
      .uint32((ATTRIBUTE.type << 3) | VARINT).int32(ATTRIBUTE.INT),
  ),
);

/** A MatMulNBits node's fields with `accuracy_level` 4, or null for any other node and one whose level the graph set itself. */
function int8Node(node: Uint8Array): Uint8Array[] | null {
  const fields = fieldsOf(node);
  if (stringOf(fields, NODE.op_type) !== 'MatMulNBits' || stringOf(fields, NODE.domain) !== 'com.microsoft') return null;
  const isLevel = (f: Field) => f.number === NODE.attribute && stringOf(fieldsOf(f.body!), ATTRIBUTE.name) === ACCURACY_LEVEL;
  const level = fields.find(isLevel);
  if (level && (fieldsOf(level.body!).find((f) => f.number === ATTRIBUTE.i)?.value ?? 0) !== 0) return null;
  return [...fields.filter((f) => f !== level).map((f) => f.whole), ...int8Attribute];
}

/** An initializer's fields with its raw data replaced by a reference to where it lies in `location`, or null when it is not raw data. */
function referencedTensor(file: GraphFile, tensor: Span, location: string): Uint8Array[] | null {
  const fields = [...file.spans(tensor.body, tensor.end)];
  const raw = fields.find((f) => f.number === TENSOR.raw_data);
  if (!raw || fields.some((f) => f.number === TENSOR.data_location && f.value === TENSOR.EXTERNAL)) return null;
  const entry = (key: string, value: string) =>
    delimited(TENSOR.external_data, message((w) => w.uint32((1 << 3) | LENGTH_DELIMITED).string(key).uint32((2 << 3) | LENGTH_DELIMITED).string(value)));
  return [
    ...fields.filter((f) => f !== raw && f.number !== TENSOR.data_location).map((f) => file.bytes(f.start, f.end)),
    ...entry('location', location),
    ...entry('offset', String(raw.body)),
    ...entry('length', String(raw.end - raw.body)),
    message((w) => w.uint32((TENSOR.data_location << 3) | VARINT).int32(TENSOR.EXTERNAL)),
  ];
}

export interface RewrittenGraph {
  /** The graph to create the session from: the file less its large weights, which it names by offset. */
  bytes: Uint8Array;
  int8Nodes: number;
  referencedWeights: number;
}

/** The ONNX file `filePath` rewritten for a CPU session (see above); `int8MatMul` sets its MatMulNBits to int8 compute. */
export function rewriteGraph(filePath: string, int8MatMul: boolean): RewrittenGraph {
  const fd = openSync(filePath, 'r');
  try {
    const file = new GraphFile(fd);
    const location = path.basename(filePath);
    const parts: Uint8Array[] = [];
    const counts = { int8Nodes: 0, referencedWeights: 0 };
    for (const field of file.spans(0, file.size)) {
      if (field.number !== MODEL.graph || field.body === field.end) {
        parts.push(file.bytes(field.start, field.end));
        continue;
      }
      const graph: Uint8Array[] = [];
      for (const entry of file.spans(field.body, field.end)) {
        let rewritten: Uint8Array[] | null = null;
        if (entry.number === GRAPH.node && int8MatMul) {
          rewritten = int8Node(file.bytes(entry.body, entry.end));
          if (rewritten) counts.int8Nodes++;
        } else if (entry.number === GRAPH.initializer && entry.end - entry.body >= BY_REFERENCE_BYTES) {
          rewritten = referencedTensor(file, entry, location);
          if (rewritten) counts.referencedWeights++;
        }
        graph.push(...(rewritten ? [delimitedHeader(entry.number, byteLength(rewritten)), ...rewritten] : [file.bytes(entry.start, entry.end)]));
      }
      parts.push(delimitedHeader(MODEL.graph, byteLength(graph)), ...graph);
    }
    return { bytes: Buffer.concat(parts), ...counts };
  } finally {
    closeSync(fd);
  }
}

/** The graph in `filePath` for a CPU session, and how many of its nodes compute in int8; the file itself where nothing would change. */
export function cpuGraphSource(filePath: string, int8MatMul: boolean): { source: GraphSource; int8Nodes: number } {
  const { bytes, int8Nodes, referencedWeights } = rewriteGraph(filePath, int8MatMul);
  return { source: int8Nodes + referencedWeights === 0 ? filePath : { file: filePath, bytes }, int8Nodes };
}
