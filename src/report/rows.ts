import type { Estimate } from '../cost/types.js';
import { baselineSummary, cpuSubgraphsCell } from '../cost/baseline-summary.js';
import type { ExploreRequest } from '../mapping/base-point.js';
import type { Point } from '../mapping/schema.js';
import { RESOURCE_KINDS } from '../platform/schema.js';
import type { ExploreResult } from '../search/explore.js';
import type { LayerRecord, ParetoRecord, PointRecord } from './columns.js';

/** The inputs of a design point, as every report row repeats them: the explore request, numbered. */
export type PointKey = { job: number; label: string; pad: string }
  & Pick<ExploreRequest, 'model' | 'variant' | 'params' | 'platform' | 'precision' | 'res' | 'arch' | 'path'>;

const keyCells = (k: PointKey) => ({
  model: k.model, variant: k.variant ?? '', platform: k.platform, precision: k.precision, res: k.res, arch: k.arch, path: k.path,
});

/** MAC lanes a design point asks for (its pipeline stages' together). */
function designLanes(design: Point): number {
  if (design.arch === 'engine' && design.engine) return design.engine.pif * design.engine.pof * design.engine.poy * design.engine.pox;
  return Object.values(design.pipeline?.layers ?? {}).reduce((s, l) => s + l.pin * l.pout * l.pk, 0);
}

/** The chosen design in one short string. */
export function designSummary(design: Point, e?: Estimate): string {
  if ((design.arch === 'dpu' || design.arch === 'gpu') && e) return baselineSummary(e);
  if (design.arch === 'engine' && design.engine) {
    const e = design.engine;
    return `pif${e.pif} pof${e.pof} poy${e.poy} pox${e.pox} tif${e.tif} tof${e.tof} depths in${e.inBufDepth}/w${e.wBufDepth}/out${e.outBufDepth}`
      + `${e.weightsInUram ? ' weights-in-uram' : ''} ${e.deconv}`;
  }
  const layers = Object.values(design.pipeline?.layers ?? {});
  const streamed = layers.filter((l) => l.weights === 'stream').length;
  const spilled = layers.filter((l) => l.spill).length;
  return `${layers.length} stages, ${designLanes(design)} MAC lanes, ${streamed} streaming weights, ${spilled} spilled`;
}

/** The layer named by the design's bottleneck ("layer g_s/4 (compute)" → "g_s/4"), or "". */
export function bottleneckLayerOf(bottleneck: string): string {
  const m = /^layer (\S+) \(/.exec(bottleneck);
  return m ? m[1] : '';
}

/** The points.csv record of an explored point. */
export function pointRecord(k: PointKey, r: ExploreResult): PointRecord {
  const e: Estimate = r.best;
  const res = Object.fromEntries(RESOURCE_KINDS.flatMap((kind) => [
    [`${kind}Used`, e.resources[kind].used], [`${kind}Available`, e.resources[kind].available], [`${kind}Cap`, e.resources[kind].cap],
  ])) as Pick<PointRecord, 'dspUsed'>;
  return {
    job: k.job, status: 'ok', error: '', label: k.label,
    ...keyCells(k),
    params: paramsCell(k.params), pad: k.pad, clockMHz: e.clockMHz,
    width: e.resolution.width, height: e.resolution.height, paddedWidth: e.resolution.paddedWidth, paddedHeight: e.resolution.paddedHeight,
    fps: e.fps, acceleratorFps: e.acceleratorFps, latencyMs: e.latencyMs, gops: e.gops,
    peakGops: e.peakGops,
    macs: e.layers.reduce((s, l) => s + l.macs, 0),
    bottleneck: e.bottleneck, bottleneckLayer: bottleneckLayerOf(e.bottleneck),
    feasible: e.feasible, violations: e.violations.join('; '),
    ...(res as unknown as Record<string, number>),
    bandwidthUsedGBs: e.bandwidth.usedGBs, bandwidthAvailableGBs: e.bandwidth.availableGBs,
    entropySymbols: e.entropy.symbols, entropyMs: e.entropy.seconds * 1e3, entropySymbolsPerSec: e.entropy.symbolsPerSec,
    serialPositions: e.serial ? e.serial.positions : null, serialMs: e.serial ? e.serial.seconds * 1e3 : null,
    evaluated: r.evaluated, paretoSize: r.pareto.length, layerCount: e.layers.length,
    design: designSummary(r.point, e),
    cpuSubgraphs: cpuSubgraphsCell(e), cpuMs: e.offload ? e.offload.cpuMs : null,
  } as PointRecord;
}

const paramsCell = (p?: Record<string, number>) => (p ? Object.entries(p).map(([a, b]) => `${a}=${b}`).join(';') : '');

/** The points.csv record of a job that failed with a user-level error. */
export function errorRecord(k: PointKey, message: string): PointRecord {
  const m = /^(\d+)x(\d+)$/.exec(k.res);
  const rec: Record<string, unknown> = {
    job: k.job, status: 'error', error: message, label: k.label, ...keyCells(k), params: paramsCell(k.params), pad: k.pad,
    width: m ? Number(m[1]) : null, height: m ? Number(m[2]) : null, bottleneck: '', bottleneckLayer: '', violations: '', design: '', cpuSubgraphs: '', cpuMs: null,
  };
  for (const col of ['clockMHz', 'paddedWidth', 'paddedHeight', 'fps', 'acceleratorFps', 'latencyMs', 'gops', 'peakGops', 'macs', 'feasible',
    ...RESOURCE_KINDS.flatMap((kind) => [`${kind}Used`, `${kind}Available`, `${kind}Cap`]),
    'bandwidthUsedGBs', 'bandwidthAvailableGBs', 'entropySymbols', 'entropyMs', 'entropySymbolsPerSec', 'serialPositions', 'serialMs',
    'evaluated', 'paretoSize', 'layerCount']) rec[col] = null;
  return rec as unknown as PointRecord;
}

/** One layers.csv record per layer of the chosen design. */
export function layerRecords(k: PointKey, r: ExploreResult): LayerRecord[] {
  const e = r.best;
  const f = e.clockMHz * 1e6;
  const bl = bottleneckLayerOf(e.bottleneck);
  const serialChain = /^serial context model/.test(e.bottleneck);
  // One literal per row, the key cells written out (no spread: a sweep builds tens of thousands of these).
  const variant = k.variant ?? '';
  return e.layers.map((l) => ({
    job: k.job, model: k.model, variant, platform: k.platform, precision: k.precision, res: k.res, arch: k.arch, path: k.path,
    layer: l.id, part: l.part, name: l.name, op: l.op, layerPrecision: l.precision,
    macs: l.macs, executedMacs: l.executedMacs, cycles: l.cycles, timeMs: l.timeMs, bound: l.bound,
    ops: l.ops, offchipBytes: l.offchipBytes, ctc: l.ctc, attainableGops: l.attainableGops,
    achievedGops: l.cycles > 0 ? l.ops / (l.cycles / f) / 1e9 : null,
    roofGops: l.lanes > 0 ? (2 * l.lanes * f) / 1e9 : null,
    rooflineBound: l.rooflineBound, utilization: l.utilization, dsp: l.dsp, bram18: l.bram18, mapping: l.mapping,
    bottleneck: l.stage === bl || (serialChain && l.bound === 'serial'),
  }));
}

/** The search's Pareto front of the point (accelerator FPS against DSP and BRAM18), fastest first. */
export function paretoRecords(k: PointKey, r: ExploreResult): ParetoRecord[] {
  return [...r.pareto].sort((a, b) => b.fps - a.fps || a.dsp - b.dsp || a.bram18 - b.bram18)
    .map((p, rank) => ({ job: k.job, ...keyCells(k), rank, fps: p.fps, dsp: p.dsp, bram18: p.bram18, design: p.design }));
}

/** The report key of a single explore request (what a sweep job would carry), e.g. for charts in a script. */
export function keyFor(req: ExploreRequest, job = 0): PointKey {
  const params = req.params && Object.keys(req.params).length ? req.params : undefined;
  const model = `${req.model}${req.variant ? ` ${req.variant}` : ''}${params ? ` ${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(',')}` : ''}`;
  return {
    job, label: [model, req.platform, req.precision, req.res, req.arch, req.path].join(' · '), model: req.model, variant: req.variant, params,
    platform: req.platform, precision: req.precision, res: req.res, pad: req.pad ?? 'stride', arch: req.arch, path: req.path,
  };
}

/** The report records (points.csv row, layers.csv rows, pareto.csv rows) of one explore. */
export function reportRecords(r: ExploreResult, req: ExploreRequest, job = 0): { point: PointRecord; layers: LayerRecord[]; pareto: ParetoRecord[] } {
  const k = keyFor({ ...req, variant: req.variant ?? r.best.variant ?? undefined }, job);
  return { point: pointRecord(k, r), layers: layerRecords(k, r), pareto: paretoRecords(k, r) };
}
