import { UserError } from '../errors.js';
import type { Point } from '../mapping/schema.js';
import { parsePrecision, type Precision } from '../platform/precision.js';
import type { ResourceKind } from '../platform/schema.js';
import type { Workload, WorkloadLayer } from '../workload/types.js';
import { pathLayers } from '../workload/shapes.js';
import { CPU_OPS, lower, type DeconvLowering, type Lowered } from './lower.js';
import type { Resources } from './resources.js';
import type { Bound, LayerEstimate } from './types.js';

/** FINN's default utilisation caps: DSP/BRAM/URAM 0.8, LUT 0.7, FF 0.5. */
export const DEFAULT_CAPS: Record<ResourceKind, number> = { dsp: 0.8, bram18: 0.8, uram: 0.8, lut: 0.7, ff: 0.5 };

export const layerId = (l: { part: string; name: string }) => `${l.part}/${l.name}`;

export interface PathLayer {
  id: string;
  layer: WorkloadLayer;
  precision: Precision;
  lowered?: Lowered;
  /** Runs once per latent position, serially, at decode (Minnen 2018's context model). */
  serial: boolean;
  kind: 'mac' | 'fused' | 'cpu';
}

/** The layers a path runs, each with its precision, lowering and role; validates per-layer precisions. */
export function pathPlan(w: Workload, point: Point, deconv: DeconvLowering = 'subpixel', perLayerDeconv: Record<string, DeconvLowering> = {}): PathLayer[] {
  const path = point.workload.path;
  const layers = pathLayers(w, path);
  const ids = new Set(layers.map(layerId));
  for (const k of Object.keys(point.layerPrecision)) {
    if (!ids.has(k)) throw new UserError(`no layer "${k}" in the ${path} path (e.g. ${[...ids].slice(0, 3).join(', ')})`, { field: `layerPrecision.${k}` });
  }
  const base = parsePrecision(point.precision);
  return layers.map((l) => {
    const id = layerId(l);
    const precision = point.layerPrecision[id] ? parsePrecision(point.layerPrecision[id], `layerPrecision.${id}`) : base;
    const serial = path === 'decode' && l.schedule === 'serial-decode';
    const lowered = lower(l, perLayerDeconv[id] ?? deconv);
    const kind = CPU_OPS.has(l.op) ? 'cpu' : lowered ? 'mac' : 'fused';
    return { id, layer: l, precision, lowered, serial, kind };
  });
}

/** The widest precision among the MAC layers: what a shared array must be built for. */
export function widest(plan: PathLayer[]): Precision {
  const macs = plan.filter((p) => p.kind === 'mac').map((p) => p.precision);
  if (!macs.length) return plan[0].precision;
  const float = macs.filter((p) => p.kind === 'float');
  const pool = float.length ? float : macs;
  return pool.reduce((a, b) => (b.weightBits + b.actBits + b.accBits > a.weightBits + a.actBits + a.accBits ? b : a));
}

/** What a template's evaluation hands to the system-level composition. */
export interface Timed {
  layers: LayerEstimate[];
  resources: Resources;
  /** Accelerator cycles per frame (without the serial loop), and per serial position. */
  frameCycles: number;
  serialCyclesPerPosition: number;
  sliceCycles: number;
  latencyCycles: number;
  dramBytesPerFrame: number;
  slowest: { id: string; bound: Bound; cycles: number } | undefined;
  /** Every MAC lane of the design (its compute roof is 2 × lanes × clock). */
  lanes: number;
}

/** A layer's roofline figures (cost/roofline.ts), as a row holds them. */
type RowRoof = Pick<LayerEstimate, 'ops' | 'offchipBytes' | 'ctc' | 'attainableGops' | 'rooflineBound'>;
const NO_ROOF: RowRoof = { ops: 0, offchipBytes: 0, ctc: null, attainableGops: 0, rooflineBound: 'compute' };

/**
 * A layer's row of an estimate, in its one key order (the JSON outputs keep it). One literal, no spread: a sweep
 * builds tens of thousands, and an object spread into a literal takes its properties one at a time.
 */
export function layerRow(pl: PathLayer, executedMacs: number, cycles: number, timeMs: number, bound: Bound, r: RowRoof, utilization: number, lanes: number, dsp: number, bram18: number, mapping: string): LayerEstimate {
  const l = pl.layer;
  return {
    id: pl.id, name: l.name, part: l.part, op: l.op, precision: pl.precision.name, macs: l.macs, stage: pl.id,
    executedMacs, cycles, timeMs, bound, ops: r.ops, offchipBytes: r.offchipBytes, ctc: r.ctc, attainableGops: r.attainableGops, rooflineBound: r.rooflineBound,
    utilization, lanes, dsp, bram18, mapping,
  };
}

/** The row of a layer that takes no accelerator time: fused into its producer, or on the CPU. */
export function passive(pl: PathLayer, bound: Bound): LayerEstimate {
  return layerRow(pl, 0, 0, 0, bound, NO_ROOF, 0, 0, 0, 0, bound === 'cpu' ? 'CPU (entropy coder tables)' : 'fused into producer');
}

/**
 * Pipeline stages: one per MAC layer, except that the instances of a part (Minnen 2020's slice transforms)
 * share one stage per layer position and use it one instance after another, as they run at decode anyway.
 */
export interface StageUnit {
  key: string;
  members: PathLayer[];
}

export const stageKey = (pl: PathLayer) =>
  pl.layer.instance === undefined ? pl.id : `${pl.layer.part}/*.${pl.layer.name.slice(pl.layer.name.indexOf('.') + 1)}`;

/** The MAC layers of a plan grouped into pipeline stages, in order of first appearance. */
export function stageUnits(plan: PathLayer[]): StageUnit[] {
  const units = new Map<string, StageUnit>();
  for (const pl of plan) {
    if (pl.kind !== 'mac') continue;
    const key = stageKey(pl);
    const u = units.get(key);
    if (u) u.members.push(pl);
    else units.set(key, { key, members: [pl] });
  }
  return [...units.values()];
}
