/**
 * Just enough of the ONNX protobuf (onnx/onnx.proto's field numbers), on protobufjs's
 * reader and writer: a message's fields as views into its bytes (so a 1 GB graph is walked
 * without copying its weights), the rewrite of MatMulNBits nodes (graph-rewrite.ts), and for
 * the benchmark the MatMul weight shapes of a graph and a one-node MatMul model.
 */
import protobuf from 'protobufjs/minimal.js';

export const LENGTH_DELIMITED = 2;
export const VARINT = 0;

export const MODEL = { ir_version: 1, graph: 7, opset_import: 8 } as const;
export const GRAPH = { node: 1, name: 2, initializer: 5, input: 11, output: 12 } as const;
export const NODE = { input: 1, output: 2, op_type: 4, attribute: 5, domain: 7 } as const;
export const ATTRIBUTE = { name: 1, i: 3, type: 20, INT: 2 } as const;
export const TENSOR = { dims: 1, name: 8, raw_data: 9, external_data: 13, data_location: 14, EXTERNAL: 1 } as const;

export interface Field {
  number: number;
  /** The whole field, tag included, as a view into the message's bytes. */
  whole: Uint8Array;
  /** A length-delimited field's payload (a view). */
  body?: Uint8Array;
  /** A varint field's value. */
  value?: number;
}

export function fieldsOf(message: Uint8Array): Field[] {
  const reader = protobuf.Reader.create(message);
  const fields: Field[] = [];
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const tag = reader.uint32();
    const wireType = tag & 7;
    const field: Partial<Field> = { number: tag >>> 3 };
    if (wireType === LENGTH_DELIMITED) {
      const length = reader.uint32();
      field.body = message.subarray(reader.pos, reader.pos + length);
      reader.skip(length);
    } else if (wireType === VARINT) {
      field.value = Number(BigInt.asIntN(64, BigInt(reader.uint64().toString())));
    } else {
      reader.skipType(wireType);
    }
    fields.push({ ...field, whole: message.subarray(start, reader.pos) } as Field);
  }
  return fields;
}

const decoder = new TextDecoder();
/** The first string field `number` of `fields`; '' when absent. */
export const stringOf = (fields: Field[], number: number): string => {
  const body = fields.find((f) => f.number === number)?.body;
  return body ? decoder.decode(body) : '';
};

/** Tag and length of a length-delimited field whose payload is `length` bytes. */
export function delimitedHeader(number: number, length: number): Uint8Array {
  return protobuf.Writer.create().uint32((number << 3) | LENGTH_DELIMITED).uint32(length).finish();
}

/** Repeated int64 field values, packed or not. */
function int64s(message: Uint8Array, number: number): number[] {
  const out: number[] = [];
  for (const f of fieldsOf(message)) {
    if (f.number !== number) continue;
    if (f.value !== undefined) out.push(f.value);
    else if (f.body) for (const reader = protobuf.Reader.create(f.body); reader.pos < reader.len; ) out.push(Number(reader.int64().toString()));
  }
  return out;
}

/**
 * Multiply-adds per row of the graph's MatMul and Gemm nodes whose weight (second input) is
 * an initializer: the sum of K × N over those weights. FLOPs per row are twice this.
 */
export function weightMacsPerRow(model: Uint8Array): number {
  const graph = fieldsOf(model).find((f) => f.number === MODEL.graph)!.body!;
  const initializerDims = new Map<string, number[]>();
  const weights: string[] = [];
  for (const f of fieldsOf(graph)) {
    if (f.number === GRAPH.initializer) initializerDims.set(stringOf(fieldsOf(f.body!), TENSOR.name), int64s(f.body!, TENSOR.dims));
    if (f.number === GRAPH.node) {
      const node = fieldsOf(f.body!);
      const inputs = node.filter((n) => n.number === NODE.input).map((n) => decoder.decode(n.body!));
      if (['MatMul', 'Gemm'].includes(stringOf(node, NODE.op_type)) && inputs[1] !== undefined) weights.push(inputs[1]);
    }
  }
  return weights.reduce((sum, name) => {
    const dims = initializerDims.get(name);
    return dims && dims.length === 2 ? sum + dims[0]! * dims[1]! : sum;
  }, 0);
}

type Writer = protobuf.Writer;
const message = (write: (writer: Writer) => unknown) => {
  const writer = protobuf.Writer.create();
  write(writer);
  return writer.finish();
};
const submessage = (writer: Writer, number: number, write: (writer: Writer) => unknown) => writer.uint32((number << 3) | LENGTH_DELIMITED).bytes(message(write));
const text = (writer: Writer, number: number, value: string) => writer.uint32((number << 3) | LENGTH_DELIMITED).string(value);
const varint = (writer: Writer, number: number, value: number) => writer.uint32((number << 3) | VARINT).int32(value);

const FLOAT = 1;

/** ValueInfoProto{name, type: TypeProto{tensor_type: {elem_type FLOAT, shape}}}. */
function tensorValueInfo(writer: Writer, name: string, dims: number[]): void {
  text(writer, 1, name);
  submessage(writer, 2, (type) =>
    submessage(type, 1, (tensor) => {
      varint(tensor, 1, FLOAT);
      submessage(tensor, 2, (shape) => dims.forEach((d) => submessage(shape, 1, (dim) => varint(dim, 1, d))));
    }),
  );
}

/** A model computing Y[m,n] = A[m,k] · B[k,n] with both operands as inputs (opset 17). */
export function matMulModel(m: number, k: number, n: number): Uint8Array {
  return message((model) => {
    varint(model, MODEL.ir_version, 8);
    submessage(model, MODEL.opset_import, (opset) => varint(text(opset, 1, ''), 2, 17));
    submessage(model, MODEL.graph, (graph) => {
      submessage(graph, GRAPH.node, (node) => {
        text(node, NODE.input, 'A');
        text(node, NODE.input, 'B');
        text(node, NODE.output, 'Y');
        text(node, NODE.op_type, 'MatMul');
      });
      text(graph, GRAPH.name, 'matmul');
      submessage(graph, GRAPH.input, (info) => tensorValueInfo(info, 'A', [m, k]));
      submessage(graph, GRAPH.input, (info) => tensorValueInfo(info, 'B', [k, n]));
      submessage(graph, GRAPH.output, (info) => tensorValueInfo(info, 'Y', [m, n]));
    });
  });
}
