import { UserError } from '../errors.js';
import type { Point } from '../mapping/schema.js';
import { parsePrecision } from '../platform/precision.js';
import { RESOURCE_KINDS, type Platform, type ResourceKind } from '../platform/schema.js';
import type { CostTables } from '../platform/tables.js';
import type { Workload } from '../workload/types.js';
import { evalEngine } from './engine-design.js';
import type { DeconvLowering } from './lower.js';
import { evalPipeline, type PipelineShare } from './pipeline-design.js';
import { DEFAULT_CAPS, pathPlan, stageUnits } from './plan.js';
import type { Estimate } from './types.js';
import { evaluateDpu } from './dpu.js';
import { evaluateGpu } from './gpu.js';

export { DEFAULT_CAPS, layerId, pathPlan, stageKey, stageUnits, widest, type PathLayer, type StageUnit } from './plan.js';
export { engineContext, fitTile } from './engine-design.js';

function checkClock(point: Point, platform: Platform) {
  const max = platform.spec.clock.maxMHz;
  if (point.clockMHz > max) {
    throw new UserError(`clock ${point.clockMHz} MHz is above the board's limit of ${max} MHz (${platform.name})`, { field: 'clockMHz' });
  }
}

/**
 * Evaluate a design point on a workload and a board (pure: no I/O). Composes the accelerator with the
 * entropy coder on the board's CPU: frames pipeline between the two, except where the decoder must
 * alternate with the CPU inside a frame (Minnen 2018's per-position context loop; Minnen 2020's slices).
 * `share` (pipelineShare()): for pipeline designs of one workload and base point, differing only in their
 * pipeline section, evaluated one after another (explore's candidates). `layers: false` (pipeline designs): the
 * estimate without its per-layer rows (`layers` empty), for designs compared by their totals.
 */
export function evaluate(w: Workload, platform: Platform, point: Point, tables: CostTables, share?: PipelineShare, opts: { layers?: boolean } = {}): Estimate {
  if (point.arch === 'gpu') return evaluateGpu(w, platform, point, tables);
  checkClock(point, platform);
  if (point.arch === 'dpu') return evaluateDpu(w, platform, point, tables);
  const spec = point.arch === 'engine' ? point.engine : point.pipeline;
  if (!spec) throw new UserError(`arch "${point.arch}" needs a "${point.arch}" section`, { field: point.arch });
  const perLayerDeconv: Record<string, DeconvLowering> = {};
  if (point.arch === 'engine') for (const [k, v] of Object.entries(point.engine!.layers)) if (v.deconv) perLayerDeconv[k] = v.deconv;
  // Pipeline designs evaluated together (explore's candidates) plan the path once per deconv lowering.
  const shared = point.arch === 'pipeline' ? share?.plans.get(spec.deconv ?? '') : undefined;
  const plan = shared ?? pathPlan(w, point, spec.deconv, perLayerDeconv);
  if (point.arch === 'pipeline' && share && !shared) share.plans.set(spec.deconv ?? '', plan);
  // Every key of the point must name a layer (engine) or a stage (pipeline; shared slice stages use "*").
  const [section, ids] = point.arch === 'engine'
    ? ['engine', new Set(plan.map((p) => p.id))] as const
    : ['pipeline', new Set(stageUnits(plan).map((u) => u.key))] as const;
  for (const k of Object.keys(spec.layers)) {
    if (!ids.has(k)) throw new UserError(`no ${section === 'engine' ? 'layer' : 'stage'} "${k}" in the ${point.workload.path} path`, { field: `${section}.layers.${k}` });
  }
  const t = point.arch === 'engine' ? evalEngine(plan, point, platform, tables) : evalPipeline(plan, point, platform, tables, w, share, opts.layers ?? true);
  const f = point.clockMHz * 1e6;

  // Entropy coding on the CPU.
  const sps = point.entropySymbolsPerSec ?? platform.spec.cpu.entropySymbolsPerSec;
  const symbols = w.latents.reduce((s, l) => s + l.elements, 0);
  const cpuSeconds = symbols / sps;
  const serialLayers = plan.filter((p) => p.serial && p.kind === 'mac');
  const y = w.latents[0];
  let serial: Estimate['serial'] = null;
  let chain = 0;
  let chainName = '';
  let accelSeconds = t.frameCycles / f;
  if (serialLayers.length) {
    const positions = serialLayers[0].layer.outH * serialLayers[0].layer.outW;
    const cpuPerPos = y.channels / sps;
    const accPerPos = t.serialCyclesPerPosition / f;
    chain = positions * (accPerPos + cpuPerPos);
    chainName = `serial context model at decode (${positions} positions × ${((accPerPos + cpuPerPos) * 1e6).toFixed(2)} µs)`;
    serial = { positions, seconds: chain };
    accelSeconds += positions * accPerPos;
  } else if (point.workload.path === 'decode' && t.sliceCycles > 0) {
    chain = t.sliceCycles / f + y.elements / sps;
    chainName = 'slice sequence at decode (slice transforms alternate with entropy decoding)';
  }
  const frameSeconds = Math.max(accelSeconds, cpuSeconds, chain);
  // The bottleneck is the largest single contributor: the entropy coder, the serial decode chain, or a layer.
  const serialAccel = serial ? accelSeconds - t.frameCycles / f : 0;
  const slowestSeconds = t.slowest ? t.slowest.cycles / f : 0;
  let bottleneck: string;
  if (chain > 0 && (frameSeconds === chain || serialAccel >= slowestSeconds)) bottleneck = chainName;
  else if (frameSeconds === cpuSeconds && cpuSeconds > accelSeconds) bottleneck = `entropy coder on CPU (${symbols} symbols at ${sps.toExponential(2)}/s)`;
  else if (t.slowest) bottleneck = t.slowest.id === 'DRAM' ? 'off-chip bandwidth' : `layer ${t.slowest.id} (${t.slowest.bound})`;
  else bottleneck = 'none';

  const caps = { ...DEFAULT_CAPS, ...point.caps } as Record<ResourceKind, number>;
  const resources = Object.fromEntries(RESOURCE_KINDS.map((k) => [k, { used: t.resources[k], available: platform.available[k], cap: caps[k] }])) as Estimate['resources'];
  const violations = RESOURCE_KINDS.filter((k) => t.resources[k] > Math.floor(platform.available[k] * caps[k]))
    .map((k) => `${k} ${t.resources[k]} > ${Math.floor(platform.available[k] * caps[k])} (${caps[k]} of ${platform.available[k]})`);
  const accelFps = 1 / accelSeconds;
  const usefulMacs = plan.filter((p) => p.kind === 'mac').reduce((s, p) => s + p.layer.macs, 0);
  const bwUsed = (t.dramBytesPerFrame * accelFps) / 1e9;
  return {
    model: w.model,
    variant: w.variant ?? null,
    platform: platform.name,
    arch: point.arch,
    path: point.workload.path,
    precision: parsePrecision(point.precision).name,
    clockMHz: point.clockMHz,
    resolution: w.resolution,
    fps: 1 / frameSeconds,
    acceleratorFps: accelFps,
    latencyMs: (t.latencyCycles / f + (serial ? serial.seconds : 0) + cpuSeconds) * 1e3,
    gops: (2 * usefulMacs * accelFps) / 1e9,
    peakGops: (2 * t.lanes * f) / 1e9,
    bottleneck,
    feasible: violations.length === 0,
    violations,
    resources,
    bandwidth: { usedGBs: bwUsed, availableGBs: platform.bandwidthBytesPerSec / 1e9 },
    entropy: { symbols, seconds: cpuSeconds, symbolsPerSec: sps },
    serial,
    design: point,
    layers: t.layers,
  };
}
