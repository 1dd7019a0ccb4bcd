import { layerCounts, ShapeError } from '../ops.js';
import type { OpKind } from '../schema.js';
import type { ResolvedLayer, Shape } from '../types.js';
import type { AttrValue, OnnxGraph, OnnxNode, OnnxTensor } from './decode.js';
import { findPatterns, type Fused } from './patterns.js';

/** A lic-dse layer built from one node or one fused pattern. */
export interface ImportedLayer {
  id: string;
  op: OpKind;
  /** lic-dse tensors read: ids of earlier layers or "@image". */
  inputs: string[];
  /** Concrete attributes, as ResolvedLayer holds them. */
  layer: ResolvedLayer;
  out: Shape;
  /** ONNX nodes this layer stands for (first one names it). */
  nodes: string[];
}

export interface Problem {
  node: string;
  opType: string;
  reason: string;
}

export interface Conversion {
  image: { name: string; c: number; h: number; w: number };
  layers: ImportedLayer[];
  /** Unsupported nodes (their own problem), in graph order. */
  unsupported: Problem[];
  /** Nodes left out because they read the output of an unsupported node. */
  dependents: Problem[];
  /** Unsupported nodes that kept their input's shape and were bridged as identity under --allow-partial. */
  bridged: string[];
  /** Constant arithmetic folded into the layer before it (scales, biases), for the notes. */
  folded: string[];
  /** Graph outputs and the lic-dse layer each comes from. */
  outputs: { name: string; layer: string }[];
  shapesFrom: { valueInfo: number; inferred: number };
}

/** An activation: its ONNX shape, the lic-dse tensor it views, and where that tensor's channel axis is. */
interface Val {
  shape: number[];
  ref: string;
  src: Shape;
  /** Axis holding the channels whole, when known (1 for NCHW, last for tokens). */
  chan?: number;
  /** Zero padding [top, left, bottom, right] a Pad node put on a map, for the conv/pool after it. */
  pad?: [number, number, number, number];
  /** Attention scores of this qk layer (its bias and scale fold into it). */
  scores?: string;
  /** The linear or conv that produced it, whose bias a following constant Add is. */
  biasOf?: string;
}

const numel = (s: number[]) => s.reduce((a, b) => a * b, 1);
const srcNumel = (s: Shape) => s.c * s.h * s.w;
const eq = (a: number[], b: number[]) => a.length === b.length && a.every((x, k) => x === b[k]);
const norm = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);

class Unsupported extends Error {}
const fail = (reason: string): never => {
  throw new Unsupported(reason);
};

const isMap = (v: Val) => v.chan === 1 && eq(v.shape, [1, v.src.c, v.src.h, v.src.w]) && !v.pad;
const isTokens = (v: Val) => v.chan === v.shape.length - 1 && numel(v.shape) === srcNumel(v.src) && !v.pad;
/** The map under a pending Pad (the conv or pool after it takes the padding). */
const unpadded = (v: Val): Val => (v.pad ? { ...v, pad: undefined, shape: [1, v.src.c, v.src.h, v.src.w] } : v);
const whole = (v: Val) => numel(v.shape) === srcNumel(v.src);

/** The channel axis after a row-major reshape: kept when the dims before it multiply to the same and it is not split. */
function reshapeChan(v: Val, out: number[]): number | undefined {
  if (v.chan !== undefined) {
    const before = numel(v.shape.slice(0, v.chan));
    for (let j = 0; j < out.length; j++) if (numel(out.slice(0, j)) === before && out[j] === v.src.c) return j;
    return undefined;
  }
  // Heads merged back (attention output): channels last again when the last dim is the tensor's channel count.
  return out[out.length - 1] === v.src.c && numel(out) === srcNumel(v.src) ? out.length - 1 : undefined;
}

function ints(a: AttrValue | undefined, dflt: number[]): number[] {
  return Array.isArray(a) ? (a as number[]) : dflt;
}

export function convertGraph(g: OnnxGraph): Conversion {
  if (g.inputs.length !== 1) fail2(`the graph has ${g.inputs.length} inputs (${g.inputs.map((i) => i.name).join(', ')}); lic-dse imports one image input`);
  const inp = g.inputs[0];
  if (!inp.shape || inp.shape.length !== 4 || inp.shape[0] !== 1) fail2(`input "${inp.name}" has shape ${JSON.stringify(inp.shape)}; lic-dse imports a static [1, C, H, W] image (export with fixed sizes)`);
  const [, c0, h0, w0] = inp.shape as number[];
  const image = { name: inp.name, c: c0, h: h0, w: w0 };
  const vals = new Map<string, Val>([[inp.name, { shape: [1, c0, h0, w0], ref: '@image', src: { c: c0, h: h0, w: w0 }, chan: 1 }]]);
  const consts = new Map<string, OnnxTensor>(g.constants);
  const dead = new Map<string, string>();
  const layers: ImportedLayer[] = [];
  const byId = new Map<string, ImportedLayer>();
  const res: Conversion = { image, layers, unsupported: [], dependents: [], bridged: [], folded: [], outputs: [], shapesFrom: { valueInfo: 0, inferred: 0 } };
  const patterns = findPatterns(g);
  const ids = new Set<string>();

  const addLayer = (node: OnnxNode, op: OpKind, inputs: Val[], attrs: Partial<ResolvedLayer>, nodes: string[] = [node.name]): ImportedLayer => {
    let id = node.name;
    for (let k = 2; ids.has(id); k++) id = `${node.name}#${k}`;
    ids.add(id);
    const layer: ResolvedLayer = { part: '', name: id, op, inputs: inputs.map((v) => v.ref), ...attrs };
    let out: Shape;
    try {
      out = layerCounts(layer, inputs.map((v) => v.src)).out;
    } catch (e) {
      if (e instanceof ShapeError) fail(`lic-dse's ${op}: ${e.message}`);
      throw e;
    }
    const l: ImportedLayer = { id, op, inputs: layer.inputs, layer, out, nodes };
    layers.push(l);
    byId.set(id, l);
    return l;
  };
  const constOf = (name: string) => consts.get(name);
  const need = (v: Val | undefined, what: string): Val => v ?? fail(`${what} is not an activation lic-dse tracks`);
  const needMap = (v: Val, node: OnnxNode): Val => {
    if (isMap(v)) return v;
    return fail(`${node.opType} needs an NCHW feature map; its input has shape [${v.shape.join(', ')}] over a ${v.src.c}×${v.src.h}×${v.src.w} tensor`);
  };
  /** The ONNX shape of an output: value_info when the file has it, else what the op's rule gives. */
  const shapeOf = (name: string, inferred: number[]) => {
    const vi = g.valueInfo.get(name);
    if (vi) {
      res.shapesFrom.valueInfo++;
      return vi;
    }
    res.shapesFrom.inferred++;
    return inferred;
  };
  const setOut = (node: OnnxNode, k: number, v: Val) => vals.set(node.outputs[k], { ...v, shape: shapeOf(node.outputs[k], v.shape) });
  const newVal = (l: ImportedLayer, shape: number[], chan: number | undefined, extra: Partial<Val> = {}): Val => ({ shape, ref: l.id, src: l.out, chan, ...extra });

  const fused = (f: Fused, node: OnnxNode) => {
    const x = need(vals.get(f.input), `input ${f.input}`);
    if (f.op === 'gelu') {
      if (!whole(x)) fail('GELU of part of a tensor');
      const l = addLayer({ ...node, name: gdnName(f) }, 'gelu', [x], {}, f.nodes.map((n) => n.name));
      return setOut(node, 0, newVal(l, x.shape, x.chan));
    }
    needMap(x, node);
    const l = addLayer({ ...node, name: gdnName(f) }, f.op, [x], {}, f.nodes.map((n) => n.name));
    setOut(node, 0, newVal(l, x.shape, 1));
  };

  const convert = (node: OnnxNode) => {
    const act = node.inputs.map((i) => (i ? vals.get(i) : undefined));
    const a = act[0];
    const op = node.opType;
    const cst = (k: number) => (node.inputs[k] ? constOf(node.inputs[k]) : undefined);
    switch (op) {
      case 'Identity':
      case 'Dropout':
        return setOut(node, 0, need(a, 'input'));
      case 'QuantizeLinear':
      case 'DequantizeLinear': {
        // Fake quantisation of a QDQ export: the precision is the design point's choice, not a layer.
        const x = need(a, 'input');
        res.folded.push(`${node.name}: ${op} (QDQ fake quantisation) is no layer; the design point's precision stands for it`);
        return setOut(node, 0, { ...x, biasOf: undefined });
      }
      case 'Clip': {
        const x = need(a, 'input');
        if (!whole(x) || x.pad) fail('Clip of a part of a tensor');
        const l = addLayer(node, 'relu', [x], {});
        res.folded.push(`${node.name}: Clip (e.g. ReLU6) is modelled as a relu layer: an element-wise compare`);
        return setOut(node, 0, newVal(l, x.shape, x.chan));
      }
      case 'Conv':
      case 'ConvTranspose': {
        const x0 = need(a, 'input');
        const pad0 = x0.pad ?? [0, 0, 0, 0];
        const x = needMap(unpadded(x0), node);
        const w = cst(1) ?? fail('weights are not a constant');
        if (w.dims.length !== 4) fail(`only 2-D convolutions (weights of rank ${w.dims.length})`);
        const group = (node.attrs.group as number | undefined) ?? 1;
        const k = ints(node.attrs.kernel_shape, w.dims.slice(2));
        const s = ints(node.attrs.strides, [1, 1]);
        const d = ints(node.attrs.dilations, [1, 1]);
        let p = ints(node.attrs.pads, [0, 0, 0, 0]);
        const auto = (node.attrs.auto_pad as string | undefined) ?? 'NOTSET';
        const cout = op === 'Conv' ? w.dims[0] : w.dims[1] * group;
        const bias = node.inputs.length > 2 && !!node.inputs[2];
        if (op === 'Conv') {
          p = [p[0] + pad0[0], p[1] + pad0[1], p[2] + pad0[2], p[3] + pad0[3]];
          let padding: [number, number] | 'same';
          if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') padding = 'same';
          else if (auto === 'VALID') padding = [0, 0];
          else if (p[0] === p[2] && p[1] === p[3]) padding = [p[0], p[1]];
          else {
            const sameH = Math.max(0, (Math.ceil(x.src.h / s[0]) - 1) * s[0] + d[0] * (k[0] - 1) + 1 - x.src.h);
            const sameW = Math.max(0, (Math.ceil(x.src.w / s[1]) - 1) * s[1] + d[1] * (k[1] - 1) + 1 - x.src.w);
            if (p[0] + p[2] === sameH && p[1] + p[3] === sameW) padding = 'same';
            else padding = fail(`asymmetric padding [${p.join(', ')}] (lic-dse pads symmetrically or "same")`);
          }
          const l = addLayer(node, 'conv', [x], { cout, kernel: [k[0], k[1]], stride: [s[0], s[1]], padding, dilation: [d[0], d[1]], groups: group, bias });
          return setOut(node, 0, newVal(l, [1, l.out.c, l.out.h, l.out.w], 1, { biasOf: bias ? undefined : l.id }));
        }
        if (x0.pad) fail('a Pad before a transposed convolution');
        if (p[0] !== p[2] || p[1] !== p[3]) fail(`asymmetric padding [${p.join(', ')}]`);
        let op2 = ints(node.attrs.output_padding, [0, 0]);
        const os = node.attrs.output_shape as number[] | undefined;
        if (os) {
          const [oh, ow] = os.slice(-2);
          op2 = [oh - ((x.src.h - 1) * s[0] - 2 * p[0] + d[0] * (k[0] - 1) + 1), ow - ((x.src.w - 1) * s[1] - 2 * p[1] + d[1] * (k[1] - 1) + 1)];
          if (op2[0] < 0 || op2[1] < 0) fail(`output_shape ${os.join('x')} needs negative output padding`);
        }
        if (auto !== 'NOTSET') fail(`auto_pad ${auto} on a transposed convolution`);
        const l = addLayer(node, 'deconv', [x], { cout, kernel: [k[0], k[1]], stride: [s[0], s[1]], padding: [p[0], p[1]], dilation: [d[0], d[1]], outputPadding: [op2[0], op2[1]], groups: group, bias });
        return setOut(node, 0, newVal(l, [1, l.out.c, l.out.h, l.out.w], 1, { biasOf: bias ? undefined : l.id }));
      }
      case 'Relu':
      case 'LeakyRelu':
      case 'Sigmoid':
      case 'Abs':
      case 'Gelu': {
        const x = need(a, 'input');
        if (!whole(x) || x.pad) fail(`${op} of a part of a tensor`);
        const kind = ({ Relu: 'relu', LeakyRelu: 'leaky_relu', Sigmoid: 'sigmoid', Abs: 'abs', Gelu: 'gelu' } as const)[op];
        const l = addLayer(node, kind, [x], op === 'LeakyRelu' ? { slope: (node.attrs.alpha as number | undefined) ?? 0.01 } : {});
        return setOut(node, 0, newVal(l, x.shape, x.chan));
      }
      case 'Softmax': {
        const x = need(a, 'input');
        const axis = norm((node.attrs.axis as number | undefined) ?? -1, x.shape.length);
        if (!x.scores && !(isTokens(x) && axis === x.shape.length - 1)) fail('softmax over an axis other than attention scores or channels-last tokens');
        const l = addLayer(node, 'softmax', [x], {});
        return setOut(node, 0, newVal(l, x.shape, x.chan, { scores: x.scores }));
      }
      case 'LayerNormalization': {
        const x = need(a, 'input');
        const axis = norm((node.attrs.axis as number | undefined) ?? -1, x.shape.length);
        if (!isTokens(x) || axis !== x.shape.length - 1) fail('layer normalisation over anything but the channels of channels-last tokens');
        const l = addLayer(node, 'layer_norm', [x], {});
        return setOut(node, 0, newVal(l, x.shape, x.chan));
      }
      case 'DepthToSpace':
      case 'SpaceToDepth': {
        const x = needMap(need(a, 'input'), node);
        const r = node.attrs.blocksize as number;
        const l = addLayer(node, op === 'DepthToSpace' ? 'pixel_shuffle' : 'pixel_unshuffle', [x], { factor: r });
        return setOut(node, 0, newVal(l, [1, l.out.c, l.out.h, l.out.w], 1));
      }
      case 'MaxPool':
      case 'AveragePool':
      case 'GlobalAveragePool':
      case 'GlobalMaxPool': {
        const x0 = need(a, 'input');
        const pad0 = x0.pad ?? [0, 0, 0, 0];
        const x = needMap(unpadded(x0), node);
        const global = op.startsWith('Global');
        const k = global ? [x.src.h, x.src.w] : ints(node.attrs.kernel_shape, [1, 1]);
        const s = global ? [1, 1] : ints(node.attrs.strides, [1, 1]);
        const p0 = global ? [0, 0, 0, 0] : ints(node.attrs.pads, [0, 0, 0, 0]);
        const p = [p0[0] + pad0[0], p0[1] + pad0[1], p0[2] + pad0[2], p0[3] + pad0[3]];
        if (p[0] !== p[2] || p[1] !== p[3]) fail(`asymmetric padding [${p.join(', ')}]`);
        if (ints(node.attrs.dilations, [1, 1]).some((v) => v !== 1)) fail('dilated pooling');
        const kind = op.includes('Max') ? 'maxpool' : 'avgpool';
        const l = addLayer(node, kind, [x], { kernel: [k[0], k[1]], stride: [s[0], s[1]], padding: [p[0], p[1]], ceilMode: node.attrs.ceil_mode === 1 });
        if (global) res.folded.push(`${node.name}: ${op} became a ${k[0]}×${k[1]} pool, the map size at the exported resolution`);
        return setOut(node, 0, newVal(l, [1, l.out.c, l.out.h, l.out.w], 1));
      }
      case 'Pad': {
        const x = needMap(need(a, 'input'), node);
        const mode = (node.attrs.mode as string | undefined) ?? 'constant';
        const pads = cst(1)?.values ?? (node.attrs.pads as number[] | undefined) ?? fail('pads are not a constant');
        const value = cst(2)?.values?.[0] ?? 0;
        if (mode !== 'constant' || value !== 0) fail(`${mode} padding with value ${value} (lic-dse folds only zero padding into the next conv or pool)`);
        if (pads.length !== 8 || pads[0] || pads[1] || pads[4] || pads[5]) fail('padding of the batch or channel axis');
        const shape = [1, x.src.c, x.src.h + pads[2] + pads[6], x.src.w + pads[3] + pads[7]];
        return setOut(node, 0, { ...x, shape, pad: [pads[2], pads[3], pads[6], pads[7]] });
      }
      case 'Add':
      case 'Sub':
      case 'Mul':
      case 'Div': {
        const [x, y] = act;
        if (x && y) {
          if (op === 'Sub' || op === 'Div') fail(`${op} of two activations (lic-dse has add and mul)`);
          if (!whole(x) || !whole(y) || x.pad || y.pad) fail(`${op} of parts of tensors`);
          if (!eq(x.shape, y.shape) || x.chan !== y.chan) fail(`${op} of shapes [${x.shape.join(', ')}] and [${y.shape.join(', ')}] (lic-dse needs equal shapes)`);
          const l = addLayer(node, op === 'Add' ? 'add' : 'mul', [x, y], {});
          return setOut(node, 0, newVal(l, x.shape, x.chan));
        }
        const v = need(x ?? y, 'input');
        const ci = x ? 1 : 0;
        const c = cst(ci) ?? fail(`${op} with an input that is neither an activation nor a constant`);
        const cn = numel(c.dims);
        const target = byId.get(v.ref);
        if (op === 'Add' && v.scores && cn > 1) {
          byId.get(v.scores)!.layer.relativePositionBias = true;
          res.folded.push(`${node.name}: a constant added to the attention scores is the relative position bias of ${v.scores}`);
          return setOut(node, 0, { ...v, biasOf: undefined });
        }
        if (op === 'Add' && v.biasOf && target && target.id === v.biasOf && cn === target.out.c) {
          target.layer.bias = true;
          target.nodes.push(node.name);
          return setOut(node, 0, { ...v, biasOf: undefined });
        }
        if (cn !== 1 && !(target && cn === target.out.c)) fail(`${op} by a constant of shape [${c.dims.join(', ')}] (lic-dse folds scalars and per-channel constants only)`);
        res.folded.push(`${node.name}: ${op} by a ${cn === 1 ? 'scalar' : 'per-channel'} constant, folded into ${v.ref === '@image' ? 'the input' : v.ref}`);
        return setOut(node, 0, { ...v, biasOf: undefined });
      }
      case 'MatMul':
      case 'Gemm': {
        const x = need(a, 'input');
        const wc = cst(1);
        if (wc) {
          if (wc.dims.length !== 2) fail(`${op} with ${wc.dims.length}-D weights`);
          const transB = op === 'Gemm' && node.attrs.transB === 1;
          if (op === 'Gemm' && node.attrs.transA === 1) fail('Gemm with transA');
          const [kIn, nOut] = transB ? [wc.dims[1], wc.dims[0]] : wc.dims;
          const bias = op === 'Gemm' && node.inputs.length > 2 && !!node.inputs[2];
          const shape = [...x.shape.slice(0, -1), nOut];
          if (isTokens(x) && x.src.c === kIn) {
            const l = addLayer(node, 'linear', [x], { cout: nOut, bias });
            return setOut(node, 0, newVal(l, shape, shape.length - 1, { biasOf: bias ? undefined : l.id }));
          }
          if (x.shape.length === 2 && x.shape[0] === 1 && x.shape[1] === srcNumel(x.src) && kIn === x.shape[1]) {
            const l = addLayer(node, 'fc', [x], { cout: nOut, bias });
            return setOut(node, 0, newVal(l, shape, 1, { biasOf: bias ? undefined : l.id }));
          }
          return fail(`${op} with constant weights ${kIn}×${nOut} on an input of shape [${x.shape.join(', ')}] that is not channels-last tokens of ${kIn} channels`);
        }
        const y = need(act[1], 'second input');
        if (op === 'Gemm') fail('Gemm of two activations');
        if (x.scores) {
          // scores · V → dim channels per position.
          const qk = byId.get(x.scores)!;
          if (y.ref !== qk.inputs[0]) fail(`V comes from ${y.ref}, not from the qkv tensor ${qk.inputs[0]} of the scores`);
          const l = addLayer(node, 'matmul', [x], { form: 'av', dim: qk.layer.dim, heads: qk.layer.heads, window: qk.layer.window });
          const shape = [...x.shape.slice(0, -1), y.shape[y.shape.length - 1]];
          return setOut(node, 0, newVal(l, shape, undefined));
        }
        // Q · Kᵀ per window and head: [.., heads, N, hd] × [.., heads, hd, N].
        if (x.ref !== y.ref) fail(`Q (${x.ref}) and K (${y.ref}) come from different tensors; lic-dse's attention reads one qkv tensor`);
        const r = x.shape.length;
        const n = x.shape[r - 2];
        const hd = x.shape[r - 1];
        const heads = r >= 4 ? x.shape[r - 3] : 1;
        const ws = Math.round(Math.sqrt(n));
        if (ws * ws !== n) fail(`${n} tokens per window is not a square window`);
        if (y.shape[y.shape.length - 2] !== hd) fail('the second operand is not Kᵀ');
        const l = addLayer(node, 'matmul', [x], { form: 'qk', dim: heads * hd, heads, window: ws, relativePositionBias: false });
        return setOut(node, 0, newVal(l, [...x.shape.slice(0, -1), y.shape[y.shape.length - 1]], undefined, { scores: l.id }));
      }
      case 'Reshape':
      case 'Flatten':
      case 'Squeeze':
      case 'Unsqueeze': {
        const x = need(a, 'input');
        if (x.pad) fail(`${op} of a padded tensor`);
        const out = viewShape(node, x.shape, cst(1));
        if (numel(out) !== numel(x.shape)) fail(`${op} changes the element count`);
        return setOut(node, 0, { ...x, shape: out, chan: reshapeChan(x, out) });
      }
      case 'Transpose': {
        const x = need(a, 'input');
        if (x.pad) fail('Transpose of a padded tensor');
        const perm = ints(node.attrs.perm, x.shape.map((_, k) => x.shape.length - 1 - k));
        return setOut(node, 0, { ...x, shape: perm.map((k) => x.shape[k]), chan: x.chan === undefined ? undefined : perm.indexOf(x.chan) });
      }
      case 'Gather': {
        const x = need(a, 'input');
        const idx = cst(1);
        const axis = norm((node.attrs.axis as number | undefined) ?? 0, x.shape.length);
        if (!idx || !idx.values || idx.dims.length > 0) fail('Gather with an index that is not a constant scalar');
        if (axis === x.chan) fail('Gather along the channel axis');
        const shape = x.shape.filter((_, k) => k !== axis);
        return setOut(node, 0, { ...x, shape, chan: x.chan === undefined ? undefined : x.chan > axis ? x.chan - 1 : x.chan, scores: undefined });
      }
      case 'Split':
      case 'Slice': {
        const x = need(a, 'input');
        if (x.pad) fail(`${op} of a padded tensor`);
        const pieces = op === 'Split' ? splitPieces(node, x.shape, cst(1)) : slicePiece(node, x.shape, cst(1), cst(2), cst(3), cst(4));
        pieces.forEach((pc, k) => {
          if (pc.axis === x.chan && isMap(x)) {
            const l = addLayer({ ...node, name: pieces.length > 1 ? `${node.name}.${k}` : node.name }, 'slice', [x], { start: pc.start, end: pc.end });
            setOut(node, k, newVal(l, [1, l.out.c, l.out.h, l.out.w], 1));
          } else if (pc.axis === x.chan) {
            fail(`${op} along the channels of a tensor that is not an NCHW map`);
          } else {
            const shape = x.shape.map((d, j) => (j === pc.axis ? pc.end - pc.start : d));
            setOut(node, k, { ...x, shape, scores: undefined, biasOf: undefined });
          }
        });
        return undefined;
      }
      case 'Concat': {
        const xs = node.inputs.map((i, k) => need(act[k], `input ${i}`));
        const axis = norm(node.attrs.axis as number, xs[0].shape.length);
        if (xs.every((v) => isMap(v)) && axis === 1) {
          const l = addLayer(node, 'concat', xs, {});
          return setOut(node, 0, newVal(l, [1, l.out.c, l.out.h, l.out.w], 1));
        }
        // Pieces of one tensor put back together in another order (torch.roll: a cyclic shift): the same tensor.
        const src = xs[0];
        const shape = xs[0].shape.map((d, j) => (j === axis ? xs.reduce((s, v) => s + v.shape[j], 0) : d));
        if (xs.every((v) => v.ref === src.ref && v.chan === src.chan) && numel(shape) === srcNumel(src.src) && axis !== src.chan) {
          res.folded.push(`${node.name}: Concat of pieces of ${src.ref} back to its full size (a cyclic shift) is a re-ordering, no layer`);
          return setOut(node, 0, { ...src, shape });
        }
        return fail(`Concat along axis ${axis} of inputs that are not NCHW maps`);
      }
      default:
        return fail('no lic-dse layer for this op');
    }
  };

  for (const node of g.nodes) {
    const f = patterns.get(node.name);
    if (f && f.nodes[f.nodes.length - 1] !== node) continue;
    const activationInputs = (f ? [f.input] : node.inputs).filter((i) => i && !consts.has(i));
    const deadIn = activationInputs.find((i) => dead.has(i));
    if (deadIn) {
      res.dependents.push({ node: node.name, opType: node.opType, reason: `reads ${deadIn}, the output of left-out ${dead.get(deadIn)}` });
      for (const o of node.outputs) dead.set(o, dead.get(deadIn)!);
      continue;
    }
    // Weight preprocessing (Identity of an initializer, a reshape of a constant): still a constant.
    if (!f && activationInputs.length === 0) {
      const c = constFold(node, consts);
      if (c) {
        for (const [k, t] of c.entries()) consts.set(node.outputs[k], t);
        continue;
      }
    }
    try {
      if (f) fused(f, node);
      else convert(node);
    } catch (e) {
      if (!(e instanceof Unsupported)) throw e;
      const name = f ? gdnName(f) : node.name;
      res.unsupported.push({ node: name, opType: f ? f.op : node.opType, reason: e.message });
      const x = vals.get(activationInputs[0] ?? '');
      const outShape = g.valueInfo.get(node.outputs[0]);
      // Under --allow-partial a shape-keeping node can be bridged; the caller decides whether to accept that.
      if (x && node.outputs.length === 1 && whole(x) && !x.pad && (!outShape || eq(outShape, x.shape)) && ['unary'].includes(shapeClass(node.opType))) {
        res.bridged.push(node.name);
        vals.set(node.outputs[0], x);
      } else {
        for (const o of node.outputs) dead.set(o, `${name} (${node.opType})`);
      }
    }
  }
  for (const o of g.outputs) {
    const v = vals.get(o);
    if (v && v.ref !== '@image') res.outputs.push({ name: o, layer: v.ref });
  }
  return res;
}

/** Element-wise ops whose output has the input's shape (bridgeable when left out). */
function shapeClass(op: string): string {
  return ['Sin', 'Cos', 'Tanh', 'Exp', 'Log', 'Neg', 'Erf', 'Elu', 'Selu', 'HardSigmoid', 'HardSwish', 'Softplus', 'Softsign', 'Mish', 'PRelu', 'Clip', 'Round', 'Floor', 'Ceil', 'Sqrt', 'Reciprocal', 'Celu', 'ThresholdedRelu', 'Sign', 'Cast'].includes(op) ? 'unary' : 'other';
}

class ImportFailure extends Error {}
function fail2(msg: string): never {
  throw new ImportFailure(msg);
}
export { ImportFailure };

/** GDN's name: the module scope its nodes share ("/g_a/g_a.1/Pow" → "/g_a/g_a.1/GDN"). */
function gdnName(f: Fused): string {
  const first = f.nodes[0].name;
  const cut = first.lastIndexOf('/');
  const label = { gdn: 'GDN', igdn: 'IGDN', gdn_simplified: 'GDN1', igdn_simplified: 'IGDN1', gelu: 'Gelu' }[f.op];
  return cut >= 0 ? `${first.slice(0, cut)}/${label}` : `${first}/${label}`;
}

function viewShape(node: OnnxNode, x: number[], c: OnnxTensor | undefined): number[] {
  switch (node.opType) {
    case 'Reshape': {
      const s = c?.values ?? fail('the target shape is not a constant');
      const out = s.map((d, k) => (d === 0 && node.attrs.allowzero !== 1 ? x[k] : d));
      const minus = out.indexOf(-1);
      if (minus >= 0) out[minus] = numel(x) / numel(out.filter((d) => d !== -1));
      return out;
    }
    case 'Flatten': {
      const axis = norm((node.attrs.axis as number | undefined) ?? 1, x.length);
      return [numel(x.slice(0, axis)), numel(x.slice(axis))];
    }
    case 'Squeeze': {
      const axes = (c?.values ?? (node.attrs.axes as number[] | undefined))?.map((a) => norm(a, x.length));
      return x.filter((d, k) => (axes ? !axes.includes(k) : d !== 1));
    }
    default: {
      const axes = (c?.values ?? (node.attrs.axes as number[] | undefined) ?? fail('Unsqueeze axes are not constant')).map((a) => norm(a, x.length + 1)).sort((p, q) => p - q);
      const out = [...x];
      for (const a of axes) out.splice(a, 0, 1);
      return out;
    }
  }
}

interface Piece {
  axis: number;
  start: number;
  end: number;
}

function splitPieces(node: OnnxNode, x: number[], c: OnnxTensor | undefined): Piece[] {
  const axis = norm((node.attrs.axis as number | undefined) ?? 0, x.length);
  let sizes = c?.values ?? (node.attrs.split as number[] | undefined);
  if (!sizes) {
    const n = (node.attrs.num_outputs as number | undefined) ?? node.outputs.length;
    const each = Math.ceil(x[axis] / n);
    sizes = Array.from({ length: n }, (_, k) => Math.min(each, x[axis] - k * each));
  }
  let at = 0;
  return sizes.map((s) => {
    const p = { axis, start: at, end: at + s };
    at += s;
    return p;
  });
}

function slicePiece(node: OnnxNode, x: number[], st?: OnnxTensor, en?: OnnxTensor, ax?: OnnxTensor, sp?: OnnxTensor): Piece[] {
  const starts = st?.values ?? (node.attrs.starts as number[] | undefined) ?? fail('Slice starts are not constant');
  const ends = en?.values ?? (node.attrs.ends as number[] | undefined) ?? fail('Slice ends are not constant');
  const axes = ax?.values ?? (node.attrs.axes as number[] | undefined) ?? starts.map((_, k) => k);
  if (sp?.values && sp.values.some((v) => v !== 1)) fail('Slice with a step other than 1');
  if (axes.length !== 1) fail('Slice along several axes at once');
  const axis = norm(axes[0], x.length);
  const clamp = (v: number) => Math.max(0, Math.min(x[axis], v < 0 ? v + x[axis] : v));
  return [{ axis, start: clamp(starts[0]), end: clamp(ends[0]) }];
}

/** Nodes over constants only: Identity keeps the values; reshapes and transposes keep the shape. */
function constFold(node: OnnxNode, consts: Map<string, OnnxTensor>): OnnxTensor[] | undefined {
  const ins = node.inputs.filter(Boolean).map((i) => consts.get(i)!);
  const t = ins[0];
  if (!t) return undefined;
  switch (node.opType) {
    case 'Identity':
    case 'Cast':
      return [{ ...t, name: node.outputs[0] }];
    case 'QuantizeLinear':
    case 'DequantizeLinear':
      // Quantised weights of a QDQ export: the same tensor for shapes and counts.
      return [{ ...t, name: node.outputs[0], values: undefined }];
    case 'Reshape':
    case 'Flatten':
    case 'Squeeze':
    case 'Unsqueeze':
      try {
        return [{ name: node.outputs[0], dims: viewShape(node, t.dims, ins[1]), dataType: t.dataType, values: t.values }];
      } catch {
        return undefined;
      }
    case 'Transpose': {
      const perm = ints(node.attrs.perm, t.dims.map((_, k) => t.dims.length - 1 - k));
      return [{ name: node.outputs[0], dims: perm.map((k) => t.dims[k]), dataType: t.dataType }];
    }
    default:
      return undefined;
  }
}
