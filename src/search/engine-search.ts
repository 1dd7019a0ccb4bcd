import { UserError } from '../errors.js';
import type { EngineLayer, EngineSpec, Point } from '../mapping/schema.js';
import type { Platform, ResourceKind } from '../platform/schema.js';
import type { CostTables } from '../platform/tables.js';
import type { Workload } from '../workload/types.js';
import type { AxiParams } from '../arch/axi.js';
import { channelClasses, engineMultipliers, grid, outLen, storeTrips, storeWork, tapCount, tileClassesExact, weightTaps, type EngineArch, type EngineGeom } from '../arch/engine.js';
import { engineGeom } from '../arch/geometry.js';
import { engineLayerCycler, engineLayerEnds, tileFits, widestTc, type EngineContext } from '../cost/engine.js';
import { engineContext, engineFusion } from '../cost/engine-design.js';
import { DEFAULT_CAPS, pathPlan, widest, type PathLayer } from '../cost/evaluate.js';
import { engineResourcesWith } from '../cost/resources.js';
import { dspPerMac } from '../platform/tables.js';
import { RESOURCE_KINDS } from '../platform/schema.js';

export const PIF = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128];
export const POF = [1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256];
export const SPATIAL: [number, number][] = [[1, 1], [1, 2], [2, 2], [2, 4], [4, 4]];
export const DEPTHS = [512, 1024, 2048, 4096, 8192, 16384];
export const TOF_FACTORS = [1, 2, 4];
/**
 * The resources that an engine's buffer settings (input depth, TOF factor) never lower: DSPs and flip-flops do not
 * depend on them, and every buffer bank only gets deeper. (LUTs can fall: a bank that outgrows LUTRAM moves to BRAM.)
 */
export const GROWS_WITH_BUFFERS: ReadonlySet<ResourceKind> = new Set<ResourceKind>(['dsp', 'bram18', 'uram', 'ff']);
/** Slower arrays costed for the Pareto front beyond the bound (each costs a full search of its tiles). */
const FILLERS = 16;

export interface EngineCandidate {
  spec: EngineSpec;
  cycles: number;
  resources: Record<ResourceKind, number>;
}

/** Tile sizes that give distinct tile counts: ⌈n/k⌉ for k = 1..n (about 2√n values), largest first. */
const ceilCache = new Map<number, number[]>();
export function ceilSet(n: number): number[] {
  let v = ceilCache.get(n);
  if (v) return v;
  // ⌈n/k⌉ for k ≤ √n covers the large values; every value below √n is a ⌈n/k⌉ for some k or a superset entry.
  const out = new Set<number>();
  for (let k = 1; k * k <= n; k++) {
    out.add(Math.ceil(n / k));
    out.add(k);
  }
  v = [...out].sort((a, b) => b - a);
  ceilCache.set(n, v);
  return v;
}

/** Layers that cost the same under any mapping: same lowered shape and precision. */
export const shapeKey = (pl: PathLayer) => {
  const l = pl.lowered!;
  return `${l.groups},${l.M},${l.N},${l.R},${l.C},${l.kh},${l.kw},${l.S},${l.taps},${l.inH},${l.inW},${l.weightElems},${l.secondIsActivation},${l.secondDim},${l.inputReads},${l.outPerPosition},${pl.precision.name}`;
};

interface SearchLayer {
  pl: PathLayer;
  geo: EngineGeom;
  key: string;
}

/** Σ over tiles of t along ext of ⌈tile/p⌉: the unrolled trips of a tiled dimension. */
const sumTiles = (ext: number, t: number, p: number) => Math.floor(ext / t) * Math.ceil(t / p) + Math.ceil((ext % t) / p);

/**
 * A floor under engineLayerCost for a tile (tiles clamped to the layer), from the schedule's structure
 * (src/arch/engine.ts layerSchedule): the per-layer set-up, and every step lasting at least its compute loop,
 * i.e. its MAC trips, the compute pipeline fill and the step's control cycles. It needs no buffer and no
 * traffic, so the search can discard a tile, a layer or a whole engine before running the step model;
 * test/search/engine-search.test.ts holds it under the model's cycles.
 */
export function tileFloor(g: EngineGeom, gs: { gr: number; gc: number }, arch: EngineArch, t: EngineLayer): number {
  return tileFloorOf(g, gs, arch, Math.min(t.tn, g.N), Math.min(t.tm, g.M))(Math.min(t.tr, gs.gr), Math.min(t.tc, gs.gc));
}

/** tileFloor for the row and column tiles (≤ the grid's) of one channel tiling (≤ the layer's), its channel factors worked out once. */
function tileFloorOf(g: EngineGeom, gs: { gr: number; gc: number }, arch: EngineArch, tn: number, tm: number): (tr: number, tc: number) => number {
  // The products are the formula's, left to right: hoisting the channel factors changes no number.
  const macs = g.groups * g.passes * tapCount(g) * sumTiles(g.M, tm, arch.pof) * sumTiles(g.N, tn, arch.pif);
  const tiles = g.groups * Math.ceil(g.M / tm) * Math.ceil(g.N / tn);
  return (tr, tc) => {
    const trips = macs * sumTiles(gs.gr, tr, arch.poy) * sumTiles(gs.gc, tc, arch.pox);
    const steps = tiles * Math.ceil(gs.gr / tr) * Math.ceil(gs.gc / tc);
    return arch.perLayerCycles + trips + steps * (arch.computeDepth + arch.perStepCycles);
  };
}

/**
 * A second floor, for layers whose stores bind: every output tile is stored once, in a step that lasts at least
 * the store loop's trips and fill (the first output tile's store is left out: the schedule may pay it in the
 * epilogue with another tile's shape). The trips are storeWork's own, over the whole map (they count per
 * output position, so the tiles' sum is the map's): `storeAll` is computed once per layer and channel tile.
 */
export function storeAll(g: EngineGeom, arch: EngineArch, axi: AxiParams, tm: number): number {
  let trips = 0;
  for (const m of channelClasses(g.M, Math.min(tm, g.M))) trips += m.count * storeWork(arch, g, axi, m.n, { len: g.oh }, { len: g.ow }).trips;
  return g.groups * trips;
}

export function storeFloor(g: EngineGeom, gs: { gr: number; gc: number }, arch: EngineArch, axi: AxiParams, all: number, t: EngineLayer): number {
  return storeFloorOf(g, gs, arch, all, Math.min(t.tn, g.N), Math.min(t.tm, g.M))(Math.min(t.tr, gs.gr), Math.min(t.tc, gs.gc));
}

/** storeFloor for the row and column tiles (≤ the grid's) of one channel tiling (≤ the layer's). */
function storeFloorOf(g: EngineGeom, gs: { gr: number; gc: number }, arch: EngineArch, all: number, tn: number, tm: number): (tr: number, tc: number) => number {
  const { gy0, gx0 } = grid(g);
  return (tr, tc) => {
    const outTiles = g.groups * Math.ceil(g.M / tm) * Math.ceil(gs.gr / tr) * Math.ceil(gs.gc / tc);
    const steps = outTiles * Math.ceil(g.N / tn);
    const first = storeTrips(arch, g, tm, outLen(g, 'y', gy0, 0, tr), outLen(g, 'x', gx0, 0, tc));
    return arch.perLayerCycles + steps * arch.perStepCycles + all - first + (outTiles - 1) * arch.moveDepth;
  };
}

/**
 * The best tile of a layer, or (`cycles` ≥ cap, no tile) the proof that none costs less than `cap`.
 * `limited`: some buffer-fit question was answered no, i.e. larger buffers might give another answer.
 */
interface TileResult {
  tile?: EngineLayer;
  cycles: number;
  limited: boolean;
}

/**
 * The row tile candidates of a layer (every distinct tile count) and, for each, the widest column tile that
 * fits the buffers and one narrower split; the first of least cycles (in that order). Candidates are costed
 * lowest floor (tileFloor, storeFloor) first, and one whose floor, or the schedule's own, shows it cannot beat
 * the best so far (nor tie it from an earlier place) or `cap` is not costed: the answer is the one the full
 * enumeration gives whenever it is below `cap`.
 */
function bestTile(g: EngineGeom, spec: EngineSpec, ctx: EngineContext, cap: number, exact: ExactTiles, cost: (tr: number, tc: number, below: number) => number, ends: (tr: number, tc: number) => number): TileResult {
  const gs = grid(g);
  const tn = Math.min(g.N, spec.tif);
  const tm = Math.min(g.M, spec.tof);
  // Every TileResult has the same fields in the same order: one object shape for the search's optimised code.
  if (!tileFits(g, gs, ctx.arch, spec, { tn, tm, tr: 1, tc: 1 })) return { tile: undefined, cycles: Infinity, limited: true };
  // A buffer-fit question answered no: the widest column tile of a row tile whose floor is under `cap` does not
  // fit. (Depths grow with tr and tc, and row tiles come largest first: only the first such row tile can say no,
  // and every enumeration asks it.)
  let limited = false;
  const floorOf = tileFloorOf(g, gs, ctx.arch, tn, tm);
  const storeFloorAt = storeFloorOf(g, gs, ctx.arch, storeAll(g, ctx.arch, ctx.axi, tm), tn, tm);
  // Candidates in enumeration order, at most two per row tile: (tr, tc) pairs and their floors (arrays, not an
  // object per candidate: the search asks tens of thousands of layers; integer tiles keep the tile objects' fields small integers).
  const rowTiles = ceilSet(gs.gr);
  const cands = new Int32Array(4 * rowTiles.length);
  const floors = new Float64Array(2 * rowTiles.length);
  const computeFloors = new Float64Array(2 * rowTiles.length);
  let n = 0;
  for (const tr of rowTiles) {
    // The widest column tile gives this row tile's floor (fewest steps, no column waste).
    if (floorOf(tr, gs.gc) >= cap) continue;
    if (!exact.y(tr)) continue;
    // Widest column tile within the bank depths, then one narrower split.
    const lo = widestTc(g, gs, ctx.arch, spec, tn, tm, tr);
    if (lo < gs.gc) limited = true;
    if (lo < 1) continue;
    const ncMin = Math.ceil(gs.gc / lo);
    for (let nc = ncMin; nc <= Math.min(gs.gc, ncMin + 1); nc++) {
      const tc = Math.ceil(gs.gc / nc);
      if (!exact.x(tc)) continue;
      const computeFloor = floorOf(tr, tc);
      const floor = Math.max(computeFloor, storeFloorAt(tr, tc));
      if (floor < cap) {
        cands[2 * n] = tr;
        cands[2 * n + 1] = tc;
        floors[n] = floor;
        computeFloors[n] = computeFloor;
        n++;
      }
    }
  }
  // Insertion sort by (floor, place): a few dozen candidates, stable like the sort it stands for.
  const order = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    let at = j;
    while (at > 0 && floors[order[at - 1]] > floors[j]) {
      order[at] = order[at - 1];
      at--;
    }
    order[at] = j;
  }
  let best = cap;
  let at = -1;
  for (const j of order) {
    const floor = floors[j];
    if (floor > best) break;
    // An earlier candidate wins a tie; a later one must beat the best.
    if (floor === best && j > at) continue;
    // The compute steps' floor with the schedule's two ends added (the cycles are whole: so is their floor),
    // asked only of the candidates the cheap floors let through.
    const tr = cands[2 * j];
    const tc = cands[2 * j + 1];
    const whole = Math.ceil(computeFloors[j] + ends(tr, tc));
    if (whole > best || (whole === best && j > at)) continue;
    const c = cost(tr, tc, j < at ? best + 1 : best);
    if (c < best || (c === best && j < at)) {
      best = c;
      at = j;
    }
  }
  return { tile: at >= 0 ? { tn, tm, tr: cands[2 * at], tc: cands[2 * at + 1] } : undefined, cycles: best, limited };
}

/** tileClassesExact of a layer's row and column tiles, asked once per search (it depends on the layer alone). */
interface ExactTiles {
  y: (tr: number) => boolean;
  x: (tc: number) => boolean;
}

function exactTiles(g: EngineGeom): ExactTiles {
  const gs = grid(g);
  // 0: not asked yet, 1: exact, 2: not.
  const ys = new Uint8Array(gs.gr + 1);
  const xs = new Uint8Array(gs.gc + 1);
  return {
    y: (tr) => (ys[tr] ||= tileClassesExact(g, 'y', gs.gr, tr) ? 1 : 2) === 1,
    x: (tc) => (xs[tc] ||= tileClassesExact(g, 'x', gs.gc, tc) ? 1 : 2) === 1,
  };
}

/**
 * Best tiles already found for a layer under one array (unroll, port width, channel tiles), with the buffer
 * depths they were found at. A search whose fit questions were all answered yes gives the same answer with
 * deeper buffers (a tile that fits still fits, and the candidates it skipped were skipped on their floors,
 * which do not depend on buffers); so the deeper TOF factors and input depths reuse it.
 */
interface TileMemo {
  inDepth: number;
  wDepth: number;
  outDepth: number;
  r: TileResult;
}

const pow2Ceil = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(1, n)));

/**
 * One engine of the search space: the unroll, the output-channel tile factor, the input depth and the URAM
 * choice; channel tiles hold whole beats (channel-blocked DRAM words are never split between tiles).
 */
export function specFor(o: { pif: number; pof: number; poy: number; pox: number; tf: number; depth: number; uram: boolean; widthBits: number; actBits: number; maxK: number }): EngineSpec {
  const L = o.widthBits / o.actBits;
  const tif = Math.max(L, o.pif);
  const tof = Math.ceil((o.pof * o.tf) / L) * L;
  return {
    pif: o.pif, pof: o.pof, poy: o.poy, pox: o.pox, tif, tof,
    inBufDepth: o.depth, outBufDepth: Math.max(64, (o.depth / 2) * Math.ceil(tof / o.pof)), wBufDepth: Math.max(o.maxK * Math.ceil(tof / o.pof) * Math.ceil(tif / o.pif), 64),
    weightsInUram: o.uram, actInUram: o.uram,
    ports: { read: 1, weight: 1, write: 1, widthBits: o.widthBits as 128 | 256 | 512 },
    overheads: {}, deconv: 'subpixel', layers: {},
  };
}

/** The port width of an unroll: the narrowest that carries the board's bandwidth on three ports and holds PIF channels per beat. */
export function widthFor(pif: number, actBits: number, bandwidthBytesPerSec: number, clockMHz: number): number {
  const bw = ([128, 256, 512] as const).find((wb) => 3 * (wb / 8) * clockMHz * 1e6 >= bandwidthBytesPerSec) ?? 512;
  return Math.max(bw, Math.min(512, pow2Ceil(pif * actBits)));
}

/**
 * Cross-layer engine search (Zhang et al. FPGA'15 §5: one unroll shared by all layers): every unroll within
 * the DSP cap × buffer depths × output-channel tile factors; per layer the tile that minimises its cycles.
 */
export function searchEngine(w: Workload, platform: Platform, tables: CostTables, base: Point): { best: EngineCandidate; all: EngineCandidate[]; evaluated: number; limit: string } {
  const probe: Point = { ...base, arch: 'engine', engine: undefined };
  const full = pathPlan(w, { ...probe, arch: 'engine' }, 'subpixel');
  const fusion = engineFusion(full);
  // Arrays made with Array.from, not .map, here and below: optimised code's inlined .map returns holey arrays where
  // the builtin returns packed ones, and the optimised search was thrown away at the first array of the other kind.
  const plan: SearchLayer[] = Array.from(full.filter((x) => x.kind === 'mac' && !x.serial), (pl) => {
    const geo = engineGeom(pl.layer, pl.lowered!, 'subpixel', fusion.store.get(pl.id));
    return { pl, geo, key: `${JSON.stringify(geo)},${pl.precision.name}` };
  });
  const p = widest(full);
  const caps = { ...DEFAULT_CAPS, ...base.caps } as Record<ResourceKind, number>;
  const limit = Object.fromEntries(RESOURCE_KINDS.map((k) => [k, Math.floor(platform.available[k] * caps[k])])) as Record<ResourceKind, number>;
  let maxK = 1;
  for (const x of plan) maxK = Math.max(maxK, weightTaps(x.geo));
  const all: EngineCandidate[] = [];
  let evaluated = 0;
  let smallest: Record<ResourceKind, number> | undefined;
  const unrolls: [number, number, number, number][] = [];
  // Arrays a cap refused (by the DSP count alone, or every buffer setting by some resource): what a faster
  // design would need, for `limit`.
  const tooBig: { u: number[]; kind: ResourceKind; need: number }[] = [];
  const refused = new Map<string, { kind: ResourceKind; need: number; over: number }>();
  // AXI port width: the narrowest whose three ports together can carry the board's sustained bandwidth and
  // whose beat holds PIF channels.
  const f = base.clockMHz * 1e6;
  const bwWidth = ([128, 256, 512] as const).find((wb) => 3 * (wb / 8) * f >= platform.bandwidthBytesPerSec) ?? 512;
  const perLayer = tables.coefficients.engine.perLayerCycles;
  const urams = platform.available.uram > 0 ? [false, true] : [false];
  const dpm = dspPerMac(tables.packing, platform.spec.dspFamily, p);
  const bwWidthOf = (pif: number) => widthFor(pif, p.actBits, platform.bandwidthBytesPerSec, base.clockMHz);
  // Emittable integer arrays read PIF channels out of a beat: PIF a power of two that divides the beat's lanes.
  const pifs = p.kind === 'int' ? PIF.filter((x) => (x & (x - 1)) === 0 && x * p.actBits <= 512) : PIF;
  for (const pif of pifs) for (const pof of POF) for (const [poy, pox] of SPATIAL) {
    const lanes = pif * pof * poy * pox;
    const L = Math.max(bwWidthOf(pif), 128) / p.actBits;
    const m = engineMultipliers({ pif, pof, poy, pox } as EngineSpec, L, dpm.dspPerMac, dpm.dspPerMac < 1 && dpm.sharedOperand, p.kind === 'int');
    if (lanes > 0 && m.mac + m.post <= limit.dsp) unrolls.push([pif, pof, poy, pox]);
    else if (lanes > 0) tooBig.push({ u: [pif, pof, poy, pox], kind: 'dsp', need: m.mac + m.post });
  }
  if (!unrolls.length) unrolls.push([1, 1, 1, 1]);

  // Layers of the same shape and precision (repeated blocks, slice instances) share their best tile.
  const shapes: { geo: EngineGeom; count: number; exact: ExactTiles }[] = [];
  const shapeOf = Array.from(plan, (x) => plan.findIndex((y) => y.key === x.key));
  const shapeIndex = new Map<number, number>();
  for (const i of shapeOf) {
    if (!shapeIndex.has(i)) {
      shapeIndex.set(i, shapes.length);
      shapes.push({ geo: plan[i].geo, count: 0, exact: exactTiles(plan[i].geo) });
    }
    shapes[shapeIndex.get(i)!].count++;
  }
  const memo = new Map<string, TileMemo[]>();
  // The cycles of a tile depend on the array (unroll, port width, hence the context) and the tile, not on the
  // buffer depths or the TOF factor that only decide which tiles fit: engines that differ only there share them.
  // So do their schedulers (the context is the array's).
  const tileCosts = new Map<string, { known: Map<number, number>; cycler?: ReturnType<typeof engineLayerCycler>; ends?: ReturnType<typeof engineLayerEnds> }>();
  const tileFor = (si: number, spec: EngineSpec, ctx: EngineContext, cap: number): TileResult => {
    const g = shapes[si].geo;
    const tn = Math.min(g.N, spec.tif);
    const tm = Math.min(g.M, spec.tof);
    const key = `${si}|${spec.pif},${spec.pof},${spec.poy},${spec.pox},${spec.ports.widthBits},${tn},${tm}`;
    let list = memo.get(key);
    if (!list) memo.set(key, (list = []));
    for (const e of list) {
      const same = e.inDepth === spec.inBufDepth && e.wDepth === spec.wBufDepth && e.outDepth === spec.outBufDepth;
      const deeper = e.inDepth <= spec.inBufDepth && e.wDepth <= spec.wBufDepth && e.outDepth <= spec.outBufDepth;
      if (!same && (e.r.limited || !deeper)) continue;
      // A tile is the answer whatever the cap; without one, the entry only proves "no tile below its cycles".
      if (e.r.tile || e.r.cycles >= cap) return e.r;
    }
    let costs = tileCosts.get(key);
    if (!costs) tileCosts.set(key, (costs = { known: new Map() }));
    const known = costs.known;
    const gs = grid(g);
    const r = bestTile(g, spec, ctx, cap, shapes[si].exact, (tr, tc, below) => {
      const k = tr * (gs.gc + 1) + tc;
      // Costs, and floors (negated) that answer a question with a cap no higher.
      const c = known.get(k);
      if (c !== undefined && (c >= 0 || -c >= below)) return Math.abs(c);
      costs.cycler ??= engineLayerCycler(g, gs, ctx, tn, tm);
      const e = costs.cycler(tr, tc, below);
      known.set(k, e);
      return Math.abs(e);
    }, (tr, tc) => (costs.ends ??= engineLayerEnds(g, gs, ctx, tn, tm))(tr, tc));
    evaluated++;
    list.push({ inDepth: spec.inBufDepth, wDepth: spec.wBufDepth, outDepth: spec.outBufDepth, r });
    return r;
  };

  let lastCycles: Float64Array | undefined;
  // Set by evaluateSpec when it refused a design over a cap that deeper buffers or a larger TOF factor only raise.
  let overFrom: ResourceKind | undefined;
  const evaluateSpec = (pif: number, pof: number, poy: number, pox: number, tf: number, depth: number, uram: boolean, ceiling: number): EngineCandidate | undefined => {
    const spec = specFor({ pif, pof, poy, pox, tf, depth, uram, widthBits: bwWidthOf(pif), actBits: p.actBits, maxK });
    const r = engineResourcesWith(spec, p, dpm, tables);
    if (!smallest || r.dsp + r.bram18 < smallest.dsp + smallest.bram18) smallest = r;
    const worst = RESOURCE_KINDS.reduce((a, k) => (r[k] / Math.max(1, limit[k]) > r[a] / Math.max(1, limit[a]) ? k : a), RESOURCE_KINDS[0]);
    if (r[worst] > limit[worst]) {
      const key = `${pif},${pof},${poy},${pox}`;
      const over = r[worst] / Math.max(1, limit[worst]);
      if (!(refused.get(key)?.over! <= over)) refused.set(key, { kind: worst, need: r[worst], over });
      overFrom = over > 1 && GROWS_WITH_BUFFERS.has(worst) ? worst : undefined;
      return undefined;
    }
    refused.set(`${pif},${pof},${poy},${pox}`, { kind: worst, need: 0, over: 0 });
    // A design found earlier with no more DSP and BRAM18 and no more cycles makes this one useless: it can be
    // neither the best (ties go to the earlier) nor on the front (dominated or a later duplicate); nor is one
    // slower than `ceiling`. So the layers are costed only while their total may still come under `useful`.
    let useful = ceiling + 1;
    for (const q of all) if (q.resources.dsp <= r.dsp && q.resources.bram18 <= r.bram18 && q.cycles < useful) useful = q.cycles;
    const ctx = engineContext(spec, p, platform, tables, base.clockMHz);
    // Per-shape numbers in typed arrays (here and below): one element kind whatever their representation, so the
    // optimised search is not thrown away and recompiled when a design brings a non-small number.
    const floors = Float64Array.from(shapes, ({ geo, count }) => {
      const gs = grid(geo);
      return count * tileFloor(geo, gs, ctx.arch, { tn: spec.tif, tm: spec.tof, tr: gs.gr, tc: gs.gc });
    });
    // `acc`: the cycles costed so far plus the floors of the layers not costed yet.
    let acc = floors.reduce((x, y) => x + y, 0);
    if (acc >= useful) return undefined;
    const found: TileResult[] = [];
    // The layers that overshoot their floor most (as they did in the last design completed) for their search
    // effort first: they raise `acc` soonest, so a design that cannot be kept is dropped early. Order only.
    // Per row-tile candidate, as those are what a layer costs to search.
    const gap = Float64Array.from(shapes, (x, i) => (lastCycles ? x.count * lastCycles[i] - floors[i] : floors[i]) / ceilSet(grid(x.geo).gr).length);
    const order = Array.from(shapes, (_, i) => i).sort((x, y) => gap[y] - gap[x] || x - y);
    for (const i of order) {
      acc -= floors[i];
      const t = tileFor(i, spec, ctx, (useful - acc) / shapes[i].count);
      if (!t.tile) return undefined;
      found[i] = t;
      acc += shapes[i].count * t.cycles;
    }
    lastCycles = Float64Array.from(found, (t) => t.cycles);
    let cycles = 0;
    const layers: Record<string, EngineLayer> = {};
    plan.forEach((x, k) => {
      const t = found[shapeIndex.get(shapeOf[k])!];
      layers[x.pl.id] = t.tile!;
      cycles += t.cycles;
    });
    return { spec: { ...spec, layers }, cycles, resources: { dsp: r.dsp, bram18: r.bram18, uram: r.uram, lut: r.lut, ff: r.ff } };
  };

  // Branch and bound: a lower bound of an unroll's cycles is its pure compute with no tiling waste
  // (Σ ⌈N/pif⌉·⌈M/pof⌉·⌈R/poy⌉·⌈C/pox⌉·taps per layer) plus the per-layer overhead; tiles only add to it.
  // Unrolls are visited in bound order and the search stops when the bound reaches the best found: exact.
  // Per layer: groups·passes, N, M, grid rows and columns, taps.
  const dims = new Float64Array(6 * plan.length);
  plan.forEach(({ geo: g }, j) => dims.set([g.groups * g.passes, g.N, g.M, grid(g).gr, grid(g).gc, tapCount(g)], 6 * j));
  const bound = ([pif, pof, poy, pox]: [number, number, number, number]) => {
    let sum = 0;
    for (let j = 0; j < dims.length; j += 6) sum = sum + dims[j] * Math.ceil(dims[j + 1] / pif) * Math.ceil(dims[j + 2] / pof) * Math.ceil(dims[j + 3] / poy) * Math.ceil(dims[j + 4] / pox) * dims[j + 5] + perLayer;
    return sum;
  };
  const ordered = Array.from(unrolls, (u, i) => ({ u, i, lb: bound(u) })).sort((a, b) => a.lb - b.lb || a.i - b.i);
  let bestCycles = Infinity;
  const visited = new Set<string>();
  for (const { u, lb } of ordered) {
    if (lb >= bestCycles) break;
    // Per URAM choice, the smallest input depth refused over a cap that grows with the buffers: every deeper setting,
    // at this TOF factor and the larger ones, is over it too (its refusal would change neither `refused`, which keeps
    // the least excess, nor `smallest`), so it is not built. test/search/engine-search.test.ts holds the growth.
    const refusedFrom = urams.map(() => Infinity);
    for (const tf of TOF_FACTORS) {
      for (const depth of DEPTHS) {
        for (const [ui, uram] of urams.entries()) {
          visited.add(`${u.join(',')},${tf},${depth}`);
          if (depth >= refusedFrom[ui]) continue;
          // Within the bound, only designs as fast as the best so far are kept (the front's fast end is the
          // chain of improvements): the slower ones are what makes an exhaustive front cost seconds.
          overFrom = undefined;
          const c = evaluateSpec(u[0], u[1], u[2], u[3], tf, depth, uram, bestCycles);
          if (overFrom) refusedFrom[ui] = Math.min(refusedFrom[ui], depth);
          if (!c) continue;
          all.push(c);
          bestCycles = Math.min(bestCycles, c.cycles);
        }
      }
    }
  }
  // The Pareto front also wants the cheaper, slower arrays the bound skipped: one buffer setting each,
  // at most ~FILLERS of them spread evenly over the unroll list.
  const step = Math.max(1, Math.floor(ordered.length / FILLERS));
  for (let i = 0; i < ordered.length; i += step) {
    const u = ordered[i].u;
    if (visited.has(`${u.join(',')},1,2048`)) continue;
    const c = evaluateSpec(u[0], u[1], u[2], u[3], 1, 2048, false, Infinity);
    if (c) all.push(c);
  }
  if (!all.length) {
    const s = smallest!;
    const over = RESOURCE_KINDS.filter((k) => s[k] > limit[k]).map((k) => `${k} ${s[k]} > ${limit[k]} (cap ${caps[k]} of ${platform.available[k]})`);
    throw new UserError(`no engine design fits ${platform.name}: even the smallest needs ${over.join(', ') || 'more buffer than allowed'}`, { field: 'budget' });
  }
  const best = all.reduce((a, b) => (b.cycles < a.cycles || (b.cycles === a.cycles && b.resources.dsp < a.resources.dsp) ? b : a));
  return { best, all, evaluated, limit: whyNoFaster(best.cycles) };

  /**
   * Why no faster engine: among the arrays whose compute floor is under the best design's cycles, the one a
   * cap misses by least (the cap that binds); or, when all of those fit, that they are slower once tiled.
   */
  function whyNoFaster(cycles: number): string {
    const faster = [
      ...tooBig.map((t) => ({ u: t.u, kind: t.kind, need: t.need })),
      ...[...refused].filter(([, v]) => v.need > 0).map(([k, v]) => ({ u: k.split(',').map(Number), kind: v.kind, need: v.need })),
    ].map((t) => ({ ...t, lb: bound(t.u as [number, number, number, number]) })).filter((t) => t.lb < cycles);
    const fmt = (n: number) => n.toLocaleString('en-US');
    // Arrays within the caps whose compute floor beats the best but whose tiled cost does not.
    const slower = ordered.filter((o) => o.lb < cycles && !(o.u[0] === best.spec.pif && o.u[1] === best.spec.pof && o.u[2] === best.spec.poy && o.u[3] === best.spec.pox)).length;
    const t = faster.length ? faster.reduce((a, b) => (b.need / limit[b.kind] < a.need / limit[a.kind] ? b : a)) : undefined;
    const capText = t && `an array whose compute alone takes ${fmt(t.lb)} < ${fmt(cycles)} cycles (pif${t.u[0]} pof${t.u[1]} poy${t.u[2]} pox${t.u[3]}) needs ${t.kind} ${fmt(t.need)} > cap ${fmt(limit[t.kind])}`;
    // A cap missed by a quarter or more does not bind while arrays that fit are already slower once tiled.
    if (t && (slower === 0 || t.need <= 1.25 * limit[t.kind])) return capText!;
    if (slower > 0) return `the ${slower} larger arrays within the caps are slower once tiled (DRAM transfers, latency and per-step overheads outweigh their compute)${t ? `; beyond them, ${capText}` : ''}`;
    return 'already the largest array of the search space';
  }
}
