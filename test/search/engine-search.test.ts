import { describe, expect, it } from 'vitest';
import { engineLayerCost, macPipelineDepth, tileFits } from '../../src/cost/engine.js';
import { DEFAULT_CAPS, pathPlan } from '../../src/cost/evaluate.js';
import { addResources, engineResources } from '../../src/cost/resources.js';
import { engineNormResources, normKinds } from '../../src/cost/norm.js';
import type { EngineSpec } from '../../src/mapping/schema.js';
import { RESOURCE_KINDS } from '../../src/platform/schema.js';
import { DEPTHS, PIF, POF, SPATIAL, TOF_FACTORS, searchEngine } from '../../src/search/engine-search.js';
import { workloadFromDoc } from '../helpers.js';
import { board, modelDoc, point, tables } from '../cost/helpers.js';

/** Every unroll, buffer size and tile (every tr ≤ R, tc ≤ C): the fewest total cycles within the caps. */
function exhaustive(doc: object, w: number, h: number, dsp: number) {
  const wl = workloadFromDoc(doc, w, h);
  const pl = board({ dsp });
  const pt = point({ arch: 'engine', engine: { pif: 1, pof: 1, tif: 1, tof: 1, inBufDepth: 1, outBufDepth: 1, wBufDepth: 1 } });
  const plan = pathPlan(wl, pt).filter((p) => p.kind === 'mac');
  const p = plan[0].precision;
  const limit = Object.fromEntries(RESOURCE_KINDS.map((k) => [k, Math.floor(pl.available[k] * DEFAULT_CAPS[k])]));
  const maxK = Math.max(...plan.map((x) => x.lowered!.taps));
  const widthBits = ([128, 256, 512] as const).find((wb) => 3 * (wb / 8) * 100e6 >= pl.bandwidthBytesPerSec) ?? 512;
  let best = Infinity;
  for (const pif of PIF) for (const pof of POF) for (const [poy, pox] of SPATIAL) for (const tf of TOF_FACTORS) for (const depth of DEPTHS) {
    const spec: EngineSpec = {
      pif, pof, poy, pox, tif: pif, tof: pof * tf, inBufDepth: depth, outBufDepth: Math.max(64, (depth / 2) * tf), wBufDepth: Math.max(maxK * tf, 64),
      weightsInUram: false, ports: { read: 1, weight: 1, write: 1, widthBits }, overheads: {}, deconv: 'subpixel', layers: {},
    };
    // The array plus the GDN normalisation units (squarers, scale tables) of the kinds the path runs.
    const r = addResources(engineResources(spec, p, pl.spec.dspFamily, tables), engineNormResources(spec, normKinds(plan), p, pl.spec.dspFamily, tables));
    if (RESOURCE_KINDS.some((k) => r[k] > limit[k])) continue;
    const ctx = { spec, dramBytesPerCycle: pl.bandwidthBytesPerSec / 100e6, perTileCycles: tables.coefficients.engine.perTileCycles, perLayerCycles: tables.coefficients.engine.perLayerCycles, pipelineDepth: macPipelineDepth(pif, p) };
    let total = 0;
    for (const x of plan) {
      const lw = x.lowered!;
      let m = Infinity;
      for (let tr = 1; tr <= lw.R; tr++) for (let tc = 1; tc <= lw.C; tc++) {
        const t = { tn: Math.min(lw.N, spec.tif), tm: Math.min(lw.M, spec.tof), tr, tc };
        if (tileFits(lw, spec, t)) m = Math.min(m, engineLayerCost(lw, t, x.precision, ctx).cycles);
      }
      total += m;
    }
    best = Math.min(best, total);
  }
  const s = searchEngine(wl, pl, tables, pt);
  return { exhaustive: best, search: s.best.cycles, best: s.best };
}

describe('engine search', () => {
  const cases: [string, object, number, number, number][] = [
    ['two convs', modelDoc([{ name: 'a', op: 'conv', cout: 12, kernel: 3, stride: 2 }, { name: 'r', op: 'relu' }, { name: 'b', op: 'conv', cout: 16, kernel: 3 }]), 24, 20, 40],
    ['conv, GDN, deconv', modelDoc([{ name: 'a', op: 'conv', cout: 8, kernel: 5, stride: 2 }, { name: 'g', op: 'gdn' }, { name: 'd', op: 'deconv', cout: 3, kernel: 5, stride: 2 }]), 16, 16, 60],
    ['a 1×1 layer', modelDoc([{ name: 'a', op: 'conv', cout: 24, kernel: 1 }]), 12, 10, 24],
  ];
  for (const [name, doc, w, h, dsp] of cases) {
    it(`finds the exhaustive optimum: ${name} (${dsp} DSP)`, () => {
      const r = exhaustive(doc, w, h, dsp);
      expect(r.search).toBe(r.exhaustive);
    });
  }
});
