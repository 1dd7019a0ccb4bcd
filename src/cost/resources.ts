import { engineBuffers, engineMultipliers, layoutLanes } from '../arch/engine.js';
import type { EngineSpec } from '../mapping/schema.js';
import type { Precision } from '../platform/precision.js';
import type { ResourceKind } from '../platform/schema.js';
import { bram18ForBank, dspPerMac, lutramForBank, uramForBank, type CostTables, type LinearModel } from '../platform/tables.js';

export type Resources = Record<ResourceKind, number>;
export const zeroResources = (): Resources => ({ dsp: 0, bram18: 0, uram: 0, lut: 0, ff: 0 });
export const addResources = (a: Resources, b: Resources): Resources => ({
  dsp: a.dsp + b.dsp, bram18: a.bram18 + b.bram18, uram: a.uram + b.uram, lut: a.lut + b.lut, ff: a.ff + b.ff,
});

/**
 * DSPs for a block of MAC lanes: `shared` lanes share one operand (the activation broadcast to output
 * channels), which is what DSP48E2 INT8 packing needs (WP486); otherwise each lane pays its own DSP cost.
 */
export function macDsp(tables: CostTables, family: string, p: Precision, lanes: number, sharedLanes: number): number {
  const d = dspPerMac(tables.packing, family, p);
  if (d.dspPerMac < 1 && d.sharedOperand) {
    const perDsp = Math.round(1 / d.dspPerMac);
    return (lanes / sharedLanes) * Math.ceil(sharedLanes / perDsp);
  }
  return Math.ceil(lanes * d.dspPerMac);
}

/** One multiplier per output lane for integer requantisation / GDN scaling. */
export const postLaneDsp = (p: Precision, lanes: number) => (p.kind === 'int' ? lanes : 0);

export function perMacLinear(m: LinearModel, p: Precision): number {
  if (p.kind === 'float') return p.weightBits > 16 ? m.perMacFloat32 : m.perMacFloat16;
  return m.perMacInt.perAccBit * p.accBits + m.perMacInt.perOperandBit * (p.weightBits + p.actBits);
}

export interface Bank {
  count: number;
  width: number;
  depth: number;
  uram?: boolean;
}

/** BRAM18 / URAM / LUTRAM summed bank by bank (each bank maps separately: array partitioning). */
export class MemoryTally {
  bram18 = 0;
  uram = 0;
  lutram = 0;
  banks = 0;
  constructor(private readonly tables: CostTables) {}

  add(count: number, width: number, depth: number, inUram?: boolean | null): void {
    if (count <= 0 || depth <= 0) return;
    const c = this.tables.coefficients;
    this.banks += count;
    if (inUram) this.uram += count * uramForBank(c, width, depth);
    else this.bram18 += count * bram18ForBank(c, width, depth);
    this.lutram += count * lutramForBank(c, width, depth);
  }
}

/** BRAM18 / URAM / LUTRAM for a set of banks. */
export function memoryFor(tables: CostTables, banks: Bank[]): { bram18: number; uram: number; lutram: number; banks: number } {
  const t = new MemoryTally(tables);
  for (const b of banks) t.add(b.count, b.width, b.depth, b.uram);
  return { bram18: t.bram18, uram: t.uram, lutram: t.lutram, banks: t.banks };
}

/** The engine's resources, from its description (src/arch/engine.ts): MAC array and store multipliers, ping-pong buffers, AXI ports. */
export function engineResources(spec: EngineSpec, p: Precision, family: string, tables: CostTables): Resources & { multipliers: ReturnType<typeof engineMultipliers> } {
  return engineResourcesWith(spec, p, dspPerMac(tables.packing, family, p), tables);
}

/** engineResources with the DSP packing of the family and precision looked up once (the search asks per design). */
export function engineResourcesWith(spec: EngineSpec, p: Precision, d: ReturnType<typeof dspPerMac>, tables: CostTables): Resources & { multipliers: ReturnType<typeof engineMultipliers> } {
  const lanes = spec.pif * spec.pof * spec.poy * spec.pox;
  const outLanes = spec.pof * spec.poy * spec.pox;
  const mult = engineMultipliers(spec, layoutLanes(spec, p), d.dspPerMac, d.dspPerMac < 1 && d.sharedOperand, p.kind === 'int');
  const dsp = mult.mac + mult.post;
  // memoryFor's sums, bank by bank, without a bank list (the registers hold no memory).
  const mem = new MemoryTally(tables);
  for (const b of engineBuffers(spec, p)) if (b.impl !== 'reg') mem.add(b.count, b.width, b.depth, b.impl === 'uram');
  const ports = 4 * (spec.ports.widthBits / 128);
  const lin = (m: LinearModel) => Math.round(m.base + ports * m.perAxiPortPer128Bits + lanes * perMacLinear(m, p) + outLanes * m.perOutputLane + mem.banks * m.perBufferBank);
  const c = tables.coefficients;
  return { dsp, bram18: mem.bram18, uram: mem.uram, lut: lin(c.lut) + mem.lutram, ff: lin(c.ff), multipliers: mult };
}
