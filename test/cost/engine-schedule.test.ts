import { describe, expect, it } from 'vitest';
import { beatCycles, type AxiParams } from '../../src/arch/axi.js';
import { computeWork, grid, layerSchedule, loadInput, tileClassesExact, loadWeights, outRange, storeWork, tapCount, window1, type EngineArch, type EngineGeom, type Work } from '../../src/arch/engine.js';
import { engineGeom } from '../../src/arch/geometry.js';
import { engineContext, engineFusion } from '../../src/cost/engine-design.js';
import { pathPlan, widest } from '../../src/cost/evaluate.js';
import { basePoint } from '../../src/mapping/base-point.js';
import { contextFor } from '../../src/mapping/load.js';
import { specFor, widthFor } from '../../src/search/engine-search.js';
import { mulberry32 } from '../../src/util/prng.js';

/**
 * run_layer's schedule walked step by step, tile by tile (no shape classes, no records, no memo): the output
 * tiles in kernel order (groups → m → rows → columns), each over its input tiles; step k computes input tile k,
 * loads input tile k+1 and, on an output tile's first input tile, stores the previous output tile; a prologue
 * loads the first tile and an epilogue stores the last. A step lasts its slowest process (trips + fills), its
 * busiest port (summed over the processes) or its DRAM time, plus the step's control cycles.
 */
function walk(arch: EngineArch, g: EngineGeom, axi: AxiParams, dramBytesPerCycle: number, t: { tn: number; tm: number; tr: number; tc: number }) {
  const gs = grid(g);
  const per = beatCycles(arch.beatBytes * 8, axi);
  const portTime = (b: number, n: number) => (b <= 0 ? 0 : Math.max(b * per, Math.ceil((n * axi.latencyCycles) / axi.outstanding)) + axi.latencyCycles);
  let bytes = 0;
  let compute = 0;
  const step = (ws: Work[]) => {
    let worst = 0;
    let dram = 0;
    for (const w of ws) worst = Math.max(worst, w.trips + w.fills * (w.ports.rd || w.ports.w || w.ports.wr ? arch.moveDepth : arch.computeDepth));
    for (const p of ['rd', 'w', 'wr', 'aux'] as const) {
      let b = 0;
      let n = 0;
      for (const w of ws) {
        const x = w.ports[p];
        if (!x) continue;
        b += x.beats;
        n += x.transactions;
        dram += x.dramBytes;
      }
      worst = Math.max(worst, portTime(b, n));
    }
    bytes += dram;
    return Math.max(worst, dram / dramBytesPerCycle) + arch.perStepCycles;
  };
  const span = (ext: number, size: number) => Array.from({ length: Math.ceil(ext / size) }, (_, i) => ({ start: i * size, n: Math.min(size, ext - i * size) }));
  const outs: { m: number; r: { start: number; n: number }; c: { start: number; n: number } }[] = [];
  for (let grp = 0; grp < g.groups; grp++) for (const m of span(g.M, t.tm)) for (const r of span(gs.gr, t.tr)) for (const c of span(gs.gc, t.tc)) outs.push({ m: m.n, r, c });
  const ins = span(g.N, t.tn);
  const loads = (o: (typeof outs)[number], n: number) => [loadInput(arch, g, axi, n, window1(g, 'y', o.r.start, o.r.n), window1(g, 'x', o.c.start, o.c.n)), loadWeights(arch, g, axi, n, o.m)];
  const store = (o: (typeof outs)[number]) => storeWork(arch, g, axi, o.m, outRange(g, 'y', o.r.start, o.r.n), outRange(g, 'x', o.c.start, o.c.n));
  let cycles = arch.perLayerCycles + step(loads(outs[0], ins[0].n));
  let steps = 0;
  outs.forEach((o, j) => {
    ins.forEach((x, k) => {
      const comp = computeWork(arch, g, tapCount(g), x.n, o.m, o.r.n, o.c.n);
      compute += comp.trips;
      const next = k + 1 < ins.length ? loads(o, ins[k + 1].n) : j + 1 < outs.length ? loads(outs[j + 1], ins[0].n) : [];
      cycles += step([comp, ...next, ...(k === 0 && j > 0 ? [store(outs[j - 1])] : [])]);
      steps++;
    });
  });
  cycles += step([store(outs[outs.length - 1])]);
  return { cycles, bytes, compute, steps };
}

describe('engine schedule', () => {
  it('layerSchedule (shape classes, records) equals the step-by-step walk on random zoo tiles, and its floor stays under it', () => {
    const next = mulberry32(11);
    let checked = 0;
    for (const [model, board, path] of [['bmshj2018-hyperprior', 'zcu102', 'encode'], ['zou2022-stf', 'u50', 'encode'], ['cheng2020-anchor', 'kv260', 'decode'], ['mbt2018', 'zcu102', 'decode'], ['ms2020', 'u50', 'decode']] as const) {
      const base = basePoint({ model, platform: board, precision: 'int8', res: '128x64', arch: 'engine', path });
      const c = contextFor(base);
      const full = pathPlan(c.workload, { ...base, engine: undefined }, 'subpixel');
      const fusion = engineFusion(full);
      const p = widest(full);
      const geos = full.filter((x) => x.kind === 'mac' && !x.serial).map((x) => engineGeom(x.layer, x.lowered!, 'subpixel', fusion.store.get(x.id)));
      for (const [pif, pof, poy, pox] of [[16, 16, 1, 1], [8, 4, 4, 4], [32, 64, 2, 4]]) {
        const spec = specFor({ pif, pof, poy, pox, tf: 1 + (next() % 3), depth: 2048, uram: false, widthBits: widthFor(pif, p.actBits, c.platform.bandwidthBytesPerSec, base.clockMHz), actBits: p.actBits, maxK: 25 });
        const ctx = engineContext(spec, p, c.platform, c.tables, base.clockMHz);
        for (const g of geos) {
          const gs = grid(g);
          for (let i = 0; i < 3; i++) {
            // Channel tiles with and without a remainder; row and column tiles with one, two or more classes, at
            // least a kernel wide: the schedule costs every interior tile like the second, which holds only while
            // the padding clips no more than the first and the last (a narrower tile is a known approximation).
            const tr = Math.min(gs.gr, Math.max(i === 2 ? 1 : g.kh, 1 + (next() % gs.gr)));
            const tc = Math.min(gs.gc, Math.max(i === 2 ? 1 : g.kw, 1 + (next() % gs.gc)));
            // Narrower tiles (the third draw) only where tileClassesExact says the classes hold: the search offers no other.
            if (!tileClassesExact(g, 'y', gs.gr, tr) || !tileClassesExact(g, 'x', gs.gc, tc)) continue;
            const t = { tn: Math.min(g.N, 1 + (next() % Math.max(1, spec.tif))), tm: Math.min(g.M, 1 + (next() % Math.max(1, spec.tof))), tr, tc };
            const tiles = g.groups * Math.ceil(g.M / t.tm) * Math.ceil(g.N / t.tn) * Math.ceil(gs.gr / t.tr) * Math.ceil(gs.gc / t.tc);
            if (tiles > 4000) continue;
            const s = layerSchedule(ctx.arch, g, ctx.axi, ctx.dramBytesPerCycle, t);
            const w = walk(ctx.arch, g, ctx.axi, ctx.dramBytesPerCycle, t);
            // Summed in another order: equal up to rounding.
            expect(s.cycles).toBeCloseTo(w.cycles, 6);
            expect(s.dramBytes).toBe(w.bytes);
            expect(s.computeCycles).toBe(w.compute);
            expect(s.steps).toBe(w.steps);
            // Asked with a cap it cannot come under, the schedule answers a floor no higher than its cycles.
            const f = layerSchedule(ctx.arch, g, ctx.axi, ctx.dramBytesPerCycle, t, 1);
            expect(f.floor).toBe(true);
            expect(f.cycles).toBeLessThanOrEqual(s.cycles);
            // Just above the loads' floor (the walk's first, early answer): the full floor (compute, store, DRAM
            // too) or the cycles themselves, either way no higher than the cycles and a floor only when it reaches the cap.
            const cap = f.cycles * (1 + 1e-6);
            const h = layerSchedule(ctx.arch, g, ctx.axi, ctx.dramBytesPerCycle, t, cap);
            expect(h.cycles).toBeLessThanOrEqual(s.cycles);
            if (h.floor) expect(h.cycles).toBeGreaterThanOrEqual(cap);
            else expect(h.cycles).toBe(s.cycles);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(200);
  }, 300_000);

  it('tileClassesExact: one-column tiles of a 5x5 conv with padding 2 clip the second tile (the schedule would miscount them); two columns do not', () => {
    const base = basePoint({ model: 'bmshj2018-hyperprior', platform: 'zcu102', precision: 'int8', res: '128x64', arch: 'engine', path: 'encode' });
    const c = contextFor(base);
    const full = pathPlan(c.workload, { ...base, engine: undefined }, 'subpixel');
    const fusion = engineFusion(full);
    const x = full.find((l) => l.kind === 'mac' && !l.serial && l.id === 'g_a/2')!;
    const g = engineGeom(x.layer, x.lowered!, 'subpixel', fusion.store.get(x.id));
    expect([g.kw, g.sw, g.pl]).toEqual([5, 2, 2]);
    const gs = grid(g);
    // Stride 2: output column 1's window starts at 1·2 - 2 = 0 (unclipped); one column per tile: tile 1 is column 1.
    expect(tileClassesExact(g, 'x', gs.gc, 1)).toBe(true);
    const g1 = { ...g, sw: 1, pl: 2, iw: gs.gc } as typeof g;
    expect(tileClassesExact(g1, 'x', gs.gc, 1)).toBe(false);
    expect(tileClassesExact(g1, 'x', gs.gc, 2)).toBe(true);
    expect(tileClassesExact(g1, 'x', gs.gc, gs.gc)).toBe(true);
  });
});
