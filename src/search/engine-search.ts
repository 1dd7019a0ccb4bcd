import { UserError } from '../errors.js';
import type { EngineLayer, EngineSpec, Point } from '../mapping/schema.js';
import type { Platform, ResourceKind } from '../platform/schema.js';
import type { CostTables } from '../platform/tables.js';
import type { Workload } from '../workload/types.js';
import { engineLayerCost, macPipelineDepth, tileFits } from '../cost/engine.js';
import { DEFAULT_CAPS, pathPlan, widest, type PathLayer } from '../cost/evaluate.js';
import type { Lowered } from '../cost/lower.js';
import { addResources, engineResources, macDsp, postLaneDsp } from '../cost/resources.js';
import { engineNormResources, normKinds } from '../cost/norm.js';
import { RESOURCE_KINDS } from '../platform/schema.js';

export const PIF = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128];
export const POF = [1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256];
export const SPATIAL: [number, number][] = [[1, 1], [1, 2], [2, 2], [2, 4], [4, 4]];
export const DEPTHS = [512, 1024, 2048, 4096, 8192, 16384];
export const TOF_FACTORS = [1, 2, 4];

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

/** The row tile candidates of a layer and, for each, the widest column tile that fits the buffers. */
function bestTile(lw: Lowered, spec: EngineSpec, pl: PathLayer, ctx: Parameters<typeof engineLayerCost>[3]): { tile: EngineLayer; cycles: number } | undefined {
  const tn = Math.min(lw.N, spec.tif);
  const tm = Math.min(lw.M, spec.tof);
  let best: { tile: EngineLayer; cycles: number } | undefined;
  const spatial = spec.poy * spec.pox;
  const chIn = Math.ceil(tn / spec.pif);
  const chOut = Math.ceil(tm / spec.pof);
  if (chIn * chOut * lw.taps > spec.wBufDepth && !lw.secondIsActivation) return undefined;
  for (const tr of ceilSet(lw.R)) {
    // Widest column tile within the input and output bank depths (tileNeeds, solved for tc), then the few
    // narrower tiles that split the row into 1–3 more pieces (ceil waste against per-tile overhead).
    const inTileH = Math.min(lw.inH, (tr - 1) * lw.S + lw.kh);
    const maxInW = Math.floor((spec.inBufDepth * spatial) / (chIn * inTileH));
    if (maxInW < Math.min(lw.inW, lw.kw)) continue;
    let tcMax = maxInW >= lw.inW ? lw.C : Math.floor((maxInW - lw.kw) / lw.S) + 1;
    tcMax = Math.min(tcMax, lw.C, Math.floor(spec.outBufDepth / (chOut * tr * lw.outPerPosition)));
    if (lw.secondIsActivation) tcMax = Math.min(tcMax, Math.floor((spec.wBufDepth * spatial) / (tr * (lw.secondDim === 'N' ? tn : tm))));
    if (tcMax < 1) continue;
    const ncMin = Math.ceil(lw.C / tcMax);
    for (let nc = ncMin; nc <= Math.min(lw.C, ncMin + 3); nc++) {
      const tile = { tn, tm, tr, tc: Math.ceil(lw.C / nc) };
      if (!tileFits(lw, spec, tile)) continue;
      const c = engineLayerCost(lw, tile, pl.precision, ctx).cycles;
      if (!best || c < best.cycles) best = { tile, cycles: c };
    }
  }
  return best;
}

/**
 * Cross-layer engine search (Zhang et al. FPGA'15 §5: one unroll shared by all layers): every unroll within
 * the DSP cap × buffer depths × output-channel tile factors; per layer the tile that minimises its cycles.
 */
export function searchEngine(w: Workload, platform: Platform, tables: CostTables, base: Point): { best: EngineCandidate; all: EngineCandidate[]; evaluated: number } {
  const probe: Point = { ...base, arch: 'engine', engine: undefined };
  const plan = pathPlan(w, { ...probe, arch: 'engine' }, 'subpixel').filter((p) => p.kind === 'mac' && !p.serial);
  const p = widest(pathPlan(w, probe, 'subpixel'));
  const caps = { ...DEFAULT_CAPS, ...base.caps } as Record<ResourceKind, number>;
  const limit = Object.fromEntries(RESOURCE_KINDS.map((k) => [k, Math.floor(platform.available[k] * caps[k])])) as Record<ResourceKind, number>;
  const maxK = Math.max(1, ...plan.map((x) => x.lowered!.taps));
  const norms = normKinds(plan);
  const all: EngineCandidate[] = [];
  let evaluated = 0;
  let smallest: Record<ResourceKind, number> | undefined;
  const unrolls: [number, number, number, number][] = [];
  for (const pif of PIF) for (const pof of POF) for (const [poy, pox] of SPATIAL) {
    const lanes = pif * pof * poy * pox;
    if (macDsp(tables, platform.spec.dspFamily, p, lanes, pof) + postLaneDsp(p, pof * poy * pox) <= limit.dsp) unrolls.push([pif, pof, poy, pox]);
  }
  if (!unrolls.length) unrolls.push([1, 1, 1, 1]);
  // AXI port width: the narrowest whose three ports together can carry the board's sustained bandwidth.
  const f = base.clockMHz * 1e6;
  const widthBits = ([128, 256, 512] as const).find((wb) => 3 * (wb / 8) * f >= platform.bandwidthBytesPerSec) ?? 512;
  const perLayer = tables.coefficients.engine.perLayerCycles;

  const evaluateSpec = (pif: number, pof: number, poy: number, pox: number, tf: number, depth: number): EngineCandidate | undefined => {
    const spec: EngineSpec = {
      pif, pof, poy, pox, tif: pif, tof: pof * tf,
      inBufDepth: depth, outBufDepth: Math.max(64, (depth / 2) * tf), wBufDepth: Math.max(maxK * tf, 64),
      weightsInUram: false,
      ports: { read: 1, weight: 1, write: 1, widthBits },
      overheads: {}, deconv: 'subpixel', layers: {},
    };
    const r = addResources(engineResources(spec, p, platform.spec.dspFamily, tables), engineNormResources(spec, norms, p, platform.spec.dspFamily, tables));
    if (!smallest || r.dsp + r.bram18 < smallest.dsp + smallest.bram18) smallest = r;
    if (RESOURCE_KINDS.some((k) => r[k] > limit[k])) return undefined;
    const ctx = {
      spec, dramBytesPerCycle: platform.bandwidthBytesPerSec / f,
      perTileCycles: tables.coefficients.engine.perTileCycles, perLayerCycles: perLayer,
      pipelineDepth: macPipelineDepth(pif, p),
    };
    let cycles = 0;
    const layers: Record<string, EngineLayer> = {};
    // Layers of the same shape and precision (repeated blocks, slice instances) share their best tile.
    const memo = new Map<string, ReturnType<typeof bestTile>>();
    for (const pl of plan) {
      const key = shapeKey(pl);
      let t = memo.get(key);
      if (!memo.has(key)) {
        t = bestTile(pl.lowered!, spec, pl, ctx);
        memo.set(key, t);
        evaluated++;
      }
      if (!t) return undefined;
      layers[pl.id] = t.tile;
      cycles += t.cycles;
    }
    return { spec: { ...spec, layers }, cycles, resources: { dsp: r.dsp, bram18: r.bram18, uram: r.uram, lut: r.lut, ff: r.ff } };
  };

  // Branch and bound: a lower bound of an unroll's cycles is its pure compute with no tiling waste
  // (Σ ⌈N/pif⌉·⌈M/pof⌉·⌈R/poy⌉·⌈C/pox⌉·taps per layer) plus the per-layer overhead; tiles only add to it.
  // Unrolls are visited in bound order and the search stops when the bound reaches the best found: exact.
  const bound = ([pif, pof, poy, pox]: [number, number, number, number]) => plan.reduce((sum, pl) => {
    const l = pl.lowered!;
    return sum + l.groups * Math.ceil(l.N / pif) * Math.ceil(l.M / pof) * Math.ceil(l.R / poy) * Math.ceil(l.C / pox) * l.taps + perLayer;
  }, 0);
  const ordered = unrolls.map((u, i) => ({ u, i, lb: bound(u) })).sort((a, b) => a.lb - b.lb || a.i - b.i);
  let bestCycles = Infinity;
  const visited = new Set<string>();
  for (const { u, lb } of ordered) {
    if (lb >= bestCycles) break;
    for (const tf of TOF_FACTORS) {
      for (const depth of DEPTHS) {
        visited.add(`${u.join(',')},${tf},${depth}`);
        const c = evaluateSpec(u[0], u[1], u[2], u[3], tf, depth);
        if (!c) continue;
        all.push(c);
        bestCycles = Math.min(bestCycles, c.cycles);
      }
    }
  }
  // The Pareto front also wants the cheaper, slower arrays the bound skipped: one buffer setting each,
  // at most ~64 of them spread evenly over the unroll list.
  const step = Math.max(1, Math.floor(ordered.length / 64));
  for (let i = 0; i < ordered.length; i += step) {
    const u = ordered[i].u;
    if (visited.has(`${u.join(',')},1,2048`)) continue;
    const c = evaluateSpec(u[0], u[1], u[2], u[3], 1, 2048);
    if (c) all.push(c);
  }
  if (!all.length) {
    const s = smallest!;
    const over = RESOURCE_KINDS.filter((k) => s[k] > limit[k]).map((k) => `${k} ${s[k]} > ${limit[k]} (cap ${caps[k]} of ${platform.available[k]})`);
    throw new UserError(`no engine design fits ${platform.name}: even the smallest needs ${over.join(', ') || 'more buffer than allowed'}`, { field: 'budget' });
  }
  const best = all.reduce((a, b) => (b.cycles < a.cycles || (b.cycles === a.cycles && b.resources.dsp < a.resources.dsp) ? b : a));
  return { best, all, evaluated };
}
