import { UserError } from '../errors.js';
import { fitTile, layerId } from '../cost/evaluate.js';
import { lower, type DeconvLowering } from '../cost/lower.js';
import type { EngineLayer, PipelineLayer, Point } from '../mapping/schema.js';
import { parsePrecision } from '../platform/precision.js';
import type { Workload, WorkloadLayer } from '../workload/types.js';
import { engineArch, grid, type EngineGeom } from '../arch/engine.js';
import { fuseLayers } from '../arch/fusion.js';
import { engineGeom, padding } from '../arch/geometry.js';
import { uniqueIdents } from './names.js';
import { ACT_ABS, ACT_LEAKY, ACT_NONE, ACT_RELU, GDN_KINDS, leakySlopeQ8, requantShift, type ActCode, type GdnKind } from './quant.js';

/**
 * The layers an emitted project computes, twice over: `layers` as the model defines them (what the TypeScript
 * reference runs, one op each) and `steps` as the hardware runs them (element-wise layers fused into the
 * convolution or GDN that produces their input, where that is exact).
 */

export const SUPPORTED_OPS = ['conv', 'deconv', 'gdn', 'igdn', 'gdn_simplified', 'igdn_simplified', 'relu', 'leaky_relu', 'abs', 'add', 'pixel_shuffle'] as const;
export type EmitOp = (typeof SUPPORTED_OPS)[number];
const MAC_KINDS = new Set<string>(['conv', 'deconv', ...GDN_KINDS]);
export const isMacOp = (op: string) => MAC_KINDS.has(op);

/** The convolutional part of each path: analysis at encode, synthesis at decode (DESIGN.md: emit/). */
export const DEFAULT_PART: Record<'encode' | 'decode', string> = { encode: 'g_a', decode: 'g_s' };

export const INPUT = '@input';

export interface TensorShape {
  c: number;
  h: number;
  w: number;
}

/** One model layer with every attribute the arithmetic needs. */
export interface RefLayer {
  id: string;
  op: EmitOp;
  /** Tensor keys read: INPUT or the id of an earlier layer. */
  inputs: string[];
  in: TensorShape;
  out: TensorShape;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  /** Zero rows/columns before the input (conv), or P in o = i·s + k − P (deconv). */
  padT: number;
  padL: number;
  bias: boolean;
  shift: number;
  slopeQ8: number;
  factor: number;
}

export type StepKind = 'conv' | 'deconv' | GdnKind | 'add' | 'pixel_shuffle' | 'unary';

/** One unit of hardware work: an engine layer pass or a pipeline stage. */
export interface Step {
  index: number;
  /** The layer that gives the step its name and arithmetic. */
  id: string;
  cname: string;
  kind: StepKind;
  layer: RefLayer;
  /** Layers folded in after the primary one, in model order. */
  fused: string[];
  /** Tensor keys read (one; two for a stand-alone add) and the tensor the step leaves in memory. */
  inputs: string[];
  output: string;
  /** Shape of `output` (after a fused pixel shuffle). */
  outShape: TensorShape;
  act: ActCode;
  slopeQ8: number;
  /** Pixel-shuffle factor folded into the store (engine only); 1 for none. */
  shuffle: number;
  /** Residual add folded into the store: the other operand. */
  addFrom?: string;
  deconv: DeconvLowering;
  tile?: { tn: number; tm: number; tr: number; tc: number };
  /** The engine's loop nest of a MAC step (src/arch/engine.ts). */
  geom?: EngineGeom;
  par?: PipelineLayer;
}

export interface EmitIR {
  model: string;
  part: string;
  arch: 'engine' | 'pipeline';
  input: TensorShape;
  layers: RefLayer[];
  steps: Step[];
  /** Tensor key of the part's output (its last layer). */
  output: string;
  consumers: Map<string, number>;
}

const SUPPORTED_TEXT = SUPPORTED_OPS.join(', ');

function refLayer(l: WorkloadLayer, nameToId: Map<string, string>): RefLayer {
  const id = layerId(l);
  const L = l.layer;
  const op = l.op as EmitOp;
  const where = `layer ${id} (${l.op})`;
  if (!(SUPPORTED_OPS as readonly string[]).includes(l.op)) {
    throw new UserError(`${where}: the HLS emitter supports ${SUPPORTED_TEXT}`, { field: 'emit' });
  }
  if ((L.groups ?? 1) !== 1) throw new UserError(`${where}: grouped convolution (groups ${L.groups}) is not emitted; the HLS emitter supports dense ${SUPPORTED_TEXT}`, { field: 'emit' });
  if (L.dilation && (L.dilation[0] !== 1 || L.dilation[1] !== 1)) throw new UserError(`${where}: dilated convolution is not emitted`, { field: 'emit' });
  const inputs = L.inputs.map((r) => (r === INPUT ? INPUT : nameToId.get(r)!));
  const base: RefLayer = {
    id, op, inputs,
    in: { c: l.cin, h: l.inH, w: l.inW }, out: { c: l.cout, h: l.outH, w: l.outW },
    kh: 1, kw: 1, sh: 1, sw: 1, padT: 0, padL: 0, bias: false, shift: 0, slopeQ8: 0, factor: 1,
  };
  if (op === 'conv' || op === 'deconv') {
    const [kh, kw] = L.kernel!;
    const [sh, sw] = L.stride!;
    const [padT, padL] = padding(l);
    const fanIn = op === 'conv' ? l.cin * kh * kw : l.cin * Math.ceil(kh / sh) * Math.ceil(kw / sw);
    const shift = requantShift(fanIn);
    // int32 accumulation: the worst case of F products of int8 operands plus the bias must stay below 2^31.
    if (fanIn * 128 * 128 + 2 ** (shift + 1) >= 2 ** 31) throw new UserError(`${where}: ${fanIn} products per output can overflow the int32 accumulator`, { field: 'emit' });
    return { ...base, kh, kw, sh, sw, padT, padL, bias: L.bias !== false, shift };
  }
  if ((GDN_KINDS as string[]).includes(op)) {
    if (l.cin > 2048) throw new UserError(`${where}: ${l.cin} channels; the integer GDN is emitted for up to 2048`, { field: 'emit' });
  }
  if (op === 'leaky_relu') return { ...base, slopeQ8: leakySlopeQ8(L.slope ?? 0.01) };
  if (op === 'pixel_shuffle') return { ...base, factor: L.factor! };
  return base;
}

const ACT_OF: Record<string, ActCode> = { relu: ACT_RELU, leaky_relu: ACT_LEAKY, abs: ACT_ABS };

/**
 * The layers of the part an emitted project computes, or a user error saying why that part cannot be emitted
 * (no such part, several instances, not on this path, an op the emitter does not write). Cheap: `explore --emit`
 * calls it before the search.
 */
export function partLayers(w: Workload, path: 'encode' | 'decode', partName: string): WorkloadLayer[] {
  const wl = w.layers.filter((l) => l.part === partName && l.instance === undefined);
  if (!wl.length && w.layers.some((l) => l.part === partName)) {
    throw new UserError(`part ${partName} of ${w.model} has several instances (slices); the emitter writes single-instance parts`, { field: 'part' });
  }
  if (!wl.length) {
    const parts = [...new Set(w.layers.map((l) => l.part))];
    throw new UserError(`model ${w.model} has no part "${partName}" (parts: ${parts.join(', ')})`, { field: 'part' });
  }
  if (!wl[0][path]) throw new UserError(`part ${partName} does not run in the ${path} path of ${w.model}`, { field: 'part' });
  const unsupported = wl.find((l) => !(SUPPORTED_OPS as readonly string[]).includes(l.op));
  if (unsupported) throw new UserError(`layer ${layerId(unsupported)} (${unsupported.op}): the HLS emitter supports ${SUPPORTED_TEXT}`, { field: 'emit' });
  return wl;
}

/** What `emitProject` accepts of this point (precision, part), checked before any search or arithmetic. */
export function emittable(w: Workload, point: Point, partName: string = DEFAULT_PART[point.workload.path]): WorkloadLayer[] {
  const prec = parsePrecision(point.precision);
  if (prec.name !== 'int8') throw new UserError(`precision ${prec.name}: the HLS emitter implements int8 (int8 weights and activations, int32 accumulation)`, { field: 'precision' });
  for (const [k, v] of Object.entries(point.layerPrecision)) {
    if (parsePrecision(v).name !== 'int8') throw new UserError(`precision ${v} for ${k}: the HLS emitter implements int8 only`, { field: `layerPrecision.${k}` });
  }
  return partLayers(w, point.workload.path, partName);
}

/** The part's model layers and the hardware steps, for a design point's template. */
export function buildIR(w: Workload, point: Point, part?: string): EmitIR {
  const partName = part ?? DEFAULT_PART[point.workload.path];
  const wl = emittable(w, point, partName);
  const nameToId = new Map<string, string>();
  const layers: RefLayer[] = [];
  for (const l of wl) {
    layers.push(refLayer(l, nameToId));
    nameToId.set(l.name, layerId(l));
  }
  const first = layers.find((l) => l.inputs.includes(INPUT))!;
  const input = { ...first.in };
  const consumers = new Map<string, number>();
  for (const l of layers) for (const r of l.inputs) consumers.set(r, (consumers.get(r) ?? 0) + 1);
  const output = layers[layers.length - 1].id;
  const arch = point.arch;
  if (arch !== 'engine' && arch !== 'pipeline') throw new UserError(`arch "${arch}" is a baseline (Vitis AI DPU / GPU): there is no HLS to emit, only engine and pipeline points`, { field: 'arch' });
  const steps = fuse(layers, consumers, arch, input);
  const names = uniqueIdents(steps.map((s) => s.id));
  steps.forEach((s, k) => { s.cname = names[k]; });
  attachMapping(steps, w, point);
  return { model: w.model, part: partName, arch, input, layers, steps, output, consumers };
}

function fuse(layers: RefLayer[], _consumers: Map<string, number>, arch: 'engine' | 'pipeline', _input: TensorShape): Step[] {
  const byId = new Map(layers.map((l) => [l.id, l]));
  const plan = fuseLayers(layers, isMacOp, INPUT, arch === 'engine');
  return plan.map((f, index) => {
    const l = byId.get(f.id)!;
    const kind: StepKind = f.mac ? (l.op as StepKind) : l.op === 'add' ? 'add' : l.op === 'pixel_shuffle' ? 'pixel_shuffle' : 'unary';
    const s: Step = {
      index, id: l.id, cname: '', kind, layer: l, fused: [], inputs: f.mac || kind !== 'add' ? [l.inputs[0]] : [...l.inputs],
      output: l.id, outShape: l.out, act: kind === 'unary' ? (ACT_OF[l.op] ?? ACT_NONE) : ACT_NONE, slopeQ8: kind === 'unary' ? l.slopeQ8 : 0,
      shuffle: 1, deconv: 'subpixel',
    };
    for (const x of f.fused) {
      const fl = byId.get(x.id)!;
      s.fused.push(x.id);
      s.output = x.id;
      s.outShape = fl.out;
      if (x.role === 'act') { s.act = ACT_OF[fl.op]; s.slopeQ8 = fl.slopeQ8; }
      if (x.role === 'shuffle') s.shuffle = fl.factor;
    }
    if (f.addFrom) s.addFrom = f.addFrom;
    return s;
  });
}

function attachMapping(steps: Step[], w: Workload, point: Point) {
  const prec = parsePrecision(point.precision);
  const byId = new Map(w.layers.map((l) => [layerId(l), l]));
  if (point.arch === 'engine') {
    const spec = point.engine!;
    for (const s of steps) {
      if (!isMacOp(s.kind)) continue;
      const given = spec.layers[s.id];
      s.deconv = given?.deconv ?? spec.deconv;
      const wl = byId.get(s.id)!;
      const lw = lower(wl, s.deconv)!;
      const geo = engineGeom(wl, lw, s.deconv, { storeReads: !!s.addFrom, shuffle: s.shuffle });
      const arch = engineArch(spec, prec, { computeDepth: 0, perStepCycles: 0, perLayerCycles: 0 });
      const t: EngineLayer | undefined = given ?? fitTile(geo, arch, spec);
      if (!t) throw new UserError(`no tile of layer ${s.id} fits the engine's buffers`, { field: `engine.layers.${s.id}` });
      const gs = grid(geo);
      s.geom = geo;
      s.tile = { tn: Math.min(t.tn, geo.N), tm: Math.min(t.tm, geo.M), tr: Math.min(t.tr, gs.gr), tc: Math.min(t.tc, gs.gc) };
    }
  } else {
    const spec = point.pipeline!;
    for (const s of steps) {
      s.deconv = spec.deconv;
      if (!isMacOp(s.kind)) continue;
      const lw = lower(byId.get(s.id)!, s.deconv)!;
      const c = spec.layers[s.id] ?? { pin: 1, pout: 1, pk: 1, weights: 'onchip', reuse: 1, spill: false, fifoDepth: 2 };
      if (c.pin > lw.N || c.pout > lw.M) throw new UserError(`pin ${c.pin} / pout ${c.pout} exceed the layer's ${lw.N} / ${lw.M} channels`, { field: `pipeline.layers.${s.id}` });
      s.par = { ...c, pk: Math.max(1, Math.min(c.pk, s.layer.kh * s.layer.kw)) };
    }
  }
}
