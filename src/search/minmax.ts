/**
 * Exact min-max allocation (pipeline balancing): choose one option per stage so that the slowest stage is as
 * fast as possible while the summed resources stay within the caps.
 *
 * For a target T, the cheapest option of each stage with cycles ≤ T is taken; if those fit, T is feasible.
 * Feasibility is monotone in T (a larger T admits a superset of options), so a binary search over the sorted
 * distinct option cycles finds the optimum. The cheapest option is well defined when one candidate is no more
 * expensive than the others in every resource — true for parallelism options whose costs grow together (DSP,
 * BRAM banks and LUTs all grow with pin·pout·pk); otherwise the normalised sum decides and `exact` is false.
 */
export interface StageOption {
  cycles: number;
  costs: number[];
}

export interface Allocation {
  /** Index of the chosen option per stage. */
  choice: number[];
  target: number;
  costs: number[];
  exact: boolean;
}

function cheapestUnder(opts: StageOption[], T: number, caps: number[], weights: number[]): { index: number; exact: boolean } | undefined {
  let best = -1;
  let exact = true;
  for (let i = 0; i < opts.length; i++) {
    const o = opts[i];
    if (o.cycles > T) continue;
    if (best < 0) {
      best = i;
      continue;
    }
    const b = opts[best];
    const le = o.costs.every((c, k) => c <= b.costs[k]);
    const ge = o.costs.every((c, k) => c >= b.costs[k]);
    if (le && !ge) best = i;
    else if (!le && !ge) {
      exact = false;
      const norm = (x: StageOption) => x.costs.reduce((s, c, k) => s + (weights[k] * c) / (caps[k] || 1), 0);
      if (norm(o) < norm(b)) best = i;
    } else if (le && ge && o.cycles < b.cycles) best = i;
  }
  return best < 0 ? undefined : { index: best, exact };
}

function allocateWeighted(stages: StageOption[][], T: number, caps: number[], weights: number[]): { alloc?: Allocation; costs: number[] } {
  const choice: number[] = [];
  const costs = caps.map(() => 0);
  let exact = true;
  for (const opts of stages) {
    const c = cheapestUnder(opts, T, caps, weights);
    if (!c) return { costs: caps.map(() => Infinity) };
    exact &&= c.exact;
    choice.push(c.index);
    opts[c.index].costs.forEach((v, k) => (costs[k] += v));
  }
  if (costs.some((v, k) => v > caps[k])) return { costs };
  return { alloc: { choice, target: Math.max(0, ...choice.map((c, i) => stages[i][c].cycles)), costs, exact }, costs };
}

/**
 * The allocation for target T. Where options are incomparable (one saves BRAM, another DSP), a weighted sum
 * decides; a resource that overflows has its weight raised and the choice repeated (a few Lagrangian rounds).
 */
export function allocateAt(stages: StageOption[][], T: number, caps: number[]): Allocation | undefined {
  const weights = caps.map(() => 1);
  for (let round = 0; round < 8; round++) {
    const r = allocateWeighted(stages, T, caps, weights);
    if (r.alloc) return r.alloc;
    if (!r.costs.some(Number.isFinite)) return undefined;
    let changed = false;
    r.costs.forEach((v, k) => {
      if (v > caps[k]) {
        weights[k] *= 4;
        changed = true;
      }
    });
    if (!changed) return undefined;
  }
  return undefined;
}

/** The feasible allocation with the smallest maximum stage cycles, or undefined if none fits. */
export function minMaxAllocate(stages: StageOption[][], caps: number[]): Allocation | undefined {
  if (!stages.length) return { choice: [], target: 0, costs: caps.map(() => 0), exact: true };
  const targets = [...new Set(stages.flatMap((s) => s.map((o) => o.cycles)))].sort((a, b) => a - b);
  // The slowest stage can be no faster than the largest of the per-stage minima.
  const floor = Math.max(...stages.map((s) => Math.min(...s.map((o) => o.cycles))));
  let lo = targets.findIndex((t) => t >= floor);
  let hi = targets.length - 1;
  if (!allocateAt(stages, targets[hi], caps)) return undefined;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (allocateAt(stages, targets[mid], caps)) hi = mid;
    else lo = mid + 1;
  }
  return allocateAt(stages, targets[lo], caps);
}

/** Every allocation on the target ladder (for the Pareto front): one per distinct feasible target. */
export function allocationLadder(stages: StageOption[][], caps: number[], maxPoints = 40): Allocation[] {
  const targets = [...new Set(stages.flatMap((s) => s.map((o) => o.cycles)))].sort((a, b) => a - b);
  const step = Math.max(1, Math.floor(targets.length / maxPoints));
  const out: Allocation[] = [];
  for (let i = 0; i < targets.length; i += step) {
    const a = allocateAt(stages, targets[i], caps);
    if (a) out.push(a);
  }
  return out;
}
