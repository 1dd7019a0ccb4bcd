import { describe, expect, it } from 'vitest';
import { loadCostTables, loadPlatform } from '../../src/platform/load.js';
import { fit, fitContext, type Arch, type FitRequest, type Path } from '../../src/search/fit.js';
import { byPreference, planFor, planTemplates } from '../../src/search/precision-plan.js';
import { loadModel, parseModel } from '../../src/workload/load.js';
import { resolveModel } from '../../src/workload/resolve.js';
import { inferWorkload } from '../../src/workload/shapes.js';
import { studentFamily, widthLadder } from '../../src/workload/student.js';
import { modelDoc } from '../cost/helpers.js';
import { rng } from '../rng.js';

// Small resolutions keep every design search fast; nothing here depends on time.
const tables = loadCostTables();
const RES = { width: 128, height: 128 };

function request(model: string, board: string, arch: Arch[], path: Path[], o: Partial<FitRequest> = {}): FitRequest {
  const { file, spec } = loadModel(model);
  return {
    family: studentFamily(spec, file, { round: 8 }), modelRef: model, platform: loadPlatform(board), tables, res: RES,
    fps: 1, paths: path, archs: arch, plans: planTemplates(['int8'], ['uniform']), minWidth: 0.25, ...o,
  };
}

/** FPS of every rung of the ladder, every one explored. */
function curve(req: FitRequest) {
  const rungs = widthLadder(req.family, req.minWidth, req.maxWidth ?? 1);
  const ctx = fitContext(req);
  return { rungs, fps: rungs.map((r, i) => ctx.evalRung(i, r, 'preferred', true).fps) };
}

describe('fit: the widest student that reaches a frame rate', () => {
  it('FPS does not rise with width for a fixed board, precision and template (engine, property over models)', () => {
    for (const model of ['balle2017', 'bmshj2018-hyperprior']) {
      for (const path of ['encode', 'decode'] as const) {
        const { fps } = curve(request(model, 'kv260', ['engine'], [path], { minWidth: model === 'balle2017' ? 0.25 : 0.5 }));
        expect(fps.length).toBeGreaterThan(5);
        for (let i = 1; i < fps.length; i++) expect(fps[i], `${model} ${path} rung ${i}`).toBeLessThanOrEqual(fps[i - 1] * (1 + 1e-9));
      }
    }
  });

  it('returns a student that meets the target while the next wider rounded step does not (pipeline and best, where FPS can dip)', () => {
    const r = rng(12);
    for (const arch of [['pipeline']] as Arch[][]) {
      const base = request('bmshj2018-hyperprior', 'kv260', arch, ['encode'], { minWidth: 0.7 });
      const { rungs, fps } = curve(base);
      const monotone = fps.every((x, i) => i === 0 || x <= fps[i - 1] * (1 + 1e-9));
      for (let k = 0; k < 3; k++) {
        // A target just below one rung's FPS: that rung meets it, the answer is at least as wide under monotonicity.
        const target = fps[r.int(1, fps.length - 2)] * (1 - 1e-9);
        const widest = fps.reduce((best, x, i) => (x >= target ? i : best), -1);
        for (const exact of [false, true]) {
          const got = fit({ ...base, fps: target, exact });
          if (!got.met) {
            // Only possible without `exact`, where FPS dips and the narrowest student misses the target.
            expect(exact || monotone).toBe(false);
            expect(fps[0]).toBeLessThan(target);
            expect(got.narrowest!.fps).toBe(fps[0]);
            continue;
          }
          const s = got.student!;
          expect(s.fps).toBeGreaterThanOrEqual(target);
          expect(s.fps).toBe(fps[s.index]);
          expect(s.rung.key).toBe(rungs[s.index].key);
          if (s.index + 1 < rungs.length) {
            expect(got.nextWider!.rung.key).toBe(rungs[s.index + 1].key);
            expect(got.nextWider!.fps).toBeLessThan(target);
            expect(got.nextWider!.fps).toBe(fps[s.index + 1]);
          } else expect(got.nextWider).toBeUndefined();
          // Exact where FPS is monotone, or when asked to explore every wider rung the bound leaves open.
          if (monotone || exact) expect(s.index).toBe(widest);
        }
      }
    }
  });

  it('says when even the narrowest student cannot reach the target, and what bounds it', () => {
    const got = fit(request('bmshj2018-hyperprior', 'kv260', ['engine'], ['encode'], { fps: 1e7, minWidth: 0.9 }));
    expect(got.met).toBe(false);
    expect(got.statement).toMatch(/^even the narrowest allowed student \(width 0\.9, M=176 N=112\) cannot reach 10000000 FPS on kv260 with plan int8: encode: [0-9.]+ FPS, bounded by /);
    expect(got.narrowest!.paths[0].by).toBe('explore');
  });

  it('the precision plan never exceeds a cap, and is the widest plan within it', () => {
    const r = rng(7);
    const plans = byPreference(planTemplates(['w4a8', 'int8', 'int16']));
    expect(plans.map((t) => t.name).slice(0, 4)).toEqual(['int16', 'int8+int16@sensitive', 'int8+int16@ends', 'int8']);
    const base = request('bmshj2018-hyperprior', 'kv260', ['engine'], ['encode', 'decode'], { plans, fps: 0.5, minWidth: 0.75 });
    const w = inferWorkload(resolveModel(base.family.teacher, 'x', {}), RES);
    for (let k = 0; k < 4; k++) {
      const cap = 6 + r.next() * 10;
      const got = fit({ ...base, maxBits: cap });
      expect(got.met).toBe(true);
      for (const p of got.student!.paths) expect(p.plan.bits).toBeLessThanOrEqual(cap + 1e-9);
      // A target this low is met by every plan: the fit keeps the first within the cap in order of preference.
      const within = plans.filter((t) => (['encode', 'decode'] as const).every((p) => planFor(base.family.teacher, w, p, t).bits <= cap));
      expect(got.student!.plan).toBe(within[0].name);
    }
    expect(() => fit({ ...base, maxBits: 5 })).toThrow(/no precision plan of .* stays within 5 bits/);
  });

  it('MAC-weighted bits of a plan: int16 on the ends of a two-conv model, by hand', () => {
    const doc = modelDoc([
      { name: 'a', op: 'conv', cout: 8, kernel: 3 }, { name: 'g', op: 'gdn' },
      { name: 'b', op: 'conv', cout: 8, kernel: 3 }, { name: 'c', op: 'conv', cout: 4, kernel: 1 },
    ]);
    const spec = parseModel(doc, 'tiny.json');
    const w = inferWorkload(resolveModel(spec, 'tiny.json', {}), { width: 8, height: 8 });
    // MACs per position: a 3·8·9 = 216, g 8·8 = 64, b 8·8·9 = 576, c 8·4 = 32 (×64 positions, cancels).
    const [ends, sens] = planTemplates(['int8', 'int16'], ['ends', 'sensitive']).map((t) => planFor(spec, w, 'encode', t));
    expect(ends.layerPrecision).toEqual({ 'g_a/a': 'int16', 'g_a/c': 'int16' });
    expect(ends.bits).toBeCloseTo((16 * (216 + 32) + 8 * (64 + 576)) / 888, 12);
    expect(sens.layerPrecision).toEqual({ 'g_a/a': 'int16', 'g_a/c': 'int16', 'g_a/g': 'int16' });
    expect(sens.bits).toBeCloseTo((16 * (216 + 32 + 64) + 8 * 576) / 888, 12);
  });
});
