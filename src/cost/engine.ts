import type { EngineLayer, EngineSpec } from '../mapping/schema.js';
import type { Precision } from '../platform/precision.js';
import type { Lowered } from './lower.js';

const cdiv = (a: number, b: number) => Math.ceil(a / b);

export interface EngineContext {
  spec: EngineSpec;
  /** Off-chip bytes per cycle the board sustains at the design clock. */
  dramBytesPerCycle: number;
  perTileCycles: number;
  perLayerCycles: number;
  /** Depth of the MAC pipeline, paid each time the II=1 compute loop is entered. */
  pipelineDepth: number;
}

export interface EngineLayerCost {
  cycles: number;
  computeCycles: number;
  memoryCycles: number;
  overheadCycles: number;
  offchipBytes: number;
  executedMacs: number;
  bound: 'compute' | 'memory' | 'overhead';
  /** Words needed per bank of the input, weight and output buffers for this tiling. */
  need: { inDepth: number; wDepth: number; outDepth: number };
}

/** Depth of the adder tree behind a pif-wide dot product plus the DSP's own registers (or fp32 adder latency). */
export function macPipelineDepth(pif: number, p: Precision): number {
  const tree = Math.ceil(Math.log2(Math.max(1, pif)));
  if (p.kind === 'float') return (p.weightBits > 16 ? 11 : 7) * Math.max(1, tree) + (p.weightBits > 16 ? 4 : 3);
  return 4 + tree;
}

/** Buffer words per bank a tiling needs (input: pif banks; weights: pif·pof; output: pof·poy·pox). */
export function tileNeeds(lw: Lowered, spec: EngineSpec, t: EngineLayer) {
  const inTileH = Math.min(lw.inH, (t.tr - 1) * lw.S + lw.kh);
  const inTileW = Math.min(lw.inW, (t.tc - 1) * lw.S + lw.kw);
  return {
    inTileH,
    inTileW,
    inDepth: cdiv(t.tn, spec.pif) * cdiv(inTileH * inTileW, spec.poy * spec.pox),
    wDepth: lw.secondIsActivation ? cdiv(t.tr * t.tc, spec.poy * spec.pox) * cdiv(lw.secondDim === 'N' ? t.tn : t.tm, 1) : cdiv(t.tn, spec.pif) * cdiv(t.tm, spec.pof) * lw.taps,
    outDepth: cdiv(t.tm, spec.pof) * cdiv(t.tr * t.tc * lw.outPerPosition, 1),
  };
}

/**
 * Cycles of one layer on the shared MAC array (Zhang et al. FPGA'15 §4, with ping-pong buffers):
 * for every output tile, the ⌈N/tn⌉ input tiles each take max(compute, load) because the next tile loads while
 * the current one computes; the output store overlaps the next output tile; DRAM bandwidth caps the traffic of
 * the whole output tile. The first load and the last store are exposed, and each layer pays a fixed overhead.
 */
export function engineLayerCost(lw: Lowered, t: EngineLayer, p: Precision, ctx: EngineContext): EngineLayerCost {
  const { spec } = ctx;
  const tn = Math.min(t.tn, lw.N);
  const tm = Math.min(t.tm, lw.M);
  const tr = Math.min(t.tr, lw.R);
  const tc = Math.min(t.tc, lw.C);
  const tile = { ...t, tn, tm, tr, tc };
  const nm = cdiv(lw.M, tm);
  const nn = cdiv(lw.N, tn);
  const nr = cdiv(lw.R, tr);
  const nc = cdiv(lw.C, tc);
  const outTiles = lw.groups * nm * nr * nc;
  const needs = tileNeeds(lw, spec, tile);

  // Compute: the unroll covers pif input channels × pof output channels × poy×pox output pixels per cycle.
  const comp = cdiv(tn, spec.pif) * cdiv(tm, spec.pof) * cdiv(tr, spec.poy) * cdiv(tc, spec.pox) * lw.taps;
  const compEff = comp + ctx.pipelineDepth + ctx.perTileCycles;

  const aB = p.actBits / 8;
  const wB = (lw.secondIsActivation ? p.actBits : p.weightBits) / 8;
  const inBytes = tn * needs.inTileH * needs.inTileW * lw.inputReads * aB;
  const wElems = lw.secondIsActivation ? tr * tc * (lw.secondDim === 'N' ? tn : tm) : tm * tn * lw.taps;
  const wBytes = wElems * wB;
  const outBytes = tm * tr * tc * lw.outPerPosition * aB;
  const portB = spec.ports.widthBits / 8;
  const ld = Math.max(cdiv(inBytes, spec.ports.read * portB), cdiv(wBytes, spec.ports.weight * portB));
  const st = cdiv(outBytes, spec.ports.write * portB);
  const dram = (nn * (inBytes + wBytes) + outBytes) / ctx.dramBytesPerCycle;

  const inner = nn * Math.max(compEff, ld);
  const perOutTile = Math.max(inner, st, dram);
  const exposed = ld + st + ctx.perLayerCycles;
  const cycles = Math.ceil(outTiles * perOutTile + exposed);

  const computeCycles = outTiles * nn * comp;
  const overheadCycles = outTiles * nn * (ctx.pipelineDepth + ctx.perTileCycles) + ctx.perLayerCycles;
  const memoryCycles = outTiles * Math.max(nn * ld, st, dram) + ld + st;
  const bound = memoryCycles > computeCycles + overheadCycles ? 'memory' : overheadCycles > computeCycles ? 'overhead' : 'compute';
  return {
    cycles,
    computeCycles,
    memoryCycles,
    overheadCycles,
    offchipBytes: outTiles * (nn * (inBytes + wBytes) + outBytes),
    executedMacs: lw.groups * lw.M * lw.N * lw.R * lw.C * lw.taps,
    bound,
    need: { inDepth: needs.inDepth, wDepth: needs.wDepth, outDepth: needs.outDepth },
  };
}

/** Does a tiling fit the engine's buffers? */
export function tileFits(lw: Lowered, spec: EngineSpec, t: EngineLayer): boolean {
  if (t.tn > spec.tif || t.tm > spec.tof) return false;
  const n = tileNeeds(lw, spec, { ...t, tn: Math.min(t.tn, lw.N), tm: Math.min(t.tm, lw.M), tr: Math.min(t.tr, lw.R), tc: Math.min(t.tc, lw.C) });
  return n.inDepth <= spec.inBufDepth && n.wDepth <= spec.wBufDepth && n.outDepth <= spec.outBufDepth;
}
