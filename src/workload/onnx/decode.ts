import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { UserError } from '../../errors.js';
import { PACKAGE_ROOT } from '../../util/files.js';

/** A tensor's element type: ONNX TensorProto.DataType numbers (vendor/onnx/onnx.proto). */
const DT = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10, DOUBLE: 11 } as const;

export interface OnnxTensor {
  name: string;
  dims: number[];
  dataType: number;
  /** Values as numbers (int64 converted; large weights are kept only as their size). */
  values?: number[];
}

export type AttrValue = number | string | number[] | string[] | OnnxTensor;

export interface OnnxNode {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, AttrValue>;
}

export interface OnnxGraph {
  file: string;
  producer: string;
  opset: number;
  nodes: OnnxNode[];
  /** Initializers and the outputs of Constant nodes. */
  constants: Map<string, OnnxTensor>;
  inputs: { name: string; shape?: (number | undefined)[] }[];
  outputs: string[];
  /** Shapes recorded in the file (value_info, graph inputs and outputs), where fully static. */
  valueInfo: Map<string, number[]>;
}

/** Values kept for integer constants up to this many elements (shapes, axes, indices) and small float ones. */
const KEEP_INT_VALUES = 4096;
const KEEP_FLOAT_VALUES = 64;

type Msg = Record<string, unknown>;

let modelType: { decode(b: Uint8Array): unknown; toObject(m: unknown, o: object): Msg } | undefined;
function onnxModelType() {
  if (!modelType) {
    // protobufjs is CommonJS; loading it here keeps CLI start-up free of it unless an .onnx file is read.
    const protobuf = createRequire(import.meta.url)('protobufjs') as typeof import('protobufjs');
    const root = protobuf.loadSync(path.join(PACKAGE_ROOT, 'vendor', 'onnx', 'onnx.proto'));
    modelType = root.lookupType('onnx.ModelProto') as unknown as typeof modelType;
  }
  return modelType!;
}

function tensorValues(t: Msg, count: number): number[] | undefined {
  const dt = t.dataType as number;
  const isInt = dt === DT.INT64 || dt === DT.INT32 || dt === DT.INT8 || dt === DT.UINT8 || dt === DT.BOOL;
  if (count > (isInt ? KEEP_INT_VALUES : KEEP_FLOAT_VALUES)) return undefined;
  const raw = t.rawData as Uint8Array | undefined;
  if (raw && raw.length) {
    const b = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    const out: number[] = [];
    const per = { [DT.FLOAT]: 4, [DT.DOUBLE]: 8, [DT.INT64]: 8, [DT.INT32]: 4, [DT.INT8]: 1, [DT.UINT8]: 1, [DT.BOOL]: 1, [DT.FLOAT16]: 2 }[dt];
    if (!per) return undefined;
    for (let k = 0; k + per <= b.length; k += per) {
      if (dt === DT.FLOAT) out.push(b.readFloatLE(k));
      else if (dt === DT.DOUBLE) out.push(b.readDoubleLE(k));
      else if (dt === DT.INT64) out.push(Number(b.readBigInt64LE(k)));
      else if (dt === DT.INT32) out.push(b.readInt32LE(k));
      else if (dt === DT.INT8) out.push(b.readInt8(k));
      else if (dt === DT.FLOAT16) out.push(Number.NaN);
      else out.push(b.readUInt8(k));
    }
    return out;
  }
  for (const f of ['floatData', 'int64Data', 'int32Data', 'doubleData', 'uint64Data']) {
    const v = t[f] as number[] | undefined;
    if (v && v.length) return v.map(Number);
  }
  return count === 0 ? [] : undefined;
}

function toTensor(t: Msg, name?: string): OnnxTensor {
  const dims = ((t.dims as number[] | undefined) ?? []).map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  return { name: name ?? String(t.name ?? ''), dims, dataType: Number(t.dataType ?? 0), values: tensorValues(t, count) };
}

const utf8 = (b: unknown) => (b instanceof Uint8Array ? Buffer.from(b).toString('utf8') : String(b ?? ''));

function attrValue(a: Msg): AttrValue | undefined {
  // AttributeProto.AttributeType (vendor/onnx/onnx.proto): FLOAT 1, INT 2, STRING 3, TENSOR 4, FLOATS 6, INTS 7, STRINGS 8.
  switch (a.type) {
    case 'FLOAT': return Number(a.f);
    case 'INT': return Number(a.i);
    case 'STRING': return utf8(a.s);
    case 'TENSOR': return toTensor(a.t as Msg);
    case 'FLOATS': return ((a.floats as number[]) ?? []).map(Number);
    case 'INTS': return ((a.ints as number[]) ?? []).map(Number);
    case 'STRINGS': return ((a.strings as unknown[]) ?? []).map(utf8);
    default: return undefined;
  }
}

function staticShape(vi: Msg): number[] | undefined {
  const tt = (vi.type as Msg | undefined)?.tensorType as Msg | undefined;
  const dims = (tt?.shape as Msg | undefined)?.dim as Msg[] | undefined;
  if (!dims) return undefined;
  const out: number[] = [];
  for (const d of dims) {
    if (d.dimValue === undefined || d.dimValue === null) return undefined;
    out.push(Number(d.dimValue));
  }
  return out;
}

/** Decode an .onnx file with protobufjs and the official schema into the plain graph the importer walks. */
export function readOnnx(file: string): OnnxGraph {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new UserError(`cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file });
  }
  let m: Msg;
  try {
    const T = onnxModelType();
    m = T.toObject(T.decode(bytes), { longs: Number, enums: String, defaults: false, arrays: true });
  } catch (e) {
    throw new UserError(`not an ONNX model (protobuf decoding failed: ${(e as Error).message})`, { file });
  }
  const g = m.graph as Msg | undefined;
  if (!g || !Array.isArray(g.node) || !g.node.length) throw new UserError('not an ONNX model (no graph nodes)', { file });
  const opsets = (m.opsetImport as Msg[] | undefined) ?? [];
  const opset = Number(opsets.find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 0);
  const constants = new Map<string, OnnxTensor>();
  for (const t of (g.initializer as Msg[]) ?? []) constants.set(String(t.name), toTensor(t));
  const nodes: OnnxNode[] = [];
  for (const [k, n] of (g.node as Msg[]).entries()) {
    const attrs: Record<string, AttrValue> = {};
    for (const a of (n.attribute as Msg[]) ?? []) {
      const v = attrValue(a);
      if (v !== undefined) attrs[String(a.name)] = v;
    }
    const node: OnnxNode = {
      name: String(n.name || `${n.opType}_${k}`), opType: String(n.opType), domain: String(n.domain ?? ''),
      inputs: ((n.input as string[]) ?? []).map(String), outputs: ((n.output as string[]) ?? []).map(String), attrs,
    };
    if (node.opType === 'Constant' && node.domain === '') {
      const out = node.outputs[0];
      const v = attrs.value ?? attrs.value_float ?? attrs.value_floats ?? attrs.value_int ?? attrs.value_ints;
      if (typeof v === 'object' && !Array.isArray(v)) constants.set(out, { ...v, name: out });
      else if (typeof v === 'number') constants.set(out, { name: out, dims: [], dataType: DT.FLOAT, values: [v] });
      else if (Array.isArray(v)) constants.set(out, { name: out, dims: [v.length], dataType: DT.INT64, values: v as number[] });
      continue;
    }
    // The exporter de-duplicates equal initializers through Identity nodes: still the same constant.
    if (node.opType === 'Identity' && node.domain === '' && constants.has(node.inputs[0])) {
      constants.set(node.outputs[0], { ...constants.get(node.inputs[0])!, name: node.outputs[0] });
      continue;
    }
    nodes.push(node);
  }
  const valueInfo = new Map<string, number[]>();
  for (const vi of [...((g.valueInfo as Msg[]) ?? []), ...((g.input as Msg[]) ?? []), ...((g.output as Msg[]) ?? [])]) {
    const s = staticShape(vi);
    if (s) valueInfo.set(String(vi.name), s);
  }
  const inputs = ((g.input as Msg[]) ?? [])
    .filter((vi) => !constants.has(String(vi.name)))
    .map((vi) => ({ name: String(vi.name), shape: valueInfo.get(String(vi.name)) }));
  return {
    file, producer: `${m.producerName ?? ''} ${m.producerVersion ?? ''}`.trim(), opset, nodes, constants, inputs,
    outputs: ((g.output as Msg[]) ?? []).map((o) => String(o.name)), valueInfo,
  };
}
