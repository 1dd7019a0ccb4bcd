import { describe, expect, it } from 'vitest';
import { engineMultipliers, grid, weightTaps } from '../../src/arch/engine.js';
import { engineGeom } from '../../src/arch/geometry.js';
import { engineContext, engineFusion } from '../../src/cost/engine-design.js';
import { engineLayerCost, engineLayerEnds, tileFits } from '../../src/cost/engine.js';
import { DEFAULT_CAPS, pathPlan, widest } from '../../src/cost/evaluate.js';
import { engineResources, engineResourcesWith } from '../../src/cost/resources.js';
import { loadCostTables, loadPlatform } from '../../src/platform/load.js';
import { parsePrecision } from '../../src/platform/precision.js';
import { RESOURCE_KINDS } from '../../src/platform/schema.js';
import { DEPTHS, GROWS_WITH_BUFFERS, PIF, POF, SPATIAL, TOF_FACTORS, ceilSet, searchEngine, specFor, storeAll, storeFloor, tileFloor, widthFor } from '../../src/search/engine-search.js';
import { basePoint } from '../../src/mapping/base-point.js';
import { contextFor } from '../../src/mapping/load.js';
import type { EngineSpec } from '../../src/mapping/schema.js';
import { dspPerMac } from '../../src/platform/tables.js';
import { mulberry32 } from '../../src/util/prng.js';
import { workloadFromDoc } from '../helpers.js';
import { board, modelDoc, point, tables } from '../cost/helpers.js';

/** Every unroll, buffer size and tile (every tr, tc of the compute grid): the fewest total cycles within the caps. */
function exhaustive(doc: object, w: number, h: number, dsp: number) {
  const wl = workloadFromDoc(doc, w, h);
  const pl = board({ dsp });
  const pt = point({ arch: 'engine', engine: { pif: 1, pof: 1, tif: 1, tof: 1, inBufDepth: 1, outBufDepth: 1, wBufDepth: 1 } });
  const full = pathPlan(wl, pt);
  const fusion = engineFusion(full);
  const plan = full.filter((x) => x.kind === 'mac').map((x) => engineGeom(x.layer, x.lowered!, 'subpixel', fusion.store.get(x.id)));
  const p = full.find((x) => x.kind === 'mac')!.precision;
  const limit = Object.fromEntries(RESOURCE_KINDS.map((k) => [k, Math.floor(pl.available[k] * DEFAULT_CAPS[k])]));
  const maxK = Math.max(...plan.map(weightTaps));
  let best = Infinity;
  const pifs = PIF.filter((x) => (x & (x - 1)) === 0);
  for (const pif of pifs) for (const pof of POF) for (const [poy, pox] of SPATIAL) for (const tf of TOF_FACTORS) for (const depth of DEPTHS) {
    const spec = specFor({ pif, pof, poy, pox, tf, depth, uram: false, widthBits: widthFor(pif, p.actBits, pl.bandwidthBytesPerSec, 100), actBits: p.actBits, maxK });
    const r = engineResources(spec, p, pl.spec.dspFamily, tables);
    if (RESOURCE_KINDS.some((k) => r[k] > limit[k])) continue;
    const ctx = engineContext(spec, p, pl, tables, 100);
    let total = 0;
    for (const g of plan) {
      const gs = grid(g);
      let m = Infinity;
      for (let tr = 1; tr <= gs.gr; tr++) for (let tc = 1; tc <= gs.gc; tc++) {
        const t = { tn: Math.min(g.N, spec.tif), tm: Math.min(g.M, spec.tof), tr, tc };
        if (tileFits(g, gs, ctx.arch, spec, t)) m = Math.min(m, engineLayerCost(g, gs, t, ctx, 0).cycles);
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
    // Exact over unrolls and buffers (branch and bound); per layer it tries, for every row tile, the widest
    // column tile that fits and one narrower split, so it may miss a tile the step schedule prefers.
    it(`comes within 5% of the exhaustive optimum: ${name} (${dsp} DSP)`, () => {
      const r = exhaustive(doc, w, h, dsp);
      expect(r.search).toBeGreaterThanOrEqual(r.exhaustive);
      expect(r.search / r.exhaustive).toBeLessThanOrEqual(1.05);
    });
  }
});

describe('engine search: why no faster', () => {
  it('names the cap a faster array breaks, with a compute floor under the chosen cycles', () => {
    const doc = modelDoc([{ name: 'a', op: 'conv', cout: 32, kernel: 3 }, { name: 'r', op: 'relu' }, { name: 'b', op: 'conv', cout: 32, kernel: 3 }]);
    const wl = workloadFromDoc(doc, 32, 32);
    // 40 DSP (cap 32): compute-bound convs of 32×3×3 channels want far more lanes than that.
    const r = searchEngine(wl, board({ dsp: 40 }), tables, point({ arch: 'engine', engine: { pif: 1, pof: 1, tif: 1, tof: 1, inBufDepth: 1, outBufDepth: 1, wBufDepth: 1 } }));
    const m = /^an array whose compute alone takes ([\d,]+) < ([\d,]+) cycles \(pif\d+ pof\d+ poy\d pox\d\) needs dsp ([\d,]+) > cap 32$/.exec(r.limit);
    expect(m, r.limit).not.toBeNull();
    const n = (x: string) => Number(x.replace(/,/g, ''));
    expect(n(m![2])).toBe(r.best.cycles);
    expect(n(m![1])).toBeLessThan(r.best.cycles);
    expect(n(m![3])).toBeGreaterThan(32);
    expect(r.best.resources.dsp).toBeLessThanOrEqual(32);
  });
});

/**
 * The search's space without its shortcuts: every unroll within the DSP cap × TOF factor × depth × URAM, and per
 * layer every row tile count with the widest column tile that fits (found by a linear scan) and one narrower
 * split, each costed by the step model; the first of least cycles, engines tied in cycles to the fewest DSPs.
 */
function reference(wl: ReturnType<typeof workloadFromDoc>, pl: ReturnType<typeof board>, pt: ReturnType<typeof point>) {
  const full = pathPlan(wl, pt);
  const fusion = engineFusion(full);
  const plan = full.filter((x) => x.kind === 'mac' && !x.serial).map((x) => engineGeom(x.layer, x.lowered!, 'subpixel', fusion.store.get(x.id)));
  const p = full.find((x) => x.kind === 'mac')!.precision;
  const limit = Object.fromEntries(RESOURCE_KINDS.map((k) => [k, Math.floor(pl.available[k] * DEFAULT_CAPS[k])]));
  const maxK = Math.max(...plan.map(weightTaps));
  let best = { cycles: Infinity, dsp: Infinity };
  const dpm = dspPerMac(tables.packing, pl.spec.dspFamily, p);
  for (const pif of PIF.filter((x) => (x & (x - 1)) === 0 && x * p.actBits <= 512)) for (const pof of POF) for (const [poy, pox] of SPATIAL) {
    const widthBits = widthFor(pif, p.actBits, pl.bandwidthBytesPerSec, pt.clockMHz);
    const m = engineMultipliers({ pif, pof, poy, pox } as EngineSpec, Math.max(widthBits, 128) / p.actBits, dpm.dspPerMac, dpm.dspPerMac < 1 && dpm.sharedOperand, p.kind === 'int');
    if (m.mac + m.post > limit.dsp) continue;
    for (const tf of TOF_FACTORS) for (const depth of DEPTHS) for (const uram of pl.available.uram > 0 ? [false, true] : [false]) {
      const spec = specFor({ pif, pof, poy, pox, tf, depth, uram, widthBits, actBits: p.actBits, maxK });
      const r = engineResources(spec, p, pl.spec.dspFamily, tables);
      if (RESOURCE_KINDS.some((k) => r[k] > limit[k])) continue;
      const ctx = engineContext(spec, p, pl, tables, pt.clockMHz);
      let total = 0;
      for (const g of plan) {
        const gs = grid(g);
        const tn = Math.min(g.N, spec.tif);
        const tm = Math.min(g.M, spec.tof);
        let m1 = Infinity;
        for (const tr of ceilSet(gs.gr)) {
          let w = 0;
          for (let tc = 1; tc <= gs.gc && tileFits(g, gs, ctx.arch, spec, { tn, tm, tr, tc }); tc++) w = tc;
          if (w < 1) continue;
          const nc0 = Math.ceil(gs.gc / w);
          for (let nc = nc0; nc <= Math.min(gs.gc, nc0 + 1); nc++) m1 = Math.min(m1, engineLayerCost(g, gs, { tn, tm, tr, tc: Math.ceil(gs.gc / nc) }, ctx, 0).cycles);
        }
        total += m1;
      }
      if (total < best.cycles || (total === best.cycles && r.dsp < best.dsp)) best = { cycles: total, dsp: r.dsp };
    }
  }
  return best;
}

describe('engine search shortcuts', () => {
  // Floors, reuse across buffer depths and pruning of dominated engines must not change the answer.
  const cases: [string, object, number, number, { dsp: number; uram?: number; gbs?: number }][] = [
    ['two convs', modelDoc([{ name: 'a', op: 'conv', cout: 12, kernel: 3, stride: 2 }, { name: 'r', op: 'relu' }, { name: 'b', op: 'conv', cout: 16, kernel: 3 }]), 40, 24, { dsp: 40 }],
    ['conv, GDN, deconv (memory-bound)', modelDoc([{ name: 'a', op: 'conv', cout: 8, kernel: 5, stride: 2 }, { name: 'g', op: 'gdn' }, { name: 'd', op: 'deconv', cout: 3, kernel: 5, stride: 2 }]), 48, 32, { dsp: 200, gbs: 0.5 }],
    ['1×1 and 3×3 with URAM', modelDoc([{ name: 'a', op: 'conv', cout: 24, kernel: 1 }, { name: 'b', op: 'conv', cout: 32, kernel: 3, stride: 2 }]), 64, 20, { dsp: 120, uram: 40 }],
  ];
  for (const [name, doc, w, h, over] of cases) {
    it(`finds the best of its space: ${name}`, () => {
      const wl = workloadFromDoc(doc, w, h);
      const pl = board(over);
      const pt = point({ arch: 'engine', engine: { pif: 1, pof: 1, tif: 1, tof: 1, inBufDepth: 1, outBufDepth: 1, wBufDepth: 1 } });
      const ref = reference(wl, pl, pt);
      const s = searchEngine(wl, pl, tables, pt);
      expect(s.best.cycles).toBe(ref.cycles);
      expect(s.best.resources.dsp).toBe(ref.dsp);
    });
  }

  it('its floors never exceed the step model (zoo layers, boards, arrays, random tiles)', () => {
    const next = mulberry32(7);
    let checked = 0;
    for (const [model, board0] of [['bmshj2018-hyperprior', 'zcu102'], ['zou2022-stf', 'u50'], ['cheng2020-anchor', 'kv260'], ['ms2020', 'zcu102']] as const) {
      const base = basePoint({ model, platform: board0, precision: 'int8', res: '256x128', arch: 'engine', path: 'encode' });
      const c = contextFor(base);
      const full = pathPlan(c.workload, { ...base, engine: undefined }, 'subpixel');
      const fusion = engineFusion(full);
      const p = widest(full);
      const geos = full.filter((x) => x.kind === 'mac' && !x.serial).map((x) => engineGeom(x.layer, x.lowered!, 'subpixel', fusion.store.get(x.id)));
      for (const [pif, pof, poy, pox, depth] of [[16, 16, 1, 1, 512], [32, 64, 2, 4, 2048], [8, 4, 4, 4, 1024], [64, 32, 2, 2, 16384]]) {
        const spec = specFor({ pif, pof, poy, pox, tf: 1 + (next() % 3), depth, uram: false, widthBits: widthFor(pif, p.actBits, c.platform.bandwidthBytesPerSec, base.clockMHz), actBits: p.actBits, maxK: 25 });
        const ctx = engineContext(spec, p, c.platform, c.tables, base.clockMHz);
        for (const g of geos) {
          const gs = grid(g);
          for (let i = 0; i < 6; i++) {
            const t = { tn: Math.min(g.N, spec.tif), tm: Math.min(g.M, spec.tof), tr: 1 + (next() % gs.gr), tc: i === 0 ? gs.gc : 1 + (next() % gs.gc) };
            const cycles = engineLayerCost(g, gs, t, ctx, 0).cycles;
            expect(tileFloor(g, gs, ctx.arch, t)).toBeLessThanOrEqual(cycles);
            expect(storeFloor(g, gs, ctx.arch, ctx.axi, storeAll(g, ctx.arch, ctx.axi, t.tm), t)).toBeLessThanOrEqual(cycles);
            // The compute floor with the schedule's prologue and epilogue (the search's last check before a walk).
            expect(Math.ceil(tileFloor(g, gs, ctx.arch, t) + engineLayerEnds(g, gs, ctx, t.tn, t.tm)(t.tr, t.tc))).toBeLessThanOrEqual(cycles);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('the resources it skips on grow with the buffer settings (input depth, TOF factor), on every board and precision', () => {
    // searchEngine does not build the deeper settings of an array once one is over a cap in GROWS_WITH_BUFFERS.
    const tables = loadCostTables();
    let pairs = 0;
    for (const name of ['zcu102', 'kv260', 'u50']) {
      const pl = loadPlatform(name);
      for (const precision of ['int8', 'int16', 'fp16']) {
        const p = parsePrecision(precision);
        const dpm = dspPerMac(tables.packing, pl.spec.dspFamily, p);
        for (const pif of PIF) for (const pof of POF) for (const [poy, pox] of SPATIAL) for (const uram of [false, true]) {
          if ((pif * pof * poy * pox) % 7 !== 0 && pif * pof * poy * pox > 4) continue; // a spread sample of the arrays
          const widthBits = widthFor(pif, p.actBits, pl.bandwidthBytesPerSec, 300);
          const at = (tf: number, depth: number) => engineResourcesWith(specFor({ pif, pof, poy, pox, tf, depth, uram, widthBits, actBits: p.actBits, maxK: 25 }), p, dpm, tables);
          for (const [i, tf] of TOF_FACTORS.entries()) for (const [j, depth] of DEPTHS.entries()) {
            const r = at(tf, depth);
            for (const [tf2, depth2] of [[TOF_FACTORS[i + 1], depth], [tf, DEPTHS[j + 1]]]) {
              if (tf2 === undefined || depth2 === undefined) continue;
              const r2 = at(tf2, depth2);
              for (const k of GROWS_WITH_BUFFERS) expect(r2[k], `${k} ${name} ${precision} ${[pif, pof, poy, pox, uram]} ${tf}→${tf2} ${depth}→${depth2}`).toBeGreaterThanOrEqual(r[k]);
              pairs++;
            }
          }
        }
      }
    }
    expect(pairs).toBeGreaterThan(5000);
  });

  it('the schedule ends are its prologue and epilogue: one tile of one step is its compute step plus them', () => {
    // A layer in one tile of one input tile runs one step that only computes (nothing to load next or to store
    // before it): the schedule is the per-layer set-up, that step, the first load and the last store. So the
    // compute floor plus the ends is the schedule itself, and an end counted wrong shows.
    const base = basePoint({ model: 'bmshj2018-hyperprior', platform: 'zcu102', precision: 'int8', res: '64x64', arch: 'engine', path: 'encode' });
    const c = contextFor(base);
    const full = pathPlan(c.workload, { ...base, engine: undefined }, 'subpixel');
    const fusion = engineFusion(full);
    const p = widest(full);
    // Channel tiles as wide as any layer (the buffer depths play no part in a schedule's cycles).
    const spec = { ...specFor({ pif: 16, pof: 16, poy: 1, pox: 1, tf: 4, depth: 16384, uram: false, widthBits: widthFor(16, p.actBits, c.platform.bandwidthBytesPerSec, base.clockMHz), actBits: p.actBits, maxK: 25 }), tif: 4096, tof: 4096 };
    const ctx = engineContext(spec, p, c.platform, c.tables, base.clockMHz);
    let checked = 0;
    for (const x of full.filter((y) => y.kind === 'mac' && !y.serial)) {
      const g = engineGeom(x.layer, x.lowered!, 'subpixel', fusion.store.get(x.id));
      const gs = grid(g);
      if (g.N > spec.tif || g.M > spec.tof || g.groups !== 1) continue;
      const t = { tn: g.N, tm: g.M, tr: gs.gr, tc: gs.gc };
      const ends = engineLayerEnds(g, gs, ctx, t.tn, t.tm)(t.tr, t.tc);
      expect(ends).toBeGreaterThan(2 * ctx.arch.perStepCycles);
      expect(Math.ceil(tileFloor(g, gs, ctx.arch, t) + ends)).toBe(engineLayerCost(g, gs, t, ctx, 0).cycles);
      checked++;
    }
    expect(checked).toBeGreaterThan(3);
  });
});
