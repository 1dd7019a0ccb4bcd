import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { loadCostTables } from '../../src/platform/load.js';
import { bram18ForBank, uramForBank } from '../../src/platform/tables.js';

export interface PerfJson {
  layers: { id: string; estimateCycles: number; countedCycles: number }[];
  totalEstimate: number;
  totalCounted: number;
  /** Pipeline projects: the slowest stage, estimated and counted (the frame interval). */
  frameEstimate?: number;
  frameCounted?: number;
  /** Pipeline projects: the dataflow replay's frame interval with the declared FIFO depths, and with unbounded FIFOs. */
  frameReplayed?: number;
  frameDecoupled?: number;
  replay?: { frames: number; firstFrameCycles?: number; deadlock?: string };
  processes?: { name: string; cycles: number }[];
  fifos?: { name: string; depth: number; words: number; maxOccupancy: number; writerStallCycles: number }[];
  buffers: { name: string; banks: number; widthBits: number; depth: number; impl: string }[];
  multipliers: Record<string, number>;
}

/**
 * perf.json of a project against its tiling.json: every layer's counted cycles within `tol` of the estimate;
 * the buffers the code declares, mapped through the BRAM18/URAM aspect table, and its multipliers equal the
 * estimate's BRAM18, URAM and DSP exactly.
 */
export function checkPerf(dir: string, tol: number, opts: { resources?: boolean } = {}): PerfJson {
  const perf = JSON.parse(readFileSync(path.join(dir, 'perf.json'), 'utf8')) as PerfJson;
  const tiling = JSON.parse(readFileSync(path.join(dir, 'tiling.json'), 'utf8'));
  const est = new Map<string, number>((tiling.estimate.layers as { id: string; cycles: number }[]).map((l) => [l.id, l.cycles]));
  expect(perf.layers.length).toBe(tiling.layers.length);
  for (const l of perf.layers) {
    expect(l.estimateCycles, l.id).toBe(est.get(l.id));
    const err = Math.abs(l.countedCycles - l.estimateCycles) / l.estimateCycles;
    expect(err, `${l.id}: counted ${l.countedCycles} vs estimated ${l.estimateCycles}`).toBeLessThanOrEqual(tol);
  }
  if (opts.resources !== false) {
    const c = loadCostTables().coefficients;
    let bram18 = 0;
    let uram = 0;
    for (const b of perf.buffers) {
      if (b.impl === 'uram') uram += b.banks * uramForBank(c, b.widthBits, b.depth);
      else if (b.impl === 'bram') bram18 += b.banks * bram18ForBank(c, b.widthBits, b.depth);
    }
    expect(bram18).toBe(tiling.estimate.resources.bram18.used);
    expect(uram).toBe(tiling.estimate.resources.uram.used);
    const dsp = Object.values(perf.multipliers).reduce((s, n) => s + n, 0);
    expect(dsp).toBe(tiling.estimate.resources.dsp.used);
  }
  return perf;
}

/**
 * perf.json of a pipeline project (layers = MAC stages) against its tiling.json: every stage's counted cycles
 * within `tol` of its estimate row; the memories (BRAM18 through the aspect table) and multipliers the stage's code
 * declares equal that row's BRAM18 and DSP. Returns the frame interval, counted and estimated (the slowest stage).
 */
export function checkPipelinePerf(dir: string, tol: number, opts: { known?: Record<string, number>; replay?: { declared?: number; decoupled?: number } } = {}): { counted: number; estimated: number; replayed: number; perf: PerfJson } {
  const perf = JSON.parse(readFileSync(path.join(dir, 'perf.json'), 'utf8')) as PerfJson;
  const tiling = JSON.parse(readFileSync(path.join(dir, 'tiling.json'), 'utf8'));
  const rows = new Map<string, { cycles: number; dsp: number; bram18: number }>((tiling.estimate.layers as { id: string; cycles: number; dsp: number; bram18: number }[]).map((l) => [l.id, l]));
  const c = loadCostTables().coefficients;
  expect(perf.layers.length).toBeGreaterThan(0);
  let counted = 0;
  let estimated = 0;
  for (const l of perf.layers) {
    const row = rows.get(l.id);
    expect(row, l.id).toBeDefined();
    expect(l.estimateCycles, l.id).toBe(row!.cycles);
    const err = Math.abs(l.countedCycles - l.estimateCycles) / l.estimateCycles;
    expect(err, `${l.id}: counted ${l.countedCycles} vs estimated ${l.estimateCycles}`).toBeLessThanOrEqual(opts.known?.[l.id] ?? tol);
    counted = Math.max(counted, l.countedCycles);
    estimated = Math.max(estimated, l.estimateCycles);
    const mine = (name: string) => name.startsWith(`${l.id}/`);
    let bram18 = 0;
    for (const b of perf.buffers.filter((x) => mine(x.name) && x.impl === 'bram')) bram18 += b.banks * bram18ForBank(c, b.widthBits, b.depth);
    expect(bram18, `${l.id}: BRAM18 the code declares`).toBe(row!.bram18);
    const dsp = Object.entries(perf.multipliers).filter(([k]) => mine(k)).reduce((s, [, n]) => s + n, 0);
    expect(dsp, `${l.id}: DSPs the code declares`).toBe(row!.dsp);
  }
  expect(perf.frameEstimate).toBe(estimated);
  expect(perf.frameCounted).toBe(counted);
  // The dataflow replay (lic_perf.h): no deadlock; no FIFO above its declared depth; the interval at least the busiest
  // process's own cycles. Unbounded FIFOs test the estimate's composition (the frame is its slowest stage); the
  // declared depths add the stalls of FIFOs too shallow to decouple the stages.
  expect(perf.replay?.deadlock, 'dataflow replay').toBeUndefined();
  expect(perf.fifos!.length).toBeGreaterThan(0);
  for (const f of perf.fifos!) {
    expect(f.maxOccupancy, f.name).toBeLessThanOrEqual(f.depth);
    expect(f.words, f.name).toBeGreaterThan(0);
  }
  const busiest = Math.max(...perf.processes!.map((p) => p.cycles));
  const replayed = perf.frameReplayed!;
  expect(perf.frameDecoupled!).toBeGreaterThanOrEqual(busiest);
  expect(replayed).toBeGreaterThanOrEqual(perf.frameDecoupled!);
  const dec = (perf.frameDecoupled! - estimated) / estimated;
  expect(Math.abs(dec), `unbounded FIFOs: replayed ${perf.frameDecoupled} vs estimated frame ${estimated}`).toBeLessThanOrEqual(opts.replay?.decoupled ?? tol);
  const err = (replayed - estimated) / estimated;
  expect(Math.abs(err), `declared FIFO depths: replayed ${replayed} vs estimated frame ${estimated}`).toBeLessThanOrEqual(opts.replay?.declared ?? tol);
  return { counted, estimated, replayed, perf };
}
