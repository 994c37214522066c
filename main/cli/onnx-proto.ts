/**
 * Just enough of the ONNX protobuf for the benchmark: reading a graph's MatMul/Gemm weight
 * shapes (to count FLOPs) and writing a one-node MatMul model (to measure ONNX Runtime's
 * own MatMul peak). Field numbers are those of onnx/onnx.proto.
 */

type Field = { number: number; wire: number; value: bigint | Uint8Array };

function* fields(bytes: Uint8Array): Generator<Field> {
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = bytes[at++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return result;
    }
  };
  while (at < bytes.length) {
    const key = Number(varint());
    const wire = key & 7;
    const number = key >>> 3;
    if (wire === 0) yield { number, wire, value: varint() };
    else if (wire === 2) {
      const length = Number(varint());
      yield { number, wire, value: bytes.subarray(at, at + length) };
      at += length;
    } else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
}

const text = (value: Field['value']) => new TextDecoder().decode(value as Uint8Array);

/** Repeated int64 field values, packed or not. */
function int64s(bytes: Uint8Array, number: number): number[] {
  const out: number[] = [];
  for (const f of fields(bytes)) {
    if (f.number !== number) continue;
    if (f.wire === 0) out.push(Number(f.value));
    else for (const packed of fields(prefixPacked(f.value as Uint8Array))) out.push(Number(packed.value));
  }
  return out;
}

/** Re-labels a packed varint run as field-1 varints so `fields` can read it. */
function prefixPacked(packed: Uint8Array): Uint8Array {
  const out: number[] = [];
  let start = 0;
  for (let i = 0; i < packed.length; i++) {
    if (packed[i]! < 0x80) {
      out.push(0x08, ...packed.subarray(start, i + 1));
      start = i + 1;
    }
  }
  return Uint8Array.from(out);
}

/**
 * Multiply-adds per row of the graph's MatMul and Gemm nodes whose weight (second input) is
 * an initializer: the sum of K × N over those weights. FLOPs per row are twice this.
 */
export function weightMacsPerRow(model: Uint8Array): number {
  const graph = [...fields(model)].find((f) => f.number === 7)!.value as Uint8Array;
  const initializerDims = new Map<string, number[]>();
  const weights: string[] = [];
  for (const f of fields(graph)) {
    if (f.number === 5) {
      const tensor = f.value as Uint8Array;
      const name = [...fields(tensor)].find((t) => t.number === 8);
      if (name) initializerDims.set(text(name.value), int64s(tensor, 1));
    }
    if (f.number === 1) {
      const node = [...fields(f.value as Uint8Array)];
      const op = node.find((n) => n.number === 4);
      const inputs = node.filter((n) => n.number === 1).map((n) => text(n.value));
      if (op && ['MatMul', 'Gemm'].includes(text(op.value)) && inputs[1] !== undefined) weights.push(inputs[1]);
    }
  }
  return weights.reduce((sum, name) => {
    const dims = initializerDims.get(name);
    return dims && dims.length === 2 ? sum + dims[0]! * dims[1]! : sum;
  }, 0);
}

// ---- writing ----

function varintBytes(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

const varintField = (number: number, value: number) => [...varintBytes(number << 3), ...varintBytes(value)];
function bytesField(number: number, value: Uint8Array | number[] | string): number[] {
  const bytes = typeof value === 'string' ? Array.from(new TextEncoder().encode(value)) : Array.from(value);
  return [...varintBytes((number << 3) | 2), ...varintBytes(bytes.length), ...bytes];
}

const FLOAT = 1;

/** ValueInfoProto{name, type: TypeProto{tensor_type: {elem_type FLOAT, shape}}}. */
function tensorValueInfo(name: string, dims: number[]): number[] {
  const shape = dims.flatMap((d) => bytesField(1, varintField(1, d))); // TensorShapeProto.dim{dim_value}
  const tensorType = [...varintField(1, FLOAT), ...bytesField(2, shape)];
  return [...bytesField(1, name), ...bytesField(2, bytesField(1, tensorType))];
}

/** A model computing Y[m,n] = A[m,k] · B[k,n] with both operands as inputs (opset 17). */
export function matMulModel(m: number, k: number, n: number): Uint8Array {
  const node = bytesField(1, [...bytesField(1, 'A'), ...bytesField(1, 'B'), ...bytesField(2, 'Y'), ...bytesField(4, 'MatMul')]);
  const graph = [
    ...node,
    ...bytesField(2, 'matmul'),
    ...bytesField(11, tensorValueInfo('A', [m, k])), // GraphProto.input
    ...bytesField(11, tensorValueInfo('B', [k, n])),
    ...bytesField(12, tensorValueInfo('Y', [m, n])), // GraphProto.output
  ];
  const opset = bytesField(8, [...bytesField(1, ''), ...varintField(2, 17)]);
  return Uint8Array.from([...varintField(1, 8), ...opset, ...bytesField(7, graph)]);
}
