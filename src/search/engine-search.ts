import { UserError } from '../errors.js';
import type { EngineLayer, EngineSpec, Point } from '../mapping/schema.js';
import type { Platform, ResourceKind } from '../platform/schema.js';
import type { CostTables } from '../platform/tables.js';
import type { Workload } from '../workload/types.js';
import { engineLayerCost, macPipelineDepth } from '../cost/engine.js';
import { DEFAULT_CAPS, pathPlan, widest, type PathLayer } from '../cost/evaluate.js';
import type { Lowered } from '../cost/lower.js';
import { engineResources, macDsp, postLaneDsp } from '../cost/resources.js';
import { RESOURCE_KINDS } from '../platform/schema.js';

const PIF = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128];
const POF = [1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256];
const SPATIAL: [number, number][] = [[1, 1], [1, 2], [2, 2], [2, 4], [4, 4]];
const DEPTHS = [512, 1024, 2048, 4096, 8192, 16384];
const TOF_FACTORS = [1, 2, 4];

export interface EngineCandidate {
  spec: EngineSpec;
  cycles: number;
  resources: Record<ResourceKind, number>;
}

const pow2Down = (n: number) => {
  const out = new Set<number>([n]);
  for (let v = 1; v < n; v *= 2) out.add(v);
  return [...out].sort((a, b) => b - a);
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
  for (const tr of pow2Down(lw.R)) {
    // Widest column tile within the input and output bank depths (tileNeeds, solved for tc).
    const inTileH = Math.min(lw.inH, (tr - 1) * lw.S + lw.kh);
    const maxInW = Math.floor((spec.inBufDepth * spatial) / (chIn * inTileH));
    if (maxInW < Math.min(lw.inW, lw.kw)) continue;
    let tc = maxInW >= lw.inW ? lw.C : Math.floor((maxInW - lw.kw) / lw.S) + 1;
    tc = Math.min(tc, lw.C, Math.floor(spec.outBufDepth / (chOut * tr * lw.outPerPosition)));
    if (lw.secondIsActivation) tc = Math.min(tc, Math.floor((spec.wBufDepth * spatial) / (tr * (lw.secondDim === 'N' ? tn : tm))));
    if (tc < 1) continue;
    const tile = { tn, tm, tr, tc };
    const c = engineLayerCost(lw, tile, pl.precision, ctx).cycles;
    if (!best || c < best.cycles) best = { tile, cycles: c };
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
  const all: EngineCandidate[] = [];
  let evaluated = 0;
  let smallest: Record<ResourceKind, number> | undefined;
  const unrolls: [number, number, number, number][] = [];
  for (const pif of PIF) for (const pof of POF) for (const [poy, pox] of SPATIAL) {
    const lanes = pif * pof * poy * pox;
    if (macDsp(tables, platform.spec.dspFamily, p, lanes, pof) + postLaneDsp(p, pof * poy * pox) <= limit.dsp) unrolls.push([pif, pof, poy, pox]);
  }
  if (!unrolls.length) unrolls.push([1, 1, 1, 1]);
  // Arrays far smaller than the largest that fits are dominated; keep the top quarter by lanes.
  const maxLanes = Math.max(...unrolls.map(([a, b, c, d]) => a * b * c * d));
  const kept = unrolls.filter(([a, b, c, d]) => a * b * c * d * 4 >= maxLanes);
  for (const [pif, pof, poy, pox] of kept) {
    {
      {
        for (const tf of TOF_FACTORS) {
          for (const depth of DEPTHS) {
            const spec: EngineSpec = {
              pif, pof, poy, pox, tif: pif, tof: pof * tf,
              inBufDepth: depth, outBufDepth: Math.max(64, (depth / 2) * tf), wBufDepth: Math.max(maxK * tf, 64),
              weightsInUram: false,
              ports: { read: 1, weight: 1, write: 1, widthBits: 128 },
              overheads: {}, deconv: 'subpixel', layers: {},
            };
            const r = engineResources(spec, p, platform.spec.dspFamily, tables);
            if (!smallest || r.dsp + r.bram18 < smallest.dsp + smallest.bram18) smallest = r;
            if (RESOURCE_KINDS.some((k) => r[k] > limit[k])) continue;
            const ctx = {
              spec, dramBytesPerCycle: platform.bandwidthBytesPerSec / (base.clockMHz * 1e6),
              perTileCycles: tables.coefficients.engine.perTileCycles, perLayerCycles: tables.coefficients.engine.perLayerCycles,
              pipelineDepth: macPipelineDepth(pif, p),
            };
            let cycles = 0;
            const layers: Record<string, EngineLayer> = {};
            let ok = true;
            for (const pl of plan) {
              const t = bestTile(pl.lowered!, spec, pl, ctx);
              evaluated++;
              if (!t) {
                ok = false;
                break;
              }
              layers[pl.id] = t.tile;
              cycles += t.cycles;
            }
            if (!ok) continue;
            all.push({ spec: { ...spec, layers }, cycles, resources: { dsp: r.dsp, bram18: r.bram18, uram: r.uram, lut: r.lut, ff: r.ff } });
          }
        }
      }
    }
  }
  if (!all.length) {
    const s = smallest!;
    const over = RESOURCE_KINDS.filter((k) => s[k] > limit[k]).map((k) => `${k} ${s[k]} > ${limit[k]} (cap ${caps[k]} of ${platform.available[k]})`);
    throw new UserError(`no engine design fits ${platform.name}: even the smallest needs ${over.join(', ') || 'more buffer than allowed'}`, { field: 'budget' });
  }
  const best = all.reduce((a, b) => (b.cycles < a.cycles || (b.cycles === a.cycles && b.resources.dsp < a.resources.dsp) ? b : a));
  return { best, all, evaluated };
}
