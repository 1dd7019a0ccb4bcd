import type { Precision } from '../platform/precision.js';
import { dspPerMac, type CostTables } from '../platform/tables.js';
import { MemoryTally, zeroResources, type Resources } from './resources.js';

/**
 * The hardware a GDN variant adds around its C×C product (DESIGN.md §3), as the emitted kernels build it
 * (hls-templates/common/lic_quant.h, mirrored bit for bit by src/emit/quant.ts gdnApply):
 *  - the operand of the product: x² (GDN, IGDN) needs a multiplier per input lane; |x| (the simplified forms,
 *    Johnston et al. 2019) is a negate-and-select in LUTs;
 *  - the scale: GDN looks up RSQRT[m] and IGDN SQRT[m] (384 words each, m ∈ [128, 512), after normalising the
 *    norm to a mantissa and an even exponent); simplified GDN looks up RECIP[m] (256 words, m ∈ [256, 512),
 *    any exponent); simplified IGDN multiplies by the norm itself — no table, no normalisation.
 * The final multiply by x is the per-lane requantisation multiplier every template already counts (postLaneDsp).
 * ReLU replacing a GDN is an element-wise op fused into its producer: no C×C product at all.
 * Table shapes are checked against gdnTables() by test/cost/norm.test.ts.
 */
export type NormKind = 'gdn' | 'igdn' | 'gdn_simplified' | 'igdn_simplified';
export const NORM_KINDS = new Set<string>(['gdn', 'igdn', 'gdn_simplified', 'igdn_simplified']);

/** Table of each kind: words and bits per word (⌊2^15/√128⌋ = 2896: 12 bits; ⌊256·√511⌋ = 5786: 13; 2^23/256 = 32768: 16). */
export const NORM_TABLES: Record<NormKind, { depth: number; width: number } | null> = {
  gdn: { depth: 384, width: 12 },
  igdn: { depth: 384, width: 13 },
  gdn_simplified: { depth: 256, width: 16 },
  igdn_simplified: null,
};

/**
 * Resources of the normalisation units of a set of GDN kinds on `inLanes` input and `outLanes` output lanes.
 * A ROM serves two lanes (dual-port block RAM, UG573); normalising a norm of accBits bits to its mantissa is a
 * leading-one detector and a barrel shifter: accBits·⌈log2 accBits⌉ LUTs and accBits FFs per lane (a shifter
 * of w bits over log2 w stages of 2:1 muxes, one LUT6 each per bit: UG574 CLB multiplexers).
 */
export function normResources(kinds: Iterable<string>, inLanes: number, outLanes: number, p: Precision, family: string, tables: CostTables): Resources {
  const r = zeroResources();
  // The distinct GDN kinds in first-seen order (plain loops: a search asks this for every option of a GDN stage).
  const ks: NormKind[] = [];
  for (const k of kinds) if (NORM_KINDS.has(k) && !ks.includes(k as NormKind)) ks.push(k as NormKind);
  if (!ks.length) return r;
  let squares = false;
  let abs = false;
  for (const k of ks) {
    if (k === 'gdn' || k === 'igdn') squares = true;
    else abs = true;
  }
  // A square's two operands are the same activation: no INT8 packing of two products (that needs a shared
  // operand across two different products, WP486), so at least one DSP per squarer.
  if (squares) r.dsp += Math.ceil(inLanes * Math.max(1, dspPerMac(tables.packing, family, p).dspPerMac));
  if (abs) r.lut += inLanes * p.actBits;
  const shifter = p.accBits * Math.ceil(Math.log2(p.accBits));
  // The scale tables, one bank per pair of lanes, mapped bank by bank as memoryFor does.
  const mem = new MemoryTally(tables);
  for (const k of ks) {
    const t = NORM_TABLES[k];
    if (!t) continue;
    mem.add(Math.ceil(outLanes / 2), t.width, t.depth);
    r.lut += outLanes * shifter;
    r.ff += outLanes * p.accBits;
  }
  r.bram18 += mem.bram18;
  r.uram += mem.uram;
  r.lut += mem.lutram;
  return r;
}

/** The GDN kinds among the MAC layers of a path. */
export const normKinds = (plan: { kind: string; layer: { op: string } }[]): string[] =>
  [...new Set(plan.filter((x) => x.kind === 'mac' && NORM_KINDS.has(x.layer.op)).map((x) => x.layer.op))].sort();
