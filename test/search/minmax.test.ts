import { describe, expect, it } from 'vitest';
import { minMaxAllocate, type StageOption } from '../../src/search/minmax.js';
import { rng } from '../rng.js';

/** Every combination of options: the smallest max-stage cycles within the caps. */
function bruteForce(stages: StageOption[][], caps: number[]): number | undefined {
  let best: number | undefined;
  const rec = (i: number, used: number[], worst: number) => {
    if (used.some((u, k) => u > caps[k])) return;
    if (best !== undefined && worst >= best) return;
    if (i === stages.length) {
      best = worst;
      return;
    }
    for (const o of stages[i]) rec(i + 1, used.map((u, k) => u + o.costs[k]), Math.max(worst, o.cycles));
  };
  rec(0, caps.map(() => 0), 0);
  return best;
}

/** Parallelism-like options: more lanes → fewer cycles, and every resource grows with the lanes. */
function instance(seed: number) {
  const r = rng(seed);
  const nStages = r.int(2, 5);
  const stages: StageOption[][] = [];
  for (let s = 0; s < nStages; s++) {
    const work = r.int(50, 5000);
    const opts: StageOption[] = [];
    for (const lanes of [1, 2, 3, 4, 6, 8, 12, 16].slice(0, r.int(3, 8))) {
      opts.push({ cycles: Math.ceil(work / lanes) + r.int(0, 3), costs: [lanes * r.int(1, 2), Math.ceil(lanes / 2) + r.int(0, 1) * lanes, lanes * 10] });
    }
    // keep costs monotone in lanes in every resource, as parallelism options are
    for (let k = 0; k < 3; k++) for (let i = 1; i < opts.length; i++) opts[i].costs[k] = Math.max(opts[i].costs[k], opts[i - 1].costs[k]);
    stages.push(opts);
  }
  const caps = [r.int(nStages, 12 * nStages), r.int(nStages, 10 * nStages), r.int(10 * nStages, 120 * nStages)];
  return { stages, caps };
}

describe('exact min-max balancing', () => {
  it('equals brute force on 300 random small instances', () => {
    let feasible = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const { stages, caps } = instance(seed);
      const bf = bruteForce(stages, caps);
      const a = minMaxAllocate(stages, caps);
      if (bf === undefined) {
        expect(a, `seed ${seed}`).toBeUndefined();
        continue;
      }
      feasible++;
      expect(a, `seed ${seed}`).toBeDefined();
      expect(a!.target, `seed ${seed}`).toBe(bf);
      expect(a!.exact).toBe(true);
      a!.costs.forEach((c, k) => expect(c).toBeLessThanOrEqual(caps[k]));
    }
    expect(feasible).toBeGreaterThan(100);
  });
});
