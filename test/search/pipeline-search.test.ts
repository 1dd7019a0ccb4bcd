import { describe, expect, it } from 'vitest';
import { pathPlan, DEFAULT_CAPS } from '../../src/cost/evaluate.js';
import { macPipelineDepth } from '../../src/cost/engine.js';
import { pipelineStageCost } from '../../src/cost/pipeline.js';
import { stageGeomOf } from '../../src/cost/pipeline-design.js';
import { RESOURCE_KINDS } from '../../src/platform/schema.js';
import { divisors, searchPipeline } from '../../src/search/pipeline-search.js';
import { explore } from '../../src/search/explore.js';
import { UserError } from '../../src/errors.js';
import { workloadFromDoc, workloadOf } from '../helpers.js';
import { board, modelDoc, point, tables } from '../cost/helpers.js';
import { rng } from '../rng.js';
import { basePoint } from '../../src/mapping/base-point.js';
import { contextFor } from '../../src/mapping/load.js';

/** Every combination of (pin | N, pout | M, pk | K² when pin = N) per layer with weights on chip. */
function bruteForce(doc: object, w: number, h: number, pl: ReturnType<typeof board>) {
  const wl = workloadFromDoc(doc, w, h);
  const pt = point({ arch: 'pipeline', pipeline: { layers: {} } });
  const plan = pathPlan(wl, pt).filter((p) => p.kind === 'mac');
  const co = tables.coefficients;
  const limit = RESOURCE_KINDS.map((k) => Math.floor(pl.available[k] * DEFAULT_CAPS[k]));
  limit[3] -= co.lut.base + 3 * co.lut.perAxiPortPer128Bits;
  limit[4] -= co.ff.base + 3 * co.ff.perAxiPortPer128Bits;
  const options = plan.map((x) => {
    const lw = x.lowered!;
    const out: { cycles: number; costs: number[] }[] = [];
    for (const pin of divisors(lw.N)) for (const pout of divisors(lw.M)) for (const pk of pin === lw.N ? divisors(lw.taps) : [1]) {
      const c = pipelineStageCost(lw, { pin, pout, pk, weights: 'onchip', reuse: 1, spill: false, fifoDepth: 2 }, x.precision, pl.spec.dspFamily, tables, { weightsInUram: false, depth: macPipelineDepth(pin, x.precision), geom: stageGeomOf(x) });
      out.push({ cycles: c.cycles, costs: RESOURCE_KINDS.map((k) => c.resources[k]) });
    }
    return out;
  });
  let best = Infinity;
  const rec = (i: number, used: number[], worst: number) => {
    if (used.some((u, k) => u > limit[k]) || worst >= best) return;
    if (i === options.length) {
      best = worst;
      return;
    }
    for (const o of options[i]) rec(i + 1, used.map((u, k) => u + o.costs[k]), Math.max(worst, o.cycles));
  };
  rec(0, limit.map(() => 0), 0);
  return { best, search: searchPipeline(wl, pl, tables, pt) };
}

describe('pipeline search', () => {
  const cases: [string, object, number, number, number][] = [
    ['conv → conv', modelDoc([{ name: 'a', op: 'conv', cout: 12, kernel: 3, stride: 2 }, { name: 'r', op: 'relu' }, { name: 'b', op: 'conv', cout: 8, kernel: 3 }]), 16, 16, 60],
    ['conv → GDN → deconv', modelDoc([{ name: 'a', op: 'conv', cout: 6, kernel: 5, stride: 2 }, { name: 'g', op: 'gdn' }, { name: 'd', op: 'deconv', cout: 4, kernel: 3, stride: 2 }]), 16, 12, 45],
    ['three 1×1', modelDoc([{ name: 'a', op: 'conv', cout: 8, kernel: 1 }, { name: 'b', op: 'conv', cout: 12, kernel: 1 }, { name: 'c', op: 'conv', cout: 6, kernel: 1 }]), 8, 8, 30],
  ];
  for (const [name, doc, w, h, dsp] of cases) {
    it(`balances stages as well as brute force: ${name} (${dsp} DSP)`, () => {
      const r = bruteForce(doc, w, h, board({ dsp }));
      expect(r.search.allocation.target).toBe(r.best);
    });
  }

  it('says why the design is no faster: the cap one step faster breaks, or full parallelism', () => {
    const [, doc, w, h] = cases[2];
    // 30 DSP, cap 24: the optimum (brute force) leaves no faster allocation within the caps, and the search
    // names the DSP cap that the slowest stages' next faster options break.
    const r = bruteForce(doc, w, h, board({ dsp: 30 }));
    expect(r.search.allocation.target).toBe(r.best);
    expect(r.search.limit).toMatch(new RegExp(`^\\d+ parallel stages? at ${r.best.toLocaleString('en-US')} cycles a frame \\(g_a/\\w pin\\d+ pout\\d+.*\\): one step faster \\(≤ [\\d,]+\\) needs dsp (\\d+) > cap 24$`));
    expect(Number(/needs dsp (\d+)/.exec(r.search.limit)![1])).toBeGreaterThan(24);
    // With DSPs to spare, every stage runs at full parallelism (one output pixel a cycle).
    const big = searchPipeline(workloadFromDoc(doc, w, h), board({ dsp: 20000, lut: 2_000_000, ff: 4_000_000 }), tables, point({ arch: 'pipeline', pipeline: { layers: {} } }));
    // (one output pixel a cycle plus each loop's fill: the slowest fully parallel stage, as the stage model times it)
    const wl = workloadFromDoc(doc, w, h);
    const full = pathPlan(wl, point({ arch: 'pipeline', pipeline: { layers: {} } })).filter((p) => p.kind === 'mac').map((x) => {
      const lw = x.lowered!;
      return pipelineStageCost(lw, { pin: lw.N, pout: lw.M, pk: lw.taps, weights: 'onchip', reuse: 1, spill: false, fifoDepth: 2 }, x.precision, 'DSP48E2', tables, { weightsInUram: false, depth: macPipelineDepth(lw.N, x.precision), geom: stageGeomOf(x) }).cycles;
    });
    expect(Math.min(...full)).toBeGreaterThanOrEqual(w * h);
    expect(big.allocation.target).toBe(Math.max(...full));
    expect(big.limit).toMatch(/already at full parallelism$/);
    // A CPU entropy coder slower than any design: the fewest DSPs at its rate, and the limit says so.
    const slowCpu = explore(workloadFromDoc(doc, w, h), board({ dsp: 30, sps: 1000 }), tables, point({ arch: 'pipeline', pipeline: { layers: {} } }));
    expect(slowCpu.limit).toMatch(/^entropy coder on CPU \(.*\) sets the end-to-end rate \([\d.e+]+ FPS\), which a faster accelerator \([\d.e+]+ FPS, \d+ DSP\) would not raise: the fewest DSPs at that rate$/);
  });

  it('never returns a design that exceeds a cap (random workloads and boards, both templates)', () => {
    const r = rng(7);
    const models = ['bmshj2018-factorized', 'bmshj2018-hyperprior', 'mbt2018-mean', 'balle2017', 'cheng2020-anchor'];
    let checked = 0;
    for (let i = 0; i < 16; i++) {
      const model = r.pick(models);
      const N = r.pick([8, 16, 24]);
      const params: Record<string, number> = model === 'balle2017' || model === 'cheng2020-anchor' ? { N } : { N, M: N + 8 };
      const res = r.pick([64, 128, 192]);
      const w = workloadOf(model, { params }, res, res);
      const pl = board({ dsp: r.int(20, 1500), bram18: r.int(20, 900), lut: r.int(20000, 200000), ff: r.int(40000, 400000) });
      const arch = r.pick(['engine', 'pipeline'] as const);
      const path = r.pick(['encode', 'decode'] as const);
      const base = { ...basePoint({ model, params, platform: 'zcu102', precision: r.pick(['int8', 'int16', 'w4a8']), res: `${res}x${res}`, arch, path, clockMHz: 200 }), platform: 'testboard' };
      try {
        const x = explore(w, pl, tables, base);
        expect(x.best.feasible, `${model} ${arch} ${path}: ${x.best.violations.join('; ')}`).toBe(true);
        for (const k of RESOURCE_KINDS) expect(x.best.resources[k].used).toBeLessThanOrEqual(Math.floor(pl.available[k] * DEFAULT_CAPS[k]));
        checked++;
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        expect((e as Error).message).toMatch(/no (engine|pipeline) design fits/);
      }
    }
    expect(checked).toBeGreaterThan(8);
  });

  it('an impossible budget is refused, naming the limit', () => {
    const w = workloadOf('bmshj2018-hyperprior', {}, 256, 256);
    const base = { ...basePoint({ model: 'bmshj2018-hyperprior', platform: 'zcu102', precision: 'int8', res: '256x256', arch: 'engine', path: 'encode', clockMHz: 200 }), platform: 'testboard' };
    expect(() => explore(w, board({ dsp: 1 }), tables, base)).toThrow(/^budget: no engine design fits testboard: even the smallest needs dsp \d+ > 0 \(cap 0\.8 of 1\)/);
    expect(() => explore(w, board({ bram18: 2 }), tables, { ...base, arch: 'pipeline', engine: undefined, pipeline: { weightsInUram: false, buffersInUram: false, deconv: 'subpixel', layers: {} } }))
      .toThrow(/^budget: no pipeline design fits testboard: even one MAC per layer needs bram18 \d+ > 1 \(cap 0\.8 of 2\)/);
  });

  it('the Pareto front and the chosen design agree (a serial-chain decode): the front\'s fastest point is the chosen estimate', () => {
    for (const model of ['mbt2018', 'cheng2020-anchor']) {
      const w = workloadOf(model, {}, 128, 128);
      const base = { ...basePoint({ model, platform: 'zcu102', precision: 'int8', res: '128x128', arch: 'pipeline', path: 'decode', clockMHz: 200 }), platform: 'testboard' };
      const x = explore(w, board({}), tables, base);
      expect(x.best.serial).not.toBeNull();
      // The front's fastest points (several when they tie on FPS and trade DSP for BRAM18) include the choice.
      const topFps = Math.max(...x.pareto.map((p) => p.fps));
      expect(topFps).toBeCloseTo(x.best.acceleratorFps, 9);
      const top = x.pareto.filter((p) => p.fps === topFps);
      expect(top.some((p) => p.dsp === x.best.resources.dsp.used && p.bram18 === x.best.resources.bram18.used)).toBe(true);
      for (const p of x.pareto) expect(p.fps).toBeLessThanOrEqual(x.best.acceleratorFps * (1 + 1e-12));
    }
  });

  it('Zou 2022 at 1280×720 decode on the U50: STF fits with join and band buffers in URAM; WACNN and the ZCU102 are refused naming the stages or the block buffer and the overflow', () => {
    const stf = basePoint({ model: 'zou2022-stf', platform: 'u50', precision: 'int8', res: '1280x720', arch: 'pipeline', path: 'decode' });
    const cs = contextFor(stf);
    const x = explore(cs.workload, cs.platform, cs.tables, stf);
    expect(x.best.feasible).toBe(true);
    expect(x.point.pipeline!.buffersInUram).toBe(true);
    // The emitted stages keep K + S full-width rows on chip: WACNN's stages alone overflow the U50's BRAM18.
    const base = basePoint({ model: 'zou2022-wacnn', platform: 'u50', precision: 'int8', res: '1280x720', arch: 'pipeline', path: 'decode' });
    const ctx = contextFor(base);
    expect(() => explore(ctx.workload, ctx.platform, ctx.tables, base)).toThrow(/no pipeline design fits u50: even one MAC per layer needs bram18 \d+ > 1804 \(cap 0\.8 of 2256\), over by \d+: stages at their least \d+ \(join and band buffers in URAM\), largest g_s\/8 \d+/);
    const z = basePoint({ model: 'zou2022-wacnn', platform: 'zcu102', precision: 'int8', res: '1280x720', arch: 'pipeline', path: 'decode' });
    const c2 = contextFor(z);
    expect(() => explore(c2.workload, c2.platform, c2.tables, z)).toThrow(/no pipeline design fits zcu102: the join buffers alone need bram18 \d+ > 1459 \(cap 0\.8 of 1824\), over by \d+; largest: g_s\/5\.add holds 4 for \d+ rows × 320 × 192/);
  });
});
