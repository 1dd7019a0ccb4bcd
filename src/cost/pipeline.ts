import type { PipelineLayer } from '../mapping/schema.js';
import type { Precision } from '../platform/precision.js';
import type { CostTables } from '../platform/tables.js';
import type { Lowered } from './lower.js';
import { macDsp, memoryFor, perMacLinear, postLaneDsp, type Bank, type Resources } from './resources.js';

const cdiv = (a: number, b: number) => Math.ceil(a / b);

/** Column strip width when a spilled stage reads its input back from DRAM. */
export const SPILL_STRIP = 64;

export interface StageCost {
  /** Cycles per frame of this stage at its parallelism (its initiation interval per frame). */
  cycles: number;
  /** Cycles for one position (serial decode loop). */
  cyclesPerPosition: number;
  fillCycles: number;
  /** Off-chip bytes per frame: streamed weights, spilled activations. */
  dramBytes: number;
  resources: Resources;
  banks: Bank[];
  executedMacs: number;
}

export function pipelineOptionsValid(lw: Lowered, c: PipelineLayer): string | undefined {
  if (c.pin > lw.N) return `pin ${c.pin} exceeds the layer's ${lw.N} input channels`;
  if (c.pout > lw.M) return `pout ${c.pout} exceeds the layer's ${lw.M} output channels`;
  if (c.pk > lw.taps) return `pk ${c.pk} exceeds the layer's ${lw.taps} kernel taps`;
  return undefined;
}

/** Line-buffer rows a sliding window of kh rows at stride S needs (one extra row to overlap fill and use). */
const lineRows = (lw: Lowered) => (lw.kh > 1 ? lw.kh + lw.S - 1 : 0);

/**
 * One pipeline stage (FINN MVAU / fpgaConvNet / DNNBuilder): ⌈N/pin⌉·⌈M/pout⌉·⌈taps/pk⌉ cycles per output
 * position and group. Weights on chip are partitioned into pin·pout·pk banks; streamed weights are fetched
 * once per `reuse` output positions. A spilled stage reads its input from DRAM in column strips.
 */
export function pipelineStageCost(
  lw: Lowered, c: PipelineLayer, p: Precision, family: string, tables: CostTables,
  opts: { weightsInUram: boolean; serialTaps?: number; depth: number },
): StageCost {
  const lanes = c.pin * c.pout * c.pk;
  const perPos = cdiv(lw.N, c.pin) * cdiv(lw.M, c.pout) * cdiv(lw.taps, c.pk);
  const positions = lw.R * lw.C;
  const cycles = lw.groups * perPos * positions;
  const serialPerPos = lw.groups * cdiv(lw.N, c.pin) * cdiv(lw.M, c.pout) * cdiv(opts.serialTaps ?? lw.taps, c.pk) + opts.depth;
  const aB = p.actBits / 8;
  const banks: Bank[] = [];
  let dramBytes = 0;
  const wTotal = lw.groups * lw.weightElems;
  if (!lw.secondIsActivation) {
    if (c.weights === 'onchip') {
      // FINN's weight memory: one bank per PE (pout·pk), SIMD (pin) weights per word.
      banks.push({ count: c.pout * c.pk, width: c.pin * p.weightBits, depth: cdiv(wTotal, lanes), uram: opts.weightsInUram });
    } else {
      dramBytes += wTotal * (p.weightBits / 8) * cdiv(positions, c.reuse);
      banks.push({ count: c.pout * c.pk, width: c.pin * p.weightBits, depth: 2 * cdiv(lw.taps, c.pk) * cdiv(lw.N, c.pin) });
      banks.push({ count: 1, width: c.pout * p.accBits, depth: c.reuse * cdiv(lw.M * lw.groups, c.pout) });
    }
  } else {
    // Attention: K or V of one row of windows stays on chip while the queries of that row stream by.
    banks.push({ count: 1, width: c.pin * p.actBits, depth: cdiv(lw.rowBufferElems ?? lw.weightElems, c.pin) });
  }
  const rows = lineRows(lw);
  if (rows > 0) {
    const width = c.spill ? Math.min(lw.inW, SPILL_STRIP + lw.kw - 1) : lw.inW;
    const elems = rows * width * lw.N * lw.groups;
    const nb = Math.min(c.pk, lw.kh);
    banks.push({ count: nb, width: c.pin * p.actBits, depth: cdiv(elems, nb * c.pin) });
  }
  if (c.spill) {
    const inElems = lw.inH * lw.inW * lw.N * lw.groups;
    const halo = lw.kw > 1 ? (SPILL_STRIP + lw.kw - 1) / SPILL_STRIP : 1;
    dramBytes += inElems * aB * (1 + halo);
  }
  const mem = memoryFor(tables, banks);
  const dsp = macDsp(tables, family, p, lanes, c.pout) + postLaneDsp(p, c.pout);
  const co = tables.coefficients;
  const lut = Math.round(lanes * perMacLinear(co.lut, p) + c.pout * co.lut.perOutputLane + mem.banks * co.lut.perBufferBank + co.lut.perPipelineStage) + mem.lutram;
  const ff = Math.round(lanes * perMacLinear(co.ff, p) + c.pout * co.ff.perOutputLane + mem.banks * co.ff.perBufferBank + co.ff.perPipelineStage);
  return {
    cycles,
    cyclesPerPosition: serialPerPos,
    fillCycles: rows > 0 ? Math.ceil((cycles / Math.max(1, lw.R)) * (lw.kh - 1)) + opts.depth : opts.depth,
    dramBytes,
    resources: { dsp, bram18: mem.bram18, uram: mem.uram, lut, ff },
    banks,
    executedMacs: lw.groups * lw.M * lw.N * positions * lw.taps,
  };
}
