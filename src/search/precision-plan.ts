import { UserError } from '../errors.js';
import { MAC_OPS } from '../cost/lower.js';
import { parsePrecision, type Precision } from '../platform/precision.js';
import type { ModelFile } from '../workload/schema.js';
import { pathLayers } from '../workload/shapes.js';
import type { Workload } from '../workload/types.js';

/**
 * Hybrid quantisation plans (Mazouz et al.: int8 with wider first/last layers and GDNs): a plan is a default
 * precision plus a wider one on a named set of sensitive layers. Plans are data built from the allowed set;
 * the fit searches them together with the design.
 */

export type PlanShape = 'uniform' | 'ends' | 'sensitive';
export const PLAN_SHAPES: PlanShape[] = ['uniform', 'ends', 'sensitive'];

export interface PlanTemplate {
  /** e.g. "int8", "int8+int16@ends", "w4a8+int8@sensitive". */
  name: string;
  base: string;
  high?: string;
  shape: PlanShape;
}

export interface Plan {
  template: string;
  precision: string;
  layerPrecision: Record<string, string>;
  /** MAC-weighted averages over the path's MAC layers. */
  weightBits: number;
  actBits: number;
  /** (weight + activation bits) / 2, MAC-weighted: what a cap limits. */
  bits: number;
}

const cost = (p: Precision) => p.weightBits + p.actBits;

/** The allowed precisions, canonical and ordered narrowest first (ties by name: deterministic). */
export function parsePrecisionList(list: string[]): Precision[] {
  if (!list.length) throw new UserError('give at least one precision (e.g. int8,int16)', { field: 'precisions' });
  const seen = new Map<string, Precision>();
  for (const s of list) {
    const p = parsePrecision(s, 'precisions');
    seen.set(p.name, p);
  }
  return [...seen.values()].sort((a, b) => cost(a) - cost(b) || a.name.localeCompare(b.name));
}

/**
 * Every plan the allowed set gives: each precision alone, and for each narrower/wider pair the narrow one
 * everywhere but the ends (the image- and latent-facing layers) or the sensitive layers (ends and GDNs).
 */
export function planTemplates(precisions: string[], shapes: PlanShape[] = PLAN_SHAPES): PlanTemplate[] {
  const ps = parsePrecisionList(precisions);
  const out: PlanTemplate[] = [];
  if (shapes.includes('uniform')) for (const p of ps) out.push({ name: p.name, base: p.name, shape: 'uniform' });
  for (const shape of ['ends', 'sensitive'] as const) {
    if (!shapes.includes(shape)) continue;
    for (let i = 0; i < ps.length; i++) for (let j = i + 1; j < ps.length; j++) {
      out.push({ name: `${ps[i].name}+${ps[j].name}@${shape}`, base: ps[i].name, high: ps[j].name, shape });
    }
  }
  if (!out.length) throw new UserError(`plan shapes ${shapes.join(', ')} need ${shapes.includes('uniform') ? 'a precision' : 'two precisions'} in --precisions`, { field: 'plan' });
  return out;
}

const GDN_OPS = new Set(['gdn', 'igdn', 'gdn_simplified', 'igdn_simplified']);

/**
 * The ends of a path: the first and last MAC layers of the part that reads the image (encode: the analysis
 * transform's first layer and the latent producer) or of the part that writes it (decode: the synthesis
 * transform's first and last layers). Falls back to the path's first and last MAC layers.
 */
export function endLayers(m: ModelFile, w: Workload, path: 'encode' | 'decode'): string[] {
  const macs = pathLayers(w, path).filter((l) => MAC_OPS.has(l.op));
  if (!macs.length) return [];
  const part = path === 'encode'
    ? m.parts.find((p) => p.input.some((i) => i.from === 'image') && m.paths.encode.includes(p.name))?.name
    : m.paths.decode[m.paths.decode.length - 1];
  const own = macs.filter((l) => l.part === part);
  const pick = own.length ? own : macs;
  return [...new Set([pick[0], pick[pick.length - 1]].map((l) => `${l.part}/${l.name}`))];
}

/** The plan a template gives on one path of a workload, with its MAC-weighted bits. */
export function planFor(m: ModelFile, w: Workload, path: 'encode' | 'decode', t: PlanTemplate): Plan {
  const layers = pathLayers(w, path).filter((l) => MAC_OPS.has(l.op));
  const high = new Set<string>();
  if (t.high && t.shape !== 'uniform') {
    for (const id of endLayers(m, w, path)) high.add(id);
    if (t.shape === 'sensitive') for (const l of layers) if (GDN_OPS.has(l.op)) high.add(`${l.part}/${l.name}`);
  }
  const layerPrecision: Record<string, string> = {};
  for (const id of [...high].sort()) layerPrecision[id] = t.high!;
  return { template: t.name, precision: t.base, layerPrecision, ...planBits(w, path, t.base, layerPrecision) };
}

/** MAC-weighted average weight, activation and mean bits of a (default, per-layer) precision assignment. */
export function planBits(w: Workload, path: 'encode' | 'decode', precision: string, layerPrecision: Record<string, string>): { weightBits: number; actBits: number; bits: number } {
  const base = parsePrecision(precision);
  let macs = 0;
  let wb = 0;
  let ab = 0;
  for (const l of pathLayers(w, path)) {
    if (!MAC_OPS.has(l.op)) continue;
    const id = `${l.part}/${l.name}`;
    const p = layerPrecision[id] ? parsePrecision(layerPrecision[id]) : base;
    macs += l.macs;
    wb += l.macs * p.weightBits;
    ab += l.macs * p.actBits;
  }
  if (!macs) return { weightBits: base.weightBits, actBits: base.actBits, bits: (base.weightBits + base.actBits) / 2 };
  return { weightBits: wb / macs, actBits: ab / macs, bits: (wb + ab) / (2 * macs) };
}

/**
 * Plans in order of preference, most accurate first: by the default precision (it covers most MACs), then the
 * wider precision, then how many layers get it (sensitive ⊃ ends ⊃ none). Independent of the workload.
 */
export function byPreference(templates: PlanTemplate[]): PlanTemplate[] {
  const bits = (name?: string) => (name ? cost(parsePrecision(name)) : 0);
  const reach: Record<PlanShape, number> = { uniform: 0, ends: 1, sensitive: 2 };
  return [...templates].sort((a, b) => bits(b.base) - bits(a.base) || bits(b.high) - bits(a.high) || reach[b.shape] - reach[a.shape] || a.name.localeCompare(b.name));
}
