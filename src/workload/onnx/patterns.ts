import type { OnnxGraph, OnnxNode } from './decode.js';

/** Several exported nodes that are one lic-dse layer: GDN/IGDN (and their simplified forms) and GELU. */
export interface Fused {
  op: 'gdn' | 'igdn' | 'gdn_simplified' | 'igdn_simplified' | 'gelu';
  /** The activation the pattern normalises. */
  input: string;
  output: string;
  /** Every node of the pattern, in graph order; the last produces `output`. */
  nodes: OnnxNode[];
}

interface Index {
  producer: Map<string, OnnxNode>;
  consumers: Map<string, OnnxNode[]>;
}

function index(g: OnnxGraph): Index {
  const producer = new Map<string, OnnxNode>();
  const consumers = new Map<string, OnnxNode[]>();
  for (const n of g.nodes) {
    for (const o of n.outputs) producer.set(o, n);
    for (const i of n.inputs) if (i) (consumers.get(i) ?? consumers.set(i, []).get(i)!).push(n);
  }
  return { producer, consumers };
}

const scalar = (g: OnnxGraph, name: string): number | undefined => {
  const t = g.constants.get(name);
  return t && t.values && t.values.length === 1 ? t.values[0] : undefined;
};
const near = (a: number | undefined, b: number, tol = 1e-3) => a !== undefined && Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

/** The only consumer of a tensor, when there is exactly one and it has the given type. */
function sole(ix: Index, t: string, ...types: string[]): OnnxNode | undefined {
  const cs = ix.consumers.get(t) ?? [];
  return cs.length === 1 && types.includes(cs[0].opType) ? cs[0] : undefined;
}

/** The other input of a binary node. */
const other = (n: OnnxNode, t: string) => (n.inputs[0] === t ? n.inputs[1] : n.inputs[0]);

/**
 * GDN as exporters write it (Ballé et al. 2016; CompressAI's GDN/GDN1):
 *   s = x² (Pow(x, 2) or Mul(x, x)) or |x| (simplified); n = Conv1×1(s, γ[, β]) [+ β];
 *   then x·rsqrt(n) (Sqrt → Reciprocal/Div(1, ·) → Mul, or Pow(n, −0.5) → Mul), x / sqrt(n) (Sqrt → Div) — GDN;
 *   x·sqrt(n) — IGDN; for |x|: x / n or x·(1/n) — simplified GDN, x·n — simplified IGDN.
 */
function matchGdn(g: OnnxGraph, ix: Index, sq: OnnxNode): Fused | undefined {
  let x: string;
  let simplified: boolean;
  if (sq.opType === 'Abs') {
    x = sq.inputs[0];
    simplified = true;
  } else if (sq.opType === 'Pow' && near(scalar(g, sq.inputs[1]), 2)) {
    x = sq.inputs[0];
    simplified = false;
  } else if (sq.opType === 'Mul' && sq.inputs[0] === sq.inputs[1]) {
    x = sq.inputs[0];
    simplified = false;
  } else return undefined;
  const conv = sole(ix, sq.outputs[0], 'Conv');
  if (!conv || conv.inputs[0] !== sq.outputs[0]) return undefined;
  const k = conv.attrs.kernel_shape as number[] | undefined;
  const w = g.constants.get(conv.inputs[1]);
  if (!w || w.dims.length !== 4 || w.dims[0] !== w.dims[1] || w.dims[2] !== 1 || w.dims[3] !== 1) return undefined;
  if ((k && (k[0] !== 1 || k[1] !== 1)) || ((conv.attrs.group as number | undefined) ?? 1) !== 1) return undefined;
  const nodes = [sq, conv];
  let n = conv.outputs[0];
  const addBeta = sole(ix, n, 'Add');
  if (addBeta && g.constants.has(other(addBeta, n))) {
    nodes.push(addBeta);
    n = addBeta.outputs[0];
  }
  const done = (op: Fused['op'], last: OnnxNode, ...more: OnnxNode[]): Fused => ({ op, input: x, output: last.outputs[0], nodes: [...nodes, ...more, last] });
  const xTimes = (t: string) => {
    const m = sole(ix, t, 'Mul');
    return m && other(m, t) === x ? m : undefined;
  };
  const reciprocal = (t: string) => {
    const r = sole(ix, t, 'Reciprocal', 'Div');
    if (!r) return undefined;
    if (r.opType === 'Reciprocal' || (r.inputs[1] === t && near(scalar(g, r.inputs[0]), 1))) return r;
    return undefined;
  };
  if (simplified) {
    const div = sole(ix, n, 'Div');
    if (div && div.inputs[0] === x && div.inputs[1] === n) return done('gdn_simplified', div);
    const mul = xTimes(n);
    if (mul) return done('igdn_simplified', mul);
    const r = reciprocal(n);
    const m2 = r && xTimes(r.outputs[0]);
    if (r && m2) return done('gdn_simplified', m2, r);
    return undefined;
  }
  const pw = sole(ix, n, 'Pow');
  if (pw && near(scalar(g, pw.inputs[1]), -0.5)) {
    const m = xTimes(pw.outputs[0]);
    return m ? done('gdn', m, pw) : undefined;
  }
  const sqrt = sole(ix, n, 'Sqrt') ?? (pw && near(scalar(g, pw.inputs[1]), 0.5) ? pw : undefined);
  if (!sqrt) return undefined;
  const s = sqrt.outputs[0];
  const div = sole(ix, s, 'Div');
  if (div && div.inputs[0] === x && div.inputs[1] === s) return done('gdn', div, sqrt);
  const mul = xTimes(s);
  if (mul) return done('igdn', mul, sqrt);
  const r = reciprocal(s);
  const m2 = r && xTimes(r.outputs[0]);
  if (r && m2) return done('gdn', m2, sqrt, r);
  return undefined;
}

/** GELU as exported before opset 20: x·0.5·(1 + erf(x/√2)) — Div(x, √2) → Erf → Add 1 → Mul x → Mul 0.5 (either order). */
function matchGelu(g: OnnxGraph, ix: Index, erf: OnnxNode): Fused | undefined {
  const pre = ix.producer.get(erf.inputs[0]);
  if (!pre) return undefined;
  let x: string;
  if (pre.opType === 'Div' && near(scalar(g, pre.inputs[1]), Math.SQRT2)) x = pre.inputs[0];
  else if (pre.opType === 'Mul' && (near(scalar(g, pre.inputs[1]), Math.SQRT1_2) || near(scalar(g, pre.inputs[0]), Math.SQRT1_2))) x = g.constants.has(pre.inputs[0]) ? pre.inputs[1] : pre.inputs[0];
  else return undefined;
  if ((ix.consumers.get(pre.outputs[0]) ?? []).length !== 1) return undefined;
  const add = sole(ix, erf.outputs[0], 'Add');
  if (!add || !near(scalar(g, other(add, erf.outputs[0])), 1)) return undefined;
  const a = add.outputs[0];
  const m1 = sole(ix, a, 'Mul');
  if (!m1) return undefined;
  const o1 = other(m1, a);
  if (o1 === x) {
    const m2 = sole(ix, m1.outputs[0], 'Mul');
    if (!m2 || !near(scalar(g, other(m2, m1.outputs[0])), 0.5)) return undefined;
    return { op: 'gelu', input: x, output: m2.outputs[0], nodes: [pre, erf, add, m1, m2] };
  }
  // (x·0.5)·(1 + erf): the half is applied to x first.
  const half = ix.producer.get(o1);
  if (half && half.opType === 'Mul' && half.inputs.includes(x) && near(scalar(g, other(half, x)), 0.5)) {
    return { op: 'gelu', input: x, output: m1.outputs[0], nodes: [pre, erf, add, half, m1] };
  }
  return undefined;
}

/** Every fused pattern of the graph, keyed by the name of each node it covers. */
export function findPatterns(g: OnnxGraph): Map<string, Fused> {
  const ix = index(g);
  const out = new Map<string, Fused>();
  for (const n of g.nodes) {
    if (out.has(n.name)) continue;
    const f = n.opType === 'Erf' ? matchGelu(g, ix, n) : ['Abs', 'Pow', 'Mul'].includes(n.opType) ? matchGdn(g, ix, n) : undefined;
    if (f && f.nodes.every((m) => !out.has(m.name))) for (const m of f.nodes) out.set(m.name, f);
  }
  return out;
}
