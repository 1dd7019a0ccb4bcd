import { describe, expect, it } from 'vitest';
import { allocationLadder, cannotFit, jointAllocate, minMaxAllocate, SolveMemo, type StageOption } from '../../src/search/minmax.js';
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
    const opts: { cycles: number; costs: number[] }[] = [];
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

/** Every combination: the smallest max(parallel, floor) + Σ serial within the caps. */
function bruteForceChain(stages: StageOption[][], serial: boolean[], caps: number[], floor: number): number | undefined {
  let best: number | undefined;
  const rec = (i: number, used: number[], worst: number, sum: number) => {
    if (used.some((u, k) => u > caps[k])) return;
    if (i === stages.length) {
      const obj = Math.max(worst, floor) + sum;
      if (best === undefined || obj < best) best = obj;
      return;
    }
    for (const o of stages[i]) rec(i + 1, used.map((u, k) => u + o.costs[k]), serial[i] ? worst : Math.max(worst, o.cycles), serial[i] ? sum + o.cycles : sum);
  };
  rec(0, caps.map(() => 0), 0, 0);
  return best;
}

describe('joint balancing of a serial chain (parallel stages + a chain whose stage times add)', () => {
  it('is feasible exactly when brute force is, and within 10% of its frame on 200 random instances', () => {
    let feasible = 0;
    let exact = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const { stages, caps } = instance(seed);
      const r = rng(seed + 1000);
      const serial = stages.map((_, i) => i > 0 && r.int(0, 1) === 1);
      const floor = r.int(0, 1) ? r.int(0, 800) : 0;
      const bf = bruteForceChain(stages, serial, caps, floor);
      const a = jointAllocate(stages, serial, caps, floor);
      if (bf === undefined) {
        expect(a, `seed ${seed}`).toBeUndefined();
        continue;
      }
      feasible++;
      expect(a, `seed ${seed}`).toBeDefined();
      a!.costs.forEach((c, k) => expect(c).toBeLessThanOrEqual(caps[k]));
      // The reported objective is what the choice gives.
      const par = Math.max(0, ...a!.choice.map((c, i) => (serial[i] ? 0 : stages[i][c].cycles)));
      const sum = a!.choice.reduce((s, c, i) => s + (serial[i] ? stages[i][c].cycles : 0), 0);
      expect(a!.objective).toBe(Math.max(par, floor) + sum);
      expect(a!.objective).toBeGreaterThanOrEqual(bf);
      expect(a!.objective, `seed ${seed}`).toBeLessThanOrEqual(bf * 1.1);
      if (a!.objective === bf) exact++;
    }
    expect(feasible).toBeGreaterThan(80);
    expect(exact / feasible).toBeGreaterThan(0.8);
  });

  it('gives the chain the resources a per-stage balance would leave idle', () => {
    // One parallel stage of 100 cycles at 1 DSP; two chain stages of 400 and 300 cycles that halve per DSP doubling.
    const chain = (work: number) => [1, 2, 4, 8].map((d) => ({ cycles: work / d, costs: [d] }));
    const stages = [[{ cycles: 100, costs: [1] }], chain(400), chain(300)];
    const a = jointAllocate(stages, [false, true, true], [17])!;
    // 1 + 8 + 8 DSPs: 100 + 50 + 37.5; balancing each chain stage to the parallel target (100) would stop at 4 + 4.
    expect(a.choice).toEqual([0, 3, 3]);
    expect(a.objective).toBe(100 + 50 + 37.5);
  });
});

/** Every combination of options, serial stages summed: the least frame (max(parallel, floor) + Σ serial) within the caps. */
function bruteForceJoint(stages: StageOption[][], serial: boolean[], caps: number[]): number | undefined {
  let best: number | undefined;
  const rec = (i: number, used: number[], par: number, chain: number) => {
    if (used.some((u, k) => u > caps[k])) return;
    if (i === stages.length) {
      best = Math.min(best ?? Infinity, par + chain);
      return;
    }
    for (const o of stages[i]) rec(i + 1, used.map((u, k) => u + o.costs[k]), serial[i] ? par : Math.max(par, o.cycles), serial[i] ? chain + o.cycles : chain);
  };
  rec(0, caps.map(() => 0), 0, 0);
  return best;
}

describe('cannotFit (the bound that refuses a pipeline placement before timing its options)', () => {
  it('never refuses what fits, and every solver finds nothing where it refuses (random small instances, costs in any order)', () => {
    let refused = 0;
    let kept = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const r = rng(1000 + seed);
      const n = r.int(1, 5);
      const stages: StageOption[][] = Array.from({ length: n }, () => Array.from({ length: r.int(1, 5) }, () => ({
        cycles: r.int(1, 400), costs: [r.int(0, 9), r.int(0, 9), r.int(0, 30)],
      })));
      const serial = stages.map(() => r.int(0, 3) === 0);
      const caps = [r.int(0, 6 * n), r.int(0, 6 * n), r.int(0, 20 * n)];
      const least = stages.map((opts) => [0, 1, 2].map((k) => Math.min(...opts.map((o) => o.costs[k]))));
      const exhaustive = bruteForceJoint(stages, serial, caps);
      if (cannotFit(least, caps)) {
        refused++;
        expect(exhaustive, `seed ${seed}`).toBeUndefined();
        expect(minMaxAllocate(stages, caps), `seed ${seed}`).toBeUndefined();
        expect(jointAllocate(stages, serial, caps), `seed ${seed}`).toBeUndefined();
      } else if (exhaustive !== undefined) kept++;
    }
    // Both sides are exercised.
    expect(refused).toBeGreaterThan(50);
    expect(kept).toBeGreaterThan(50);
  });

  it('a solve memo shared by one search gives the answers of solving afresh', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const { stages, caps } = instance(seed);
      const serial = stages.map((_, i) => i === stages.length - 1 && seed % 2 === 0);
      const memo = new SolveMemo();
      // The same caps array and option lists again and again, as a search's placements and ladders ask.
      for (let rep = 0; rep < 3; rep++) {
        expect(minMaxAllocate(stages, caps, memo), `seed ${seed}`).toEqual(minMaxAllocate(stages, caps));
        expect(jointAllocate(stages, serial, caps, 0, memo), `seed ${seed}`).toEqual(jointAllocate(stages, serial, caps));
        expect(allocationLadder(stages, caps, 40, memo), `seed ${seed}`).toEqual(allocationLadder(stages, caps));
      }
    }
  });
});
