import { evaluate } from '../cost/evaluate.js';
import type { Estimate } from '../cost/types.js';
import type { Point } from '../mapping/schema.js';
import type { Platform } from '../platform/schema.js';
import type { CostTables, LinearModel } from '../platform/tables.js';
import type { Workload } from '../workload/types.js';

/** The coefficients of a LUT/FF linear model, in a fixed order (perMacInt split into its two terms). */
export const COEFFICIENTS = [
  'base', 'perAxiPortPer128Bits', 'perMacInt.perAccBit', 'perMacInt.perOperandBit',
  'perMacFloat32', 'perMacFloat16', 'perOutputLane', 'perBufferBank', 'perPipelineStage',
] as const;
export type CoefficientName = (typeof COEFFICIENTS)[number];

export function toVector(m: LinearModel): number[] {
  return COEFFICIENTS.map((k) => (k === 'perMacInt.perAccBit' ? m.perMacInt.perAccBit : k === 'perMacInt.perOperandBit' ? m.perMacInt.perOperandBit : (m[k] as number)));
}

export function fromVector(v: number[], source: string): LinearModel {
  const at = (k: CoefficientName) => v[COEFFICIENTS.indexOf(k)];
  return {
    base: at('base'), perAxiPortPer128Bits: at('perAxiPortPer128Bits'),
    perMacInt: { perAccBit: at('perMacInt.perAccBit'), perOperandBit: at('perMacInt.perOperandBit') },
    perMacFloat32: at('perMacFloat32'), perMacFloat16: at('perMacFloat16'), perOutputLane: at('perOutputLane'),
    perBufferBank: at('perBufferBank'), perPipelineStage: at('perPipelineStage'), source,
  };
}

export function withLinearModels(t: CostTables, lut: LinearModel, ff: LinearModel): CostTables {
  return { ...t, coefficients: { ...t.coefficients, lut, ff } };
}

/** A large unit so the cost model's integer rounding does not blur the counts read back. */
const UNIT = 1e6;

export interface DesignFeatures {
  /** What each coefficient multiplies in this design (MAC lanes × bits, ports, banks, stages...). */
  counts: number[];
  /** The part of the LUT estimate outside the linear model (LUTRAM for small banks); FF has none. */
  lutOffset: number;
  ffOffset: number;
}

/**
 * The counts each LUT/FF coefficient multiplies in a design point, read from the cost model itself: it is
 * linear in the coefficients, so evaluating with one coefficient set to a unit and the rest to zero returns
 * that coefficient's count. No second formula for the resources (BRIEF: one description).
 */
export function designFeatures(w: Workload, platform: Platform, point: Point, tables: CostTables): DesignFeatures {
  const zero = fromVector(COEFFICIENTS.map(() => 0), 'zero');
  const at = (lut: LinearModel, ff: LinearModel): Estimate => evaluate(w, platform, point, withLinearModels(tables, lut, ff));
  const e0 = at(zero, zero);
  const counts = COEFFICIENTS.map((_, j) => {
    const unit = fromVector(COEFFICIENTS.map((__, k) => (k === j ? UNIT : 0)), 'unit');
    return Math.round(((at(unit, zero).resources.lut.used - e0.resources.lut.used) / UNIT) * 1e3) / 1e3;
  });
  return { counts, lutOffset: e0.resources.lut.used, ffOffset: e0.resources.ff.used };
}
