import { describe, expect, it } from 'vitest';
import { loadModel, parseModel } from '../../src/workload/load.js';
import { resolveModel } from '../../src/workload/resolve.js';
import { inferWorkload, workloadTotals } from '../../src/workload/shapes.js';
import { checkStudent, makeStudent, studentFamily, widthLadder } from '../../src/workload/student.js';
import { modelDoc } from '../cost/helpers.js';

const famOf = (name: string, o: Parameters<typeof studentFamily>[2] = { round: 8 }) => {
  const { file, spec } = loadModel(name);
  return studentFamily(spec, file, o);
};
const totals = (spec: ReturnType<typeof makeStudent>['spec']) => {
  const r = resolveModel(spec, spec.name, {});
  return workloadTotals(inferWorkload(r, { width: 256, height: 256 }));
};

/**
 * ScaleHyperprior (Ballé 2018, CompressAI ScaleHyperprior) parameters by hand, layer by layer:
 * conv/deconv k×k Cin→Cout with bias: k²·Cin·Cout + Cout; GDN/IGDN over C: C² (gamma) + C (beta);
 * factorized density over C channels with filters (3,3,3,3): per channel matrices 3+9+9+9+3, biases 3+3+3+3+1,
 * factors 3+3+3+3, plus 3 quantiles = 61.
 */
function hyperpriorParams(N: number, M: number): number {
  const conv = (k: number, cin: number, cout: number) => k * k * cin * cout + cout;
  const gdn = (c: number) => c * c + c;
  const gA = conv(5, 3, N) + gdn(N) + conv(5, N, N) + gdn(N) + conv(5, N, N) + gdn(N) + conv(5, N, M);
  const hA = conv(3, M, N) + conv(5, N, N) + conv(5, N, N);
  const eb = 61 * N;
  const hS = conv(5, N, N) + conv(5, N, N) + conv(3, N, M);
  const gS = conv(5, M, N) + gdn(N) + conv(5, N, N) + gdn(N) + conv(5, N, N) + gdn(N) + conv(5, N, 3);
  return gA + hA + eb + hS + gS;
}

describe('students', () => {
  it('a width-scaled hyperprior has the hand-computed parameter count (N, M scaled and rounded)', () => {
    // The formula reproduces the teacher (q3: N=128, M=192) first, so it is the model's own count.
    expect(totals(loadModel('bmshj2018-hyperprior').spec).params).toBe(hyperpriorParams(128, 192));
    const fam = famOf('bmshj2018-hyperprior');
    expect(fam.channelParams).toEqual(['M', 'N']);
    // ×0.5: N 64, M 96; ×0.3: N 38.4 → 40, M 57.6 → 56 (nearest multiple of 8).
    expect(totals(makeStudent(fam, 0.5).spec).params).toBe(hyperpriorParams(64, 96));
    const s = makeStudent(fam, 0.3);
    expect(s.params).toMatchObject({ N: 40, M: 56 });
    expect(totals(s.spec).params).toBe(hyperpriorParams(40, 56));
    // q6 variant (N=192, M=320) ×0.5 → 96, 160.
    expect(totals(makeStudent(famOf('bmshj2018-hyperprior', { round: 8, variant: 'q6' }), 0.5).spec).params).toBe(hyperpriorParams(96, 160));
  });

  it('a student is a valid model file (schema, resolver, shapes)', () => {
    for (const name of ['bmshj2018-hyperprior', 'cheng2020-anchor', 'ms2020', 'zou2022-wacnn']) {
      const s = makeStudent(famOf(name), 0.4);
      const spec = parseModel(JSON.parse(JSON.stringify(s.spec)), `${s.spec.name}.json`);
      expect(spec.name).toBe(s.spec.name);
      expect(checkStudent(spec, 'x')).toBeUndefined();
    }
  });

  it('keeps divisibility constraints: ms2020 M stays a multiple of num_slices, STF dims of the heads', () => {
    const ms = famOf('ms2020');
    expect(ms.units).toMatchObject({ M: 40, N: 8, hyperprior_depth: 8 });
    expect(ms.channelParams).not.toContain('num_slices');
    expect(ms.channelParams).not.toContain('max_support_slices');
    for (const r of widthLadder(ms, 0.25, 1, { validate: true })) expect(r.params.M % 10).toBe(0);
    const stf = famOf('zou2022-stf');
    expect(stf.channelParams).toEqual(['embed_dim']);
    // heads0 = 3 divides embed_dim, heads3 = 24 divides 8·embed_dim, 2·embed_dim/3 slices: unit lcm(8, 3) = 24.
    expect(stf.units.embed_dim).toBe(24);
  });

  it('says clearly when no rounding keeps the model valid', () => {
    const doc = modelDoc([
      { name: 'a', op: 'conv', cout: 'D', kernel: 1 },
      { name: 'qkv', op: 'linear', cout: '3*D' },
      { name: 'qk', op: 'matmul', form: 'qk', dim: 'D', heads: 'H', window: 2 },
    ], { params: { D: 77, H: 7 } });
    const spec = parseModel(doc, 'odd.json');
    expect(() => studentFamily(spec, 'odd.json', { round: 8 })).toThrow(/no rounding of tiny's channel widths \(D\) to multiples of 8 gives a valid model: .*heads/);
  });

  it('the width ladder lists distinct students with non-decreasing channel counts', () => {
    const fam = famOf('bmshj2018-hyperprior', { round: 8, prune: { h_s: 0.3 } });
    const ladder = widthLadder(fam, 0.25, 1, { validate: true });
    expect(ladder.length).toBeGreaterThan(20);
    expect(new Set(ladder.map((r) => r.key)).size).toBe(ladder.length);
    for (let i = 1; i < ladder.length; i++) {
      expect(ladder[i].from).toBeGreaterThan(ladder[i - 1].from);
      for (const p of fam.channelParams) expect(ladder[i].params[p]).toBeGreaterThanOrEqual(ladder[i - 1].params[p]);
      expect(totals(ladder[i].spec).params).toBeGreaterThanOrEqual(totals(ladder[i - 1].spec).params);
    }
    expect(ladder[ladder.length - 1].params).toMatchObject({ N: 128, M: 192 });
    // Every width of the interval gives the rung's student.
    const mid = ladder[3];
    expect(makeStudent(fam, mid.from + (mid.to - mid.from) / 3).key).toBe(mid.key);
  });

  it('prunes a part\'s inner layers but not its interface, and a named layer exactly', () => {
    const fam = famOf('bmshj2018-hyperprior', { round: 8, prune: { g_a: 0.5, 'h_s/0': 0.25 } });
    const w = inferWorkload(resolveModel(makeStudent(fam, 1).spec, 'x', {}), { width: 256, height: 256 });
    const cout = (part: string, name: string) => w.layers.find((l) => l.part === part && l.name === name)!.cout;
    expect([cout('g_a', '0'), cout('g_a', '2'), cout('g_a', '4')]).toEqual([64, 64, 64]);
    expect(cout('g_a', '6')).toBe(192);
    expect(cout('h_s', '0')).toBe(96);
    expect(cout('h_s', '2')).toBe(128);
  });

  it('switches GDN to its simplified form or to ReLU', () => {
    const ops = (g: 'simplified' | 'relu') => {
      const s = makeStudent(famOf('bmshj2018-hyperprior', { round: 8, gdn: g }), 1);
      return s.spec.parts.flatMap((p) => p.layers.map((l) => (l as { op: string }).op));
    };
    expect(ops('simplified').filter((o) => o.includes('gdn')).sort()).toEqual([...Array(3).fill('gdn_simplified'), ...Array(3).fill('igdn_simplified')]);
    expect(ops('relu').some((o) => o.includes('gdn'))).toBe(false);
  });
});
