import type { AxiParams } from '../arch/axi.js';
import { bankSpan, grid, readStride, layerSchedule, layerScheduler, scheduleEnds, tileDepths, weightDepth, windowSpan, type EngineArch, type EngineGeom } from '../arch/engine.js';
import type { EngineLayer, EngineSpec } from '../mapping/schema.js';
import type { Precision } from '../platform/precision.js';
import type { Bound } from './types.js';

export interface EngineContext {
  spec: EngineSpec;
  arch: EngineArch;
  axi: AxiParams;
  /** Off-chip bytes per cycle the board sustains at the design clock. */
  dramBytesPerCycle: number;
}

export interface EngineLayerCost {
  cycles: number;
  computeCycles: number;
  memoryCycles: number;
  overheadCycles: number;
  offchipBytes: number;
  executedMacs: number;
  bound: Bound;
  /** Words needed per bank of the input, weight and output buffers for this tiling. */
  need: { inDepth: number; wDepth: number; outDepth: number };
}

/** Depth of the adder tree behind a pif-wide dot product plus the DSP's own registers (or fp32 adder latency). */
export function macPipelineDepth(pif: number, p: Precision): number {
  const tree = Math.ceil(Math.log2(Math.max(1, pif)));
  if (p.kind === 'float') return (p.weightBits > 16 ? 11 : 7) * Math.max(1, tree) + (p.weightBits > 16 ? 4 : 3);
  return 4 + tree;
}

const clampTile = (g: EngineGeom, t: EngineLayer, gr: { gr: number; gc: number }) => ({
  tn: Math.min(t.tn, g.N), tm: Math.min(t.tm, g.M), tr: Math.min(t.tr, gr.gr), tc: Math.min(t.tc, gr.gc),
});

/**
 * Cycles of one layer on the shared MAC array: the engine's schedule (src/arch/engine.ts), whose steps overlap
 * the compute of an input tile with the loads of the next and the store of the previous output tile
 * (Zhang et al. FPGA'15 §4 with ping-pong buffers), each transfer costed at beat and burst level.
 * The bound is the largest part of the layer's time (scheduleBound).
 */
export function engineLayerCost(g: EngineGeom, gridSize: { gr: number; gc: number }, t: EngineLayer, ctx: EngineContext, usefulMacs: number): EngineLayerCost {
  const tile = clampTile(g, t, gridSize);
  const s = layerSchedule(ctx.arch, g, ctx.axi, ctx.dramBytesPerCycle, tile);
  const d = tileDepths(ctx.arch, g, tile);
  const bound = scheduleBound(s, ctx.dramBytesPerCycle);
  return {
    cycles: Math.ceil(s.cycles),
    computeCycles: s.computeCycles,
    memoryCycles: s.memoryCycles,
    overheadCycles: s.overheadCycles,
    offchipBytes: s.dramBytes,
    executedMacs: usefulMacs,
    bound,
    need: { inDepth: d.inDepth, wDepth: d.wDepth, outDepth: d.outDepth },
  };
}

/**
 * engineLayerCost's cycles alone, for a search over the row and column tiles of one channel tiling; or, when a
 * floor under them already reaches `cap`, that floor negated (the tile cannot be the one chosen). Allocates nothing.
 */
export function engineLayerCycler(g: EngineGeom, gridSize: { gr: number; gc: number }, ctx: EngineContext, tn: number, tm: number): (tr: number, tc: number, cap?: number) => number {
  const c = clampTile(g, { tn, tm, tr: 1, tc: 1 }, gridSize);
  const sched = layerScheduler(ctx.arch, g, ctx.axi, ctx.dramBytesPerCycle, c.tn, c.tm).cycles;
  return (tr, tc, cap = Infinity) => {
    const s = sched(Math.min(tr, gridSize.gr), Math.min(tc, gridSize.gc), cap);
    return s < 0 ? s : Math.ceil(s);
  };
}

/**
 * The prologue and epilogue of engineLayerCycler's schedule for a tile (scheduleEnds): the search adds them to
 * its floor of the compute steps.
 */
export function engineLayerEnds(g: EngineGeom, gridSize: { gr: number; gc: number }, ctx: EngineContext, tn: number, tm: number): (tr: number, tc: number) => number {
  const c = clampTile(g, { tn, tm, tr: 1, tc: 1 }, gridSize);
  const ends = scheduleEnds(ctx.arch, g, ctx.axi, ctx.dramBytesPerCycle, c.tn, c.tm);
  return (tr, tc) => ends(Math.min(tr, gridSize.gr), Math.min(tc, gridSize.gc));
}

/**
 * What a layer's time goes to, from its schedule: the MAC loop (compute), control and pipeline fills (overhead),
 * and the stretch its transfers add. The stretch is 'memory' only as far as DRAM bandwidth explains it (the
 * layer's DRAM time beyond its MAC loop: the roofline's slope); the rest (transaction round trips, short bursts,
 * a port's beat rate, loads and stores with no compute to hide behind) is 'latency'. A layer right of the
 * roofline's ridge has DRAM time ≤ ideal MAC time ≤ MAC trips, so it is never 'memory'. Ties: the earlier of
 * compute, memory, latency, overhead.
 */
export function scheduleBound(s: { computeCycles: number; overheadCycles: number; memoryCycles: number; dramBytes: number }, dramBytesPerCycle: number): Bound {
  const mem = Math.min(s.memoryCycles, Math.max(0, s.dramBytes / dramBytesPerCycle - s.computeCycles));
  const parts: [Bound, number][] = [['compute', s.computeCycles], ['memory', mem], ['latency', s.memoryCycles - mem], ['overhead', s.overheadCycles]];
  let best = parts[0];
  for (const p of parts) if (p[1] > best[1]) best = p;
  return best[0];
}

/** Does a tiling fit the engine's buffers? */
export function tileFits(g: EngineGeom, gridSize: { gr: number; gc: number }, arch: EngineArch, spec: EngineSpec, t: EngineLayer): boolean {
  if (t.tn > spec.tif || t.tm > spec.tof) return false;
  const n = tileDepths(arch, g, clampTile(g, t, gridSize));
  return n.inDepth <= spec.inBufDepth && n.wDepth <= spec.wBufDepth && n.outDepth <= spec.outBufDepth;
}

/**
 * The widest column tile (≤ the grid's columns) that fits the buffers with the channel tiles tn, tm and row tile
 * tr, or 0: tileFits' largest yes, in closed form. The input window's span grows by a fixed step per column
 * (stride for a conv, 1 for the other forms) and the depths are ⌈·⌉ of it and of tc, so each buffer's bound
 * on tc is a quotient. test/cost/engine-widest.test.ts holds it to tileFits' answers.
 */
export function widestTc(g: EngineGeom, gridSize: { gr: number; gc: number }, arch: EngineArch, spec: EngineSpec, tn: number, tm: number, tr: number): number {
  if (tn > spec.tif || tm > spec.tof) return 0;
  // tileDepths' terms for the clamped tile, one by one (the search asks per row tile: no objects).
  if (weightDepth(arch, g, Math.min(tn, g.N), Math.min(tm, g.M)) > spec.wBufDepth) return 0;
  // The read stride sx is also the window's growth per column: span(tc) = sx·tc + b, b read back from one column.
  const sx = readStride(g, 'x');
  const b = windowSpan(g, 'x', 1) - sx;
  const words = Math.ceil(tn / arch.pif) * bankSpan(arch, g, 'y', Math.min(tr, gridSize.gr));
  // inDepth = words · sx·⌈span/(sx·pox)⌉ ≤ inBufDepth  ⟺  span ≤ ⌊⌊inBufDepth/words⌋/sx⌋·sx·pox.
  const q = Math.floor(Math.floor(spec.inBufDepth / words) / sx);
  const byIn = Math.floor((q * sx * arch.pox - b) / sx);
  // outDepth = per · ⌈tc/pox⌉ ≤ outBufDepth  ⟺  tc ≤ ⌊outBufDepth/per⌋·pox.
  const per = Math.ceil(tm / arch.pof) * Math.ceil(Math.min(tr, gridSize.gr) / arch.poy) * grid(g).opp;
  const byOut = Math.floor(spec.outBufDepth / per) * arch.pox;
  return Math.max(0, Math.min(gridSize.gc, byIn, byOut));
}
