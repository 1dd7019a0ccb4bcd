import { UserError } from '../errors.js';
import type { EngineLayer, EngineSpec, PipelineLayer, Point } from '../mapping/schema.js';
import { parsePrecision, type Precision } from '../platform/precision.js';
import { RESOURCE_KINDS, type Platform, type ResourceKind } from '../platform/schema.js';
import type { CostTables } from '../platform/tables.js';
import type { Workload, WorkloadLayer } from '../workload/types.js';
import { pathLayers } from '../workload/shapes.js';
import { engineLayerCost, macPipelineDepth, tileFits, type EngineContext } from './engine.js';
import { CPU_OPS, lower, type DeconvLowering, type Lowered } from './lower.js';
import { pipelineOptionsValid, pipelineStageCost } from './pipeline.js';
import { addResources, engineResources, zeroResources, type Resources } from './resources.js';
import { roofline } from './roofline.js';
import type { Bound, Estimate, LayerEstimate } from './types.js';

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

/** The largest tile (channels first, then rows and columns) that fits the engine's buffers. */
export function fitTile(lw: Lowered, spec: EngineSpec): EngineLayer | undefined {
  const tn = Math.min(lw.N, spec.tif);
  const tm = Math.min(lw.M, spec.tof);
  for (let tr = lw.R; tr >= 1; tr = tr > 1 ? Math.max(1, Math.floor(tr / 2)) : 0) {
    for (let tc = lw.C; tc >= 1; tc = tc > 1 ? Math.max(1, Math.floor(tc / 2)) : 0) {
      const t = { tn, tm, tr, tc };
      if (tileFits(lw, spec, t)) return t;
    }
  }
  return undefined;
}

export function engineContext(spec: EngineSpec, p: Precision, platform: Platform, tables: CostTables, clockMHz: number): EngineContext {
  return {
    spec,
    dramBytesPerCycle: platform.bandwidthBytesPerSec / (clockMHz * 1e6),
    perTileCycles: spec.overheads.perTileCycles ?? tables.coefficients.engine.perTileCycles,
    perLayerCycles: spec.overheads.perLayerCycles ?? tables.coefficients.engine.perLayerCycles,
    pipelineDepth: spec.overheads.prologueCycles ?? macPipelineDepth(spec.pif, p),
  };
}

interface Timed {
  layers: LayerEstimate[];
  resources: Resources;
  /** Accelerator cycles per frame (without the serial loop), and per serial position. */
  frameCycles: number;
  serialCyclesPerPosition: number;
  sliceCycles: number;
  latencyCycles: number;
  dramBytesPerFrame: number;
  slowest: { id: string; bound: Bound; cycles: number } | undefined;
}

function checkClock(point: Point, platform: Platform) {
  const max = platform.spec.clock.maxMHz;
  if (point.clockMHz > max) {
    throw new UserError(`clock ${point.clockMHz} MHz is above the board's limit of ${max} MHz (${platform.name})`, { field: 'clockMHz' });
  }
}

function evalEngine(plan: PathLayer[], point: Point, platform: Platform, tables: CostTables): Timed {
  const spec = point.engine!;
  const p = widest(plan);
  const f = point.clockMHz * 1e6;
  const ctx = engineContext(spec, p, platform, tables, point.clockMHz);
  const res = engineResources(spec, p, platform.spec.dspFamily, tables);
  const lanes = spec.pif * spec.pof * spec.poy * spec.pox;
  const layers: LayerEstimate[] = [];
  let frame = 0;
  let serialPerPos = 0;
  let slice = 0;
  let bytes = 0;
  let slowest: Timed['slowest'];
  for (const pl of plan) {
    const l = pl.layer;
    if (pl.kind !== 'mac') {
      layers.push(passive(pl, pl.kind === 'cpu' ? 'cpu' : 'fused'));
      continue;
    }
    const lw = pl.lowered!;
    const given = spec.layers[pl.id];
    const tile = given ?? fitTile(lw, spec);
    if (!tile) throw new UserError(`no tile of layer ${pl.id} fits the engine's buffers (in ${spec.inBufDepth}, weights ${spec.wBufDepth}, out ${spec.outBufDepth} words per bank)`, { field: 'engine' });
    if (given && !tileFits(lw, spec, given)) {
      throw new UserError(`tile tn=${given.tn} tm=${given.tm} tr=${given.tr} tc=${given.tc} does not fit the buffers (tif ${spec.tif}, tof ${spec.tof}, depths in/w/out ${spec.inBufDepth}/${spec.wBufDepth}/${spec.outBufDepth})`, { field: `engine.layers.${pl.id}` });
    }
    const lwx = given?.deconv && l.op === 'deconv' ? lower(l, given.deconv)! : lw;
    if (pl.serial) {
      // One latent position at a time: only the causal taps, a 1×1 output tile; weights stay resident when
      // the weight buffer holds them all, otherwise they are fetched again for every position.
      const one: Lowered = { ...lwx, R: 1, C: 1, inH: lwx.kh, inW: lwx.kw, taps: l.op === 'masked_conv' ? l.macs / (l.outH * l.outW * l.cout * lwx.N) : lwx.taps };
      const comp = Math.ceil(one.N / spec.pif) * Math.ceil(one.M / spec.pof) * one.taps * one.groups + ctx.pipelineDepth;
      const resident = one.groups * one.weightElems <= spec.wBufDepth * spec.pif * spec.pof;
      const posBytes = (one.N * one.groups * one.kh * one.kw * pl.precision.actBits) / 8 + (resident ? 0 : (one.groups * one.weightElems * pl.precision.weightBits) / 8) + (one.M * one.groups * pl.precision.actBits) / 8;
      const mem = posBytes / ctx.dramBytesPerCycle;
      const perPos = Math.ceil(Math.max(comp, mem));
      serialPerPos += perPos;
      const positions = l.outH * l.outW;
      const cycles = perPos * positions;
      const r = roofline(2 * l.macs, posBytes * positions, 2 * lanes * f, platform.bandwidthBytesPerSec);
      layers.push({ ...baseRow(pl), executedMacs: l.macs, cycles, timeMs: (cycles / f) * 1e3, bound: 'serial', ...r, utilization: l.macs / (cycles * lanes), dsp: 0, bram18: 0, mapping: `1 position × ${positions}${resident ? ', weights resident' : ', weights re-fetched'}` });
      bytes += posBytes * positions;
      continue;
    }
    const c = engineLayerCost(lwx, tile, pl.precision, ctx);
    frame += c.cycles;
    bytes += c.offchipBytes;
    if (l.instance !== undefined) slice += c.cycles;
    const r = roofline(2 * l.macs, c.offchipBytes, 2 * lanes * f, platform.bandwidthBytesPerSec);
    const row: LayerEstimate = {
      ...baseRow(pl), executedMacs: c.executedMacs, cycles: c.cycles, timeMs: (c.cycles / f) * 1e3, bound: c.bound, ...r,
      utilization: l.macs / (c.cycles * lanes), dsp: 0, bram18: 0,
      mapping: `tn${Math.min(tile.tn, lw.N)} tm${Math.min(tile.tm, lw.M)} tr${Math.min(tile.tr, lwx.R)} tc${Math.min(tile.tc, lwx.C)}${l.op === 'deconv' ? ` ${given?.deconv ?? spec.deconv}` : ''}`,
    };
    layers.push(row);
    if (!slowest || c.cycles > slowest.cycles) slowest = { id: pl.id, bound: c.bound, cycles: c.cycles };
  }
  return {
    layers,
    resources: { dsp: res.dsp, bram18: res.bram18, uram: res.uram, lut: res.lut, ff: res.ff },
    frameCycles: frame,
    serialCyclesPerPosition: serialPerPos,
    sliceCycles: slice,
    latencyCycles: frame,
    dramBytesPerFrame: bytes,
    slowest,
  };
}

function evalPipeline(plan: PathLayer[], point: Point, platform: Platform, tables: CostTables, w: Workload): Timed {
  const spec = point.pipeline!;
  const f = point.clockMHz * 1e6;
  const layers: LayerEstimate[] = [];
  let resources = zeroResources();
  let maxStage = 0;
  let serialPerPos = 0;
  let slice = 0;
  let fill = 0;
  let bytes = imageAndLatentBytes(w, point);
  let slowest: Timed['slowest'];
  const co = tables.coefficients;
  let ports = 2;
  for (const pl of plan) {
    const l = pl.layer;
    if (pl.kind !== 'mac') {
      const row = passive(pl, pl.kind === 'cpu' ? 'cpu' : 'fused');
      if (l.op === 'add') {
        const skip = skipBuffer(plan, pl, tables);
        resources = addResources(resources, skip);
        row.bram18 = skip.bram18;
      }
      layers.push(row);
      continue;
    }
    const lw = pl.lowered!;
    const cfg: PipelineLayer = spec.layers[pl.id] ?? { pin: 1, pout: 1, pk: 1, weights: 'onchip', reuse: 1, spill: false, fifoDepth: 2 };
    const bad = pipelineOptionsValid(lw, cfg);
    if (bad) throw new UserError(bad, { field: `pipeline.layers.${pl.id}` });
    const depth = macPipelineDepth(cfg.pin, pl.precision);
    const serialTaps = l.op === 'masked_conv' ? l.macs / (l.outH * l.outW * l.cout * lw.N) : undefined;
    const c = pipelineStageCost(lw, cfg, pl.precision, platform.spec.dspFamily, tables, { weightsInUram: spec.weightsInUram, serialTaps, depth });
    resources = addResources(resources, c.resources);
    bytes += c.dramBytes;
    if ((cfg.weights === 'stream' || cfg.spill) && ports === 2) ports = 3;
    const lanes = cfg.pin * cfg.pout * cfg.pk;
    let cycles = c.cycles;
    let bound: Bound = 'compute';
    if (pl.serial) {
      serialPerPos += c.cyclesPerPosition;
      cycles = c.cyclesPerPosition * l.outH * l.outW;
      bound = 'serial';
    } else {
      maxStage = Math.max(maxStage, c.cycles);
      fill += c.fillCycles;
      if (l.instance !== undefined) slice += c.cycles;
      if (!slowest || c.cycles > slowest.cycles) slowest = { id: pl.id, bound: 'compute', cycles: c.cycles };
    }
    const r = roofline(2 * l.macs, c.dramBytes, 2 * lanes * f, platform.bandwidthBytesPerSec);
    layers.push({
      ...baseRow(pl), executedMacs: c.executedMacs, cycles, timeMs: (cycles / f) * 1e3, bound, ...r,
      utilization: l.macs / (Math.max(1, cycles) * lanes), dsp: c.resources.dsp, bram18: c.resources.bram18,
      mapping: `pin${cfg.pin} pout${cfg.pout}${cfg.pk > 1 ? ` pk${cfg.pk}` : ''}${cfg.weights === 'stream' ? ` stream×${cfg.reuse}` : ''}${cfg.spill ? ' spill' : ''}`,
    });
  }
  const stages = layers.filter((x) => x.bound !== 'fused' && x.bound !== 'cpu').length;
  resources.lut += co.lut.base + ports * co.lut.perAxiPortPer128Bits;
  resources.ff += co.ff.base + ports * co.ff.perAxiPortPer128Bits;
  void stages;
  // Bandwidth: the frame's DRAM traffic must pass at the board's sustained rate.
  const bwCycles = (bytes / platform.bandwidthBytesPerSec) * f;
  let frame = maxStage;
  if (bwCycles > frame) {
    frame = bwCycles;
    slowest = { id: 'DRAM', bound: 'memory', cycles: bwCycles };
    for (const row of layers) if (row.bound === 'compute' && row.offchipBytes > 0) row.bound = 'memory';
  }
  return {
    layers, resources, frameCycles: Math.ceil(frame), serialCyclesPerPosition: serialPerPos, sliceCycles: slice,
    latencyCycles: Math.ceil(fill + maxStage), dramBytesPerFrame: bytes, slowest,
  };
}

/** The image in, the latents out to the entropy coder (or in, at decode) and the image out. */
function imageAndLatentBytes(w: Workload, point: Point): number {
  const img = w.resolution.paddedWidth * w.resolution.paddedHeight * 3;
  const p = parsePrecision(point.precision);
  const lat = w.latents.reduce((s, l) => s + l.elements, 0) * (p.actBits / 8);
  return img + lat;
}

/** A residual add in a stream must hold the skip branch for as many rows as the main branch delays it. */
function skipBuffer(plan: PathLayer[], add: PathLayer, tables: CostTables): Resources {
  const l = add.layer;
  const same = plan.filter((x) => x.layer.part === l.part && x.layer.instance === l.instance);
  const idx = same.indexOf(add);
  const srcName = l.layer.inputs[1];
  const srcIdx = same.findIndex((x) => x.layer.name === srcName);
  let rows = 1;
  for (let i = Math.max(0, srcIdx + 1); i < idx; i++) rows += same[i].lowered?.kh ?? 0;
  const elems = rows * l.outW * l.cout;
  const width = add.precision.actBits;
  const words = Math.ceil(elems);
  const c = tables.coefficients;
  const bram18 = words * width <= c.memory.lutramMaxBits ? 0 : Math.ceil((words * width) / (18 * 1024));
  return { ...zeroResources(), bram18 };
}

function baseRow(pl: PathLayer) {
  const l = pl.layer;
  return { id: pl.id, name: l.name, part: l.part, op: l.op, precision: pl.precision.name, macs: l.macs };
}

function passive(pl: PathLayer, bound: Bound): LayerEstimate {
  return {
    ...baseRow(pl), executedMacs: 0, cycles: 0, timeMs: 0, bound, ops: 0, offchipBytes: 0, ctc: null,
    attainableGops: 0, rooflineBound: 'compute', utilization: 0, dsp: 0, bram18: 0, mapping: bound === 'cpu' ? 'CPU (entropy coder tables)' : 'fused into producer',
  };
}

/**
 * Evaluate a design point on a workload and a board (pure: no I/O). Composes the accelerator with the
 * entropy coder on the board's CPU: frames pipeline between the two, except where the decoder must
 * alternate with the CPU inside a frame (Minnen 2018's per-position context loop; Minnen 2020's slices).
 */
export function evaluate(w: Workload, platform: Platform, point: Point, tables: CostTables): Estimate {
  checkClock(point, platform);
  const spec = point.arch === 'engine' ? point.engine : point.pipeline;
  if (!spec) throw new UserError(`arch "${point.arch}" needs a "${point.arch}" section`, { field: point.arch });
  const perLayerDeconv: Record<string, DeconvLowering> = {};
  if (point.arch === 'engine') for (const [k, v] of Object.entries(point.engine!.layers)) if (v.deconv) perLayerDeconv[k] = v.deconv;
  const plan = pathPlan(w, point, spec.deconv, perLayerDeconv);
  if (point.arch === 'engine') {
    const ids = new Set(plan.map((p) => p.id));
    for (const k of Object.keys(point.engine!.layers)) if (!ids.has(k)) throw new UserError(`no layer "${k}" in the ${point.workload.path} path`, { field: `engine.layers.${k}` });
  } else {
    const ids = new Set(plan.map((p) => p.id));
    for (const k of Object.keys(point.pipeline!.layers)) if (!ids.has(k)) throw new UserError(`no layer "${k}" in the ${point.workload.path} path`, { field: `pipeline.layers.${k}` });
  }
  const t = point.arch === 'engine' ? evalEngine(plan, point, platform, tables) : evalPipeline(plan, point, platform, tables, w);
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
