import { UserError } from '../errors.js';
import type { EngineLayer, EngineSpec, Point } from '../mapping/schema.js';
import type { Precision } from '../platform/precision.js';
import type { Platform } from '../platform/schema.js';
import type { CostTables } from '../platform/tables.js';
import { eltwiseSchedule, engineArch, grid, tileClassesExact, type EngineArch, type EngineGeom } from '../arch/engine.js';
import { fuseLayers } from '../arch/fusion.js';
import { engineGeom } from '../arch/geometry.js';
import { engineLayerCost, macPipelineDepth, scheduleBound, tileFits, type EngineContext } from './engine.js';
import { lower, MAC_OPS, type Lowered } from './lower.js';
import { layerRow, passive, widest, type PathLayer, type Timed } from './plan.js';
import { engineResources } from './resources.js';
import { roofline } from './roofline.js';
import type { LayerEstimate } from './types.js';

/** Whether the schedule's tile classes cost this tile exactly along rows and columns (see tileClassesExact). */
export function tileExact(g: EngineGeom, t: { tr: number; tc: number }): boolean {
  const gs = grid(g);
  return tileClassesExact(g, 'y', gs.gr, Math.min(t.tr, gs.gr)) && tileClassesExact(g, 'x', gs.gc, Math.min(t.tc, gs.gc));
}

/** The narrowest tile along `dim` that tileClassesExact accepts. */
function narrowestExact(g: EngineGeom, dim: 'y' | 'x'): number {
  const extent = dim === 'y' ? grid(g).gr : grid(g).gc;
  let t = 1;
  while (t < extent && !tileClassesExact(g, dim, extent, t)) t++;
  return t;
}

/** The largest tile (channels first, then rows and columns) that fits the engine's buffers and that the schedule costs exactly. */
export function fitTile(g: EngineGeom, arch: EngineArch, spec: EngineSpec): EngineLayer | undefined {
  const gs = grid(g);
  const tn = Math.min(g.N, spec.tif);
  const tm = Math.min(g.M, spec.tof);
  for (let tr = gs.gr; tr >= 1; tr = tr > 1 ? Math.max(1, Math.floor(tr / 2)) : 0) {
    for (let tc = gs.gc; tc >= 1; tc = tc > 1 ? Math.max(1, Math.floor(tc / 2)) : 0) {
      const t = { tn, tm, tr, tc };
      if (tileFits(g, gs, arch, spec, t) && tileExact(g, t)) return t;
    }
  }
  return undefined;
}

export function engineContext(spec: EngineSpec, p: Precision, platform: Platform, tables: CostTables, clockMHz: number): EngineContext {
  const arch = engineArch(spec, p, {
    computeDepth: spec.overheads.prologueCycles ?? macPipelineDepth(spec.pif, p),
    perStepCycles: spec.overheads.perTileCycles ?? tables.coefficients.engine.perTileCycles,
    perLayerCycles: spec.overheads.perLayerCycles ?? tables.coefficients.engine.perLayerCycles,
  });
  return { spec, arch, axi: platform.axi, dramBytesPerCycle: platform.bandwidthBytesPerSec / (clockMHz * 1e6) };
}

const ELTWISE = new Set(['add', 'relu', 'leaky_relu', 'abs', 'pixel_shuffle']);

/**
 * The engine's steps over a plan (src/arch/fusion.ts, the emitter's rule): what each MAC layer's store folds in,
 * and the element-wise layers that run as passes of their own.
 */
export function engineFusion(plan: PathLayer[]) {
  const byPart = new Map<string, PathLayer[]>();
  for (const pl of plan) {
    const k = `${pl.layer.part}#${pl.layer.instance ?? ''}`;
    byPart.set(k, [...(byPart.get(k) ?? []), pl]);
  }
  const store = new Map<string, { storeReads: boolean; shuffle: number }>();
  const passes = new Set<string>();
  for (const pls of byPart.values()) {
    const idOf = new Map(pls.map((pl) => [pl.layer.name, pl.id]));
    const layers = pls.map((pl) => ({ id: pl.id, op: pl.layer.op, inputs: pl.layer.layer.inputs.map((r) => idOf.get(r) ?? '@input') }));
    const ops = new Map(pls.map((pl) => [pl.id, pl]));
    for (const s of fuseLayers(layers, (op) => MAC_OPS.has(op), '@input', true)) {
      if (!s.mac) {
        if (ELTWISE.has(ops.get(s.id)!.layer.op)) passes.add(s.id);
        continue;
      }
      const sh = s.fused.find((f) => f.role === 'shuffle');
      store.set(s.id, { storeReads: !!s.addFrom, shuffle: sh ? ops.get(sh.id)!.layer.layer.factor ?? 1 : 1 });
    }
  }
  return { store, passes };
}

/** The engine template over a path: per-layer cycles, the serial per-position loop, the array's resources. */
export function evalEngine(plan: PathLayer[], point: Point, platform: Platform, tables: CostTables): Timed {
  const spec = point.engine!;
  const p = widest(plan);
  const f = point.clockMHz * 1e6;
  const ctx = engineContext(spec, p, platform, tables, point.clockMHz);
  const res = engineResources(spec, p, platform.spec.dspFamily, tables);
  const fusion = engineFusion(plan);
  const lanes = spec.pif * spec.pof * spec.poy * spec.pox;
  const layers: LayerEstimate[] = [];
  let frame = 0;
  let serialPerPos = 0;
  let slice = 0;
  let bytes = 0;
  let slowest: Timed['slowest'];
  for (const pl of plan) {
    const l = pl.layer;
    if (pl.kind !== 'mac' && fusion.passes.has(pl.id)) {
      // An element-wise pass over memory of its own (not foldable into a producer's store).
      const e = eltwiseSchedule(ctx.arch, ctx.axi, ctx.dramBytesPerCycle, {
        kind: l.op === 'add' ? 'add' : l.op === 'pixel_shuffle' ? 'pixel_shuffle' : 'unary', c: l.cout, h: l.outH, w: l.outW, factor: l.layer.factor ?? 1,
      });
      const cycles = Math.ceil(e.cycles);
      frame += cycles;
      bytes += e.dramBytes;
      if (l.instance !== undefined) slice += cycles;
      const r = roofline(0, e.dramBytes, 2 * lanes * f, platform.bandwidthBytesPerSec);
      const bound = scheduleBound(e, ctx.dramBytesPerCycle);
      layers.push(layerRow(pl, 0, cycles, (cycles / f) * 1e3, bound, { ...r, rooflineBound: 'memory' }, 0, lanes, 0, 0, 'element-wise pass over memory'));
      if (!slowest || cycles > slowest.cycles) slowest = { id: pl.id, bound, cycles };
      continue;
    }
    if (pl.kind !== 'mac') {
      layers.push(passive(pl, pl.kind === 'cpu' ? 'cpu' : 'fused'));
      continue;
    }
    const lw = pl.lowered!;
    const given = spec.layers[pl.id];
    const lwx = given?.deconv && l.op === 'deconv' ? lower(l, given.deconv)! : lw;
    if (pl.serial) {
      // One latent position at a time: only the causal taps, a 1×1 output tile; weights stay resident when
      // the weight buffer holds them all, otherwise they are fetched again for every position.
      const one: Lowered = { ...lwx, R: 1, C: 1, inH: lwx.kh, inW: lwx.kw, taps: l.op === 'masked_conv' ? l.macs / (l.outH * l.outW * l.cout * lwx.N) : lwx.taps };
      const comp = Math.ceil(one.N / spec.pif) * Math.ceil(one.M / spec.pof) * one.taps * one.groups + ctx.arch.computeDepth;
      const resident = one.groups * one.weightElems <= spec.wBufDepth * spec.pif * spec.pof;
      const posBytes = (one.N * one.groups * one.kh * one.kw * pl.precision.actBits) / 8 + (resident ? 0 : (one.groups * one.weightElems * pl.precision.weightBits) / 8) + (one.M * one.groups * pl.precision.actBits) / 8;
      const mem = posBytes / ctx.dramBytesPerCycle;
      const perPos = Math.ceil(Math.max(comp, mem));
      serialPerPos += perPos;
      const positions = l.outH * l.outW;
      const cycles = perPos * positions;
      const r = roofline(2 * l.macs, posBytes * positions, 2 * lanes * f, platform.bandwidthBytesPerSec);
      layers.push(layerRow(pl, l.macs, cycles, (cycles / f) * 1e3, 'serial', r, l.macs / (cycles * lanes), lanes, 0, 0, `1 position × ${positions}${resident ? ', weights resident' : ', weights re-fetched'}`));
      bytes += posBytes * positions;
      continue;
    }
    const geo = engineGeom(l, lwx, given?.deconv ?? spec.deconv, fusion.store.get(pl.id));
    const gs = grid(geo);
    const tile = given ?? fitTile(geo, ctx.arch, spec);
    if (!tile) throw new UserError(`no tile of layer ${pl.id} fits the engine's buffers (in ${spec.inBufDepth}, weights ${spec.wBufDepth}, out ${spec.outBufDepth} words per bank)`, { field: 'engine' });
    if (given && !tileFits(geo, gs, ctx.arch, spec, given)) {
      throw new UserError(`tile tn=${given.tn} tm=${given.tm} tr=${given.tr} tc=${given.tc} does not fit the buffers (tif ${spec.tif}, tof ${spec.tof}, depths in/w/out ${spec.inBufDepth}/${spec.wBufDepth}/${spec.outBufDepth})`, { field: `engine.layers.${pl.id}` });
    }
    if (given && !tileExact(geo, given)) {
      // Name only the dimension(s) at fault, each with the narrowest tile the schedule costs exactly.
      const bad = ([['y', 'tr', given.tr, gs.gr], ['x', 'tc', given.tc, gs.gc]] as const).filter(([d, , t, e]) => !tileClassesExact(geo, d, e, Math.min(t, e)));
      throw new UserError(`tile ${bad.map(([, n, t]) => `${n}=${t}`).join(' ')} is narrower than the padding reaches: padding clips more than the first and last tiles, which the estimate cannot cost (allowed: ${bad.map(([d, n]) => `${n} from ${narrowestExact(geo, d)}`).join(', ')})`, { field: `engine.layers.${pl.id}` });
    }
    const c = engineLayerCost(geo, gs, tile, ctx, lwx.groups * lwx.M * lwx.N * lwx.R * lwx.C * lwx.taps);
    frame += c.cycles;
    bytes += c.offchipBytes;
    if (l.instance !== undefined) slice += c.cycles;
    const r = roofline(2 * l.macs, c.offchipBytes, 2 * lanes * f, platform.bandwidthBytesPerSec);
    layers.push(layerRow(pl, c.executedMacs, c.cycles, (c.cycles / f) * 1e3, c.bound, r, l.macs / (c.cycles * lanes), lanes, 0, 0,
      `tn${Math.min(tile.tn, geo.N)} tm${Math.min(tile.tm, geo.M)} tr${Math.min(tile.tr, gs.gr)} tc${Math.min(tile.tc, gs.gc)}${l.op === 'deconv' ? ` ${given?.deconv ?? spec.deconv}` : ''}`));
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
    lanes,
  };
}
