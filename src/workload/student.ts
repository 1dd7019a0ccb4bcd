import { UserError } from '../errors.js';
import type { Expr } from '../util/expr.js';
import { parseModel } from './load.js';
import { resolveModel, variantScope } from './resolve.js';
import type { LayerOrRepeat, LayerSpec, ModelFile, PartSpec, RepeatSpec } from './schema.js';
import { inferWorkload } from './shapes.js';
import type { ResolvedModel } from './types.js';

/**
 * Students of a model (Mazouz et al.; Johnston et al. 2019): the same graph with every channel count scaled by
 * a width multiplier, optional per-layer / per-part pruning, a GDN variant, rounded to a hardware-friendly
 * multiple. The result is an ordinary model descriptor: describe, explore, sweep and emit take it like any model.
 */

export type GdnVariant = 'gdn' | 'simplified' | 'relu';
export const GDN_VARIANTS: GdnVariant[] = ['gdn', 'simplified', 'relu'];

export interface StudentOptions {
  /** Variant of the teacher whose parameters are scaled (default: its default variant). */
  variant?: string;
  /** Channel counts are rounded to a multiple of this (e.g. 8, or the unroll). */
  round: number;
  /** Fraction of output channels removed, by "part" (every inner layer) or "part/layer" (that layer). */
  prune?: Record<string, number>;
  gdn?: GdnVariant;
  /** Which parameters are channel widths; default: detected (see channelParams). */
  channelParams?: string[];
}

/** Everything fixed across the widths of one student family: what scales, and its rounding unit. */
export interface StudentFamily {
  teacher: ModelFile;
  file: string;
  variant: string | undefined;
  /** The teacher variant's parameters (before derived values). */
  base: Record<string, number>;
  channelParams: string[];
  /** Rounding unit of each channel parameter: a multiple of `round` that keeps the model's divisibility constraints. */
  units: Record<string, number>;
  round: number;
  prune: Record<string, number>;
  gdn: GdnVariant;
  /** Scalable literal channel counts (hidden widths written as numbers, e.g. ms2020's 320/256 in h_a). */
  literals: number[];
}

export interface Student {
  width: number;
  spec: ModelFile;
  /** Parameters of the student (the teacher's, channel widths scaled and rounded). */
  params: Record<string, number>;
  /** Identity of the rounded student: equal keys, equal models. */
  key: string;
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;
/** Identifiers an expression reads (mathjs functions such as min/floor are followed by "("). */
function symbols(e: Expr | undefined): string[] {
  if (e === undefined || typeof e === 'number') return [];
  const out: string[] = [];
  for (const m of e.matchAll(IDENT)) {
    const after = e.slice(m.index! + m[0].length).trimStart();
    if (!after.startsWith('(')) out.push(m[0]);
  }
  return out;
}
const pairSyms = (x: unknown): string[] => (Array.isArray(x) ? x.flatMap((v) => symbols(v as Expr)) : typeof x === 'string' && x !== 'same' && x !== 'valid' ? symbols(x) : []);

const isRepeat = (x: LayerOrRepeat): x is RepeatSpec => (x as RepeatSpec).repeat !== undefined;
function eachLayer(items: LayerOrRepeat[], f: (l: LayerSpec) => void, onRepeat?: (r: RepeatSpec) => void) {
  for (const it of items) {
    if (isRepeat(it)) {
      onRepeat?.(it);
      eachLayer(it.layers, f, onRepeat);
    } else f(it);
  }
}
function mapLayers(items: LayerOrRepeat[], f: (l: LayerSpec) => LayerSpec): LayerOrRepeat[] {
  return items.map((it) => (isRepeat(it) ? { ...it, layers: mapLayers(it.layers, f) } : f(it)));
}

/**
 * The channel-width parameters of a model: those that some channel count (cout, dim, a slice's bounds, a part's
 * input channels) reads, directly or through a derived value, that no structural field (kernel, stride, padding,
 * factor, heads, window, repeat and instance counts, padMultiple) reads, and whose value is at least 16 — which
 * leaves out ratios and counts such as mlp_ratio = 4 or max_support_slices = 5.
 */
export function channelParams(m: ModelFile, scope: Record<string, number>): string[] {
  const derived = m.derived as Record<string, Expr>;
  const expand = (names: string[], seen = new Set<string>()): string[] => names.flatMap((n) => {
    if (seen.has(n)) return [];
    seen.add(n);
    return n in derived ? [n, ...expand(symbols(derived[n]), seen)] : [n];
  });
  const channel: string[] = [];
  const structural: string[] = [...symbols(m.padMultiple)];
  for (const p of m.parts) {
    if (p.instances) structural.push(...symbols(p.instances.count));
    for (const t of p.input) channel.push(...symbols(t.channels), ...symbols(t.offset));
    eachLayer(p.layers, (l) => {
      const s = l as Record<string, unknown>;
      for (const k of ['cout', 'dim', 'start', 'end']) channel.push(...symbols(s[k] as Expr));
      for (const k of ['kernel', 'stride', 'padding', 'dilation', 'outputPadding', 'factor', 'heads', 'window']) structural.push(...pairSyms(s[k]));
    }, (r) => structural.push(...symbols(r.repeat)));
  }
  const st = new Set(expand(structural));
  const ch = new Set(expand(channel));
  return Object.keys(m.params).filter((k) => ch.has(k) && !st.has(k) && (scope[k] ?? 0) >= 16).sort();
}

/** x rounded to the nearest multiple of u, at least u. */
export const roundTo = (x: number, u: number) => Math.max(u, Math.round(x / u) * u);

const CONV_LIKE = new Set(['conv', 'deconv', 'masked_conv', 'linear', 'fc']);
const hasCout = (l: LayerSpec): l is LayerSpec & { cout: Expr } => 'cout' in l && (l as { cout?: unknown }).cout !== undefined;

/** The image-producing layer (last layer with a cout in the last decode part): its channels are the image's. */
function imageLayer(m: ModelFile): { part: string; name: string } | undefined {
  const last = m.paths.decode[m.paths.decode.length - 1];
  const part = m.parts.find((p) => p.name === last);
  if (!part) return undefined;
  let out: { part: string; name: string } | undefined;
  eachLayer(part.layers, (l) => { if (hasCout(l)) out = { part: part.name, name: l.name }; });
  return out;
}

/**
 * Layers a part-wide pruning ratio leaves alone: the part's last channel-producing layer (its interface to the
 * other parts: the latent, the entropy parameters, the image) and any layer whose output reaches a residual
 * add or mul through channel-preserving layers (both operands must keep their channel count).
 */
function protectedLayers(p: PartSpec): Set<string> {
  const flat: LayerSpec[] = [];
  eachLayer(p.layers, (l) => flat.push(l));
  const out = new Set<string>();
  const producers = flat.filter(hasCout);
  if (producers.length) out.add(producers[producers.length - 1].name);
  const byName = new Map(flat.map((l, i) => [l.name, i]));
  const inputsOf = (l: LayerSpec, i: number): string[] => (l.input === undefined ? (i > 0 ? [flat[i - 1].name] : []) : Array.isArray(l.input) ? l.input : [l.input]);
  const producerOf = (name: string): string | undefined => {
    // Walk back through channel-preserving layers to the layer that set the channel count.
    let i = byName.get(name);
    while (i !== undefined) {
      const l = flat[i];
      if (hasCout(l)) return l.name;
      const ins = inputsOf(l, i);
      if (ins.length !== 1) return undefined;
      i = byName.get(ins[0]);
    }
    return undefined;
  };
  flat.forEach((l, i) => {
    if (l.op === 'add' || l.op === 'mul') for (const r of inputsOf(l, i)) { const p0 = producerOf(r); if (p0) out.add(p0); }
  });
  return out;
}

/** Scale one channel count: a literal is scaled and rounded; an expression already reads the scaled parameters. */
function scaleCout(e: Expr, width: number, round: number, keep: number): Expr {
  if (typeof e === 'number') return roundTo(e * width * keep, round);
  if (keep === 1) return e;
  return `max(${round}, round((${e}) * ${keep} / ${round}) * ${round})`;
}

function checkOptions(m: ModelFile, file: string, o: StudentOptions) {
  if (!(Number.isInteger(o.round) && o.round >= 1)) throw new UserError(`round ${o.round} must be a whole number ≥ 1`, { field: 'round' });
  const parts = new Map(m.parts.map((p) => [p.name, p]));
  for (const [k, r] of Object.entries(o.prune ?? {})) {
    if (!(r >= 0 && r < 1)) throw new UserError(`pruning ratio ${k}=${r} must be in [0, 1) (the fraction of channels removed)`, { field: `prune ${k}` });
    const [part, layer] = k.split('/', 2);
    const p = parts.get(part);
    if (!p) throw new UserError(`prune "${k}": no part "${part}" (parts: ${[...parts.keys()].join(', ')})`, { file, field: 'prune' });
    if (layer !== undefined) {
      const names: string[] = [];
      eachLayer(p.layers, (l) => { if (hasCout(l)) names.push(l.name); });
      if (!names.includes(layer)) throw new UserError(`prune "${k}": part ${part} has no layer "${layer}" with output channels (layers: ${names.join(', ')})`, { file, field: 'prune' });
    }
  }
  for (const p of o.channelParams ?? []) if (!(p in m.params)) throw new UserError(`channel parameter "${p}" is not a parameter of ${m.name} (parameters: ${Object.keys(m.params).join(', ')})`, { file, field: 'channel-params' });
}

/** The model a family gives at one width (no validation; see checkStudent). */
export function studentAt(fam: StudentFamily, width: number): Student {
  const { teacher: m, round } = fam;
  const params = { ...fam.base };
  for (const p of fam.channelParams) params[p] = roundTo(fam.base[p] * width, fam.units[p]);
  const img = imageLayer(m);
  const parts = m.parts.map((p) => {
    const prot = protectedLayers(p);
    return {
      ...p,
      layers: mapLayers(p.layers, (l) => {
        let x = l;
        if (fam.gdn !== 'gdn' && (l.op === 'gdn' || l.op === 'igdn')) {
          x = { name: l.name, op: fam.gdn === 'relu' ? 'relu' : l.op === 'gdn' ? 'gdn_simplified' : 'igdn_simplified', ...(l.input !== undefined ? { input: l.input } : {}), ...(l.note ? { note: l.note } : {}) } as LayerSpec;
        }
        if (!hasCout(x) || !CONV_LIKE.has(x.op)) return x;
        if (img && img.part === p.name && img.name === x.name) return x;
        const ratio = fam.prune[`${p.name}/${x.name}`] ?? (prot.has(x.name) ? undefined : fam.prune[p.name]) ?? 0;
        return { ...x, cout: scaleCout(x.cout, width, round, 1 - ratio) } as LayerSpec;
      }),
    };
  });
  const tag = [`w${Number(width.toFixed(4))}`, `r${round}`, fam.gdn !== 'gdn' ? fam.gdn === 'relu' ? 'relu' : 'sgdn' : '', Object.keys(fam.prune).length ? 'pruned' : ''].filter(Boolean).join('-');
  const spec: ModelFile = {
    ...m,
    name: `${m.name}-${tag}`,
    title: `${m.title} — student ×${Number(width.toFixed(4))} width`,
    params,
    variants: {},
    defaultVariant: undefined,
    parts,
    notes: [
      ...m.notes,
      `Student of ${m.name}${fam.variant ? ` (variant ${fam.variant})` : ''} made by lic-dse: width ×${width} on ${fam.channelParams.join(', ') || 'no parameter'} (rounded to multiples of ${fam.channelParams.map((p) => `${p}: ${fam.units[p]}`).join(', ') || round}), literal hidden widths ×${width} rounded to ${round}` +
        `${Object.keys(fam.prune).length ? `, pruned ${Object.entries(fam.prune).map(([k, r]) => `${k}=${r}`).join(', ')}` : ''}${fam.gdn !== 'gdn' ? `, GDN → ${fam.gdn === 'relu' ? 'ReLU' : 'simplified GDN (Johnston et al. 2019)'}` : ''}.`,
    ],
  };
  delete (spec as { defaultVariant?: string }).defaultVariant;
  const key = JSON.stringify([fam.channelParams.map((p) => params[p]), studentCouts(spec)]);
  return { width, spec, params, key };
}

/** Every channel count of a model as written (literals and pruned expressions), for identity. */
function studentCouts(m: ModelFile): Expr[] {
  const out: Expr[] = [];
  for (const p of m.parts) eachLayer(p.layers, (l) => { if (hasCout(l)) out.push(l.cout); });
  return out;
}

/**
 * Why a student is not a valid model, or undefined: the file schema, the resolver (whole channel counts,
 * slices), shape inference (concat/add/slice channels) at a small resolution, attention heads dividing the
 * dimension and groups dividing the channels.
 */
export function checkStudent(spec: ModelFile, label: string, opts: { schema?: boolean } = {}): string | undefined {
  try {
    // The schema check is for files written out; a family's students only differ from the teacher in numbers.
    if (opts.schema !== false) parseModel(JSON.parse(JSON.stringify(spec)), label);
    const r: ResolvedModel = resolveModel(spec, label, {});
    const size = r.padMultiple * 2;
    const w = inferWorkload(r, { width: size, height: size }, 'stride');
    for (const l of w.layers) {
      const L = l.layer;
      if (l.op === 'matmul' && L.dim! % L.heads! !== 0) return `${l.part}/${l.name}: ${L.heads} heads do not divide dimension ${L.dim}`;
      if (L.groups && L.groups > 1 && (l.cin % L.groups !== 0 || l.cout % L.groups !== 0)) return `${l.part}/${l.name}: ${L.groups} groups do not divide ${l.cin} → ${l.cout} channels`;
    }
    return undefined;
  } catch (e) {
    if (e instanceof UserError || (e as Error).name === 'ShapeError') return (e as Error).message;
    throw e;
  }
}

// Widths whose rounded counts are not special multiples (a divisibility constraint shows at once), then the usual ones.
const PROBE_WIDTHS = [0.71, 0.41, 0.87, 0.31, 1, 0.5, 0.25];
const UNIT_FACTORS = [2, 3, 4, 5, 6, 8, 10, 12, 15, 16];
const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
const lcm = (a: number, b: number) => (a / gcd(a, b)) * b;

/**
 * A family of students: which parameters scale, and for each the smallest rounding unit (a multiple of `round`)
 * under which the students at a few probe widths (1, ½, ¼ and four irregular ones) are all valid models — e.g. ms2020's M must stay a multiple of
 * num_slices (10): with round 8 its unit is 40. The units are fixed for the family, so every channel count is a
 * non-decreasing step function of the width. Throws a UserError naming the constraint when no unit works.
 */
export function studentFamily(teacher: ModelFile, file: string, o: StudentOptions): StudentFamily {
  checkOptions(teacher, file, o);
  const { variant, scope } = variantScope(teacher, file, { variant: o.variant });
  const base = Object.fromEntries(Object.keys(teacher.params).map((k) => [k, scope[k]]));
  const chans = o.channelParams ? [...o.channelParams].sort() : channelParams(teacher, scope);
  const literals: number[] = [];
  const img = imageLayer(teacher);
  for (const p of teacher.parts) eachLayer(p.layers, (l) => {
    if (hasCout(l) && CONV_LIKE.has(l.op) && typeof l.cout === 'number' && !(img && img.part === p.name && img.name === l.name)) literals.push(l.cout);
  });
  const fam: StudentFamily = {
    teacher, file, variant, base, channelParams: chans, units: Object.fromEntries(chans.map((p) => [p, o.round])),
    round: o.round, prune: { ...(o.prune ?? {}) }, gdn: o.gdn ?? 'gdn', literals,
  };
  const failure = (f: StudentFamily) => {
    for (const w of PROBE_WIDTHS) {
      const s = studentAt(f, w);
      const bad = checkStudent(s.spec, `${teacher.name} ×${w}`, { schema: false });
      if (bad) return bad;
    }
    return undefined;
  };
  let bad = failure(fam);
  if (!bad) return fam;
  // One parameter's unit at a time, then all together: the first (smallest) unit that makes every probe valid.
  for (const k of UNIT_FACTORS) {
    if (lcm(o.round, k) === o.round) continue;
    for (const p of chans) {
      const f = { ...fam, units: { ...fam.units, [p]: lcm(o.round, k) } };
      if (!failure(f)) return f;
    }
    const all = { ...fam, units: Object.fromEntries(chans.map((p) => [p, lcm(o.round, k)])) };
    if (!failure(all)) return all;
  }
  bad = failure(fam);
  throw new UserError(`no rounding of ${teacher.name}'s channel widths (${chans.join(', ') || 'none detected'}) to multiples of ${o.round} gives a valid model: ${bad}`, { file, field: 'round' });
}

/** The student at one width, checked: a UserError says which constraint the rounded widths break. */
export function makeStudent(fam: StudentFamily, width: number): Student {
  if (!(width > 0 && width <= 4)) throw new UserError(`width ${width} must be in (0, 4]`, { field: 'width' });
  const s = studentAt(fam, width);
  const bad = checkStudent(s.spec, `${fam.teacher.name} ×${width}`);
  if (bad) throw new UserError(`the student at width ${width} rounded to ${fam.round} is not a valid model: ${bad}`, { file: fam.file, field: 'width' });
  return s;
}

/** One distinct student on the width axis: the widths [from, to) all give it. */
export interface Rung extends Student {
  from: number;
  to: number;
}

/**
 * Every distinct rounded student between two widths, narrowest first (exact, not a grid): each scaled count
 * v with unit u steps up at the widths (k + ½)·u / v, so the students change only there. Each rung is built
 * at the middle of its interval (away from the rounding ties). With `validate`, invalid students are left out;
 * without, a rung is validated when it is used (its workload is built), which is what the fit does: the family's
 * units were already probed, and checking a hundred rungs of a large model up front costs seconds.
 */
export function widthLadder(fam: StudentFamily, minWidth: number, maxWidth = 1, opts: { validate?: boolean } = {}): Rung[] {
  if (!(minWidth > 0 && minWidth <= maxWidth)) throw new UserError(`min width ${minWidth} must be in (0, ${maxWidth}]`, { field: 'min-width' });
  const steps: [number, number][] = [
    ...fam.channelParams.map((p) => [fam.base[p], fam.units[p]] as [number, number]),
    ...fam.literals.map((v) => [v, fam.round] as [number, number]),
  ];
  // Pruned counts are functions of the scaled parameters and literals: they change only where those do, plus
  // where a pruned literal crosses its own rounding tie.
  const keepRatios = [...new Set(Object.values(fam.prune).map((r) => 1 - r))];
  for (const k of keepRatios) for (const v of fam.literals) steps.push([v * k, fam.round]);
  const cuts = new Set<number>();
  for (const [v, u] of steps) {
    for (let k = 1; ; k++) {
      const b = ((k + 0.5) * u) / v;
      if (b > maxWidth) break;
      if (b > minWidth) cuts.add(b);
    }
  }
  const edges = [minWidth, ...[...cuts].sort((a, b) => a - b), maxWidth];
  const rungs: Rung[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const [a, b] = [edges[i], edges[i + 1]];
    if (b - a < 1e-12 && i + 2 < edges.length) continue;
    const s = studentAt(fam, i + 2 === edges.length ? b : (a + b) / 2);
    const prev = rungs[rungs.length - 1];
    if (prev && prev.key === s.key) { prev.to = b; continue; }
    if (opts.validate && checkStudent(s.spec, `${fam.teacher.name} ×${s.width}`, { schema: false })) continue;
    rungs.push({ ...s, from: a, to: b });
  }
  return rungs;
}
