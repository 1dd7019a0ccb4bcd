import { z } from 'zod';
import { UserError } from '../errors.js';
import type { Precision } from './precision.js';
import type { Baselines } from './baselines.js';

const src = z.string().min(3);

export const PackingEntrySchema = z.object({
  weightBits: z.number().int().positive(),
  actBits: z.number().int().positive(),
  kind: z.enum(['int', 'float16', 'float32']),
  macsPerDsp: z.number().positive().optional(),
  dspsPerMac: z.number().positive().optional(),
  source: src,
}).strict().refine((e) => (e.macsPerDsp === undefined) !== (e.dspsPerMac === undefined), { message: 'give exactly one of macsPerDsp and dspsPerMac' });

export const DspPackingSchema = z.object({
  schema: z.literal('lic-dse/dsp-packing@1'),
  families: z.record(z.string(), z.object({ multiplier: z.tuple([z.number(), z.number()]), entries: z.array(PackingEntrySchema).min(1) }).strict()),
}).strict();
export type DspPacking = z.infer<typeof DspPackingSchema>;
export type PackingEntry = z.infer<typeof PackingEntrySchema>;

const lin = z.object({
  base: z.number(), perAxiPortPer128Bits: z.number(),
  perMacInt: z.object({ perAccBit: z.number(), perOperandBit: z.number() }).strict(),
  perMacFloat32: z.number(), perMacFloat16: z.number(), perOutputLane: z.number(),
  perBufferBank: z.number(), perPipelineStage: z.number(), source: src,
}).strict();

export const CoefficientsSchema = z.object({
  schema: z.literal('lic-dse/cost-coefficients@1'),
  description: z.string().optional(),
  lut: lin,
  ff: lin,
  memory: z.object({
    lutramMaxBits: z.number().nonnegative(),
    bram18: z.array(z.object({ width: z.number().int().positive(), depth: z.number().int().positive() }).strict()).min(1),
    uram: z.object({ width: z.number().int().positive(), depth: z.number().int().positive() }).strict(),
    source: src,
  }).strict(),
  engine: z.object({ perTileCycles: z.number().nonnegative(), perLayerCycles: z.number().nonnegative(), source: src }).strict(),
}).strict();
export type Coefficients = z.infer<typeof CoefficientsSchema>;
export type LinearModel = Coefficients['lut'];

export type DspMapping = Readonly<{ dspPerMac: number; sharedOperand: boolean; source: string }>;

const KINDS = ['int', 'float16', 'float32'] as const;
const small = (bits: number) => Number.isInteger(bits) && bits >= 0 && bits < 4096;

/**
 * Each family's answers by operand kind and widths, owned by the family's entry of the packing table (a WeakMap:
 * they go with it) and bounded by the precisions asked about. A search asks for every option it costs, and the
 * answer depends on nothing else: found once, the same object is handed out again (callers only read it).
 */
const answers = new WeakMap<DspPacking['families'][string], Map<number, DspMapping>>();

/** DSPs per MAC lane for a precision on a DSP family: the first table entry wide enough for both operands. */
export function dspPerMac(packing: DspPacking, family: string, p: Precision): DspMapping {
  const fam = packing.families[family];
  if (!fam) throw new UserError(`no DSP packing for family ${family} (known: ${Object.keys(packing.families).join(', ')})`, { field: 'dspFamily' });
  const kind = p.kind === 'int' ? 'int' : p.weightBits <= 16 ? 'float16' : 'float32';
  let byKey = answers.get(fam);
  if (!byKey) answers.set(fam, (byKey = new Map()));
  // Operand widths are small integers (the precision schema's, up to 32 bits), so one number names the question.
  const key = small(p.weightBits) && small(p.actBits) ? (KINDS.indexOf(kind) * 4096 + p.weightBits) * 4096 + p.actBits : -1;
  const known = byKey.get(key);
  if (known) return known;
  let best: PackingEntry | undefined;
  let bestCost = Infinity;
  for (const e of fam.entries) {
    if (e.kind !== kind || !((p.weightBits <= e.weightBits && p.actBits <= e.actBits) || (kind === 'int' && p.weightBits <= e.actBits && p.actBits <= e.weightBits))) continue;
    const cost = e.dspsPerMac ?? 1 / e.macsPerDsp!;
    // The first of the cheapest (as a reduce keeping the earlier on ties).
    if (!best || cost < bestCost) {
      best = e;
      bestCost = cost;
    }
  }
  if (!best) throw new UserError(`${family} has no DSP mapping for ${p.name} (operands ${p.weightBits}×${p.actBits} bits)`, { field: 'precision' });
  const answer: DspMapping = { dspPerMac: bestCost, sharedOperand: (best.macsPerDsp ?? 1) > 1, source: best.source };
  if (key >= 0) byKey.set(key, answer);
  return answer;
}

/** BRAM18 blocks for one bank of `width` bits × `depth` words: the cheapest aspect ratio (UG573). */
export function bram18ForBank(c: Coefficients, width: number, depth: number): number {
  if (width * depth <= c.memory.lutramMaxBits) return 0;
  let best = Infinity;
  for (const a of c.memory.bram18) best = Math.min(best, Math.ceil(width / a.width) * Math.ceil(depth / a.depth));
  return best;
}

export function uramForBank(c: Coefficients, width: number, depth: number): number {
  if (width * depth <= c.memory.lutramMaxBits) return 0;
  return Math.ceil(width / c.memory.uram.width) * Math.ceil(depth / c.memory.uram.depth);
}

/** LUTs used as LUTRAM for a bank too small for a BRAM (64×1 per LUT6). */
export function lutramForBank(c: Coefficients, width: number, depth: number): number {
  return width * depth <= c.memory.lutramMaxBits ? width * Math.ceil(depth / 64) : 0;
}

export interface CostTables {
  packing: DspPacking;
  coefficients: Coefficients;
  /** The Vitis AI DPU and GPU baselines (platforms/baselines/); needed by the dpu and gpu targets only. */
  baselines?: Baselines;
}
