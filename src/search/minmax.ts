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
  /** Resources in the caps' order (the search hands out typed arrays: one shape for the solvers' code). */
  costs: ArrayLike<number>;
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
  const K = caps.length;
  const norm = (x: StageOption) => {
    let s = 0;
    for (let k = 0; k < K; k++) s += (weights[k] * x.costs[k]) / (caps[k] || 1);
    return s;
  };
  // The best's weighted sum, once an incomparable option asks for it (kept until the best changes).
  let bestNorm = 0;
  let bestNormKnown = false;
  for (let i = 0; i < opts.length; i++) {
    const o = opts[i];
    if (o.cycles > T) continue;
    if (best < 0) {
      best = i;
      continue;
    }
    const b = opts[best];
    let le = true;
    let ge = true;
    for (let k = 0; k < K; k++) {
      const oc = o.costs[k];
      const bc = b.costs[k];
      le &&= oc <= bc;
      ge &&= oc >= bc;
    }
    if (le && !ge) {
      best = i;
      bestNormKnown = false;
    } else if (!le && !ge) {
      exact = false;
      if (!bestNormKnown) {
        bestNorm = norm(b);
        bestNormKnown = true;
      }
      const n = norm(o);
      if (n < bestNorm) {
        best = i;
        bestNorm = n;
      }
    } else if (le && ge && o.cycles < b.cycles) {
      best = i;
      bestNormKnown = false;
    }
  }
  return best < 0 ? undefined : { index: best, exact };
}

type Cheap = { index: number; exact: boolean } | undefined;

/** One stage's distinct cycle counts, ascending, and its cheapest option under each (per weight vector). */
interface StageMemo {
  cycles: number[];
  answers: Map<string, Cheap[]>;
  /** Per threshold (as for answers), each resource's least over the options within it. */
  least: number[][];
}

/** A stage's distinct cycle counts, ascending, and per threshold each resource's least within it (caps-free). */
function stageIndex(opts: StageOption[], K: number): { cycles: number[]; least: number[][] } {
  const cycles = [...new Set(opts.map((o) => o.cycles))].sort((a, b) => a - b);
  const least: number[][] = [new Array<number>(K).fill(Infinity)];
  const byCycles = opts.map((_, j) => j).sort((a, b) => opts[a].cycles - opts[b].cycles);
  let j = 0;
  for (const t of cycles) {
    const l = least[least.length - 1].slice();
    for (; j < byCycles.length && opts[byCycles[j]].cycles <= t; j++) {
      const c = opts[byCycles[j]].costs;
      for (let k = 0; k < c.length; k++) l[k] = Math.min(l[k], c[k]);
    }
    least.push(l);
  }
  return { cycles, least };
}

/**
 * cheapestUnder for one caps vector, remembered per stage and threshold: a stage's options under T change only
 * at its own cycle counts, so a sweep over every stage's targets asks each stage far fewer distinct questions.
 */
export class CheapestMemo {
  private readonly byStages = new Map<StageOption[][], StageMemo[]>();
  // Per option list (by identity): its answers hold for every stage list it is part of, under these caps.
  private readonly byOpts = new Map<StageOption[], StageMemo>();
  constructor(readonly caps: number[], private readonly solve?: SolveMemo) {}

  stages(stages: StageOption[][]): StageMemo[] {
    let m = this.byStages.get(stages);
    if (!m) {
      m = stages.map((opts) => {
        let sm = this.byOpts.get(opts);
        if (!sm) this.byOpts.set(opts, (sm = { ...(this.solve ? this.solve.index(opts) : stageIndex(opts, this.caps.length)), answers: new Map() }));
        return sm;
      });
      this.byStages.set(stages, m);
    }
    return m;
  }

  /** The largest of the stage's cycle counts within T, as a 1-based index (0: none): the same options qualify under it as under T. */
  private static threshold(cyc: number[], T: number): number {
    let lo = 0;
    let hi = cyc.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cyc[mid] <= T) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Whether no choice of options within T can fit: some resource's least per stage already sums beyond its cap. */
  surelyOver(stages: StageOption[][], T: number): boolean {
    const ms = this.stages(stages);
    const K = this.caps.length;
    const sum = new Array<number>(K).fill(0);
    for (const m of ms) {
      const l = m.least[CheapestMemo.threshold(m.cycles, T)];
      for (let k = 0; k < K; k++) sum[k] += l[k];
    }
    return sum.some((v, k) => v > this.caps[k]);
  }

  get(opts: StageOption[], m: StageMemo, T: number, weights: number[], wk: string): Cheap {
    const cyc = m.cycles;
    const lo = CheapestMemo.threshold(cyc, T);
    if (lo === 0) return undefined;
    let byT = m.answers.get(wk);
    if (!byT) m.answers.set(wk, (byT = new Array<Cheap>(cyc.length + 1)));
    let r = byT[lo];
    if (r === undefined) byT[lo] = r = cheapestUnder(opts, cyc[lo - 1], this.caps, weights);
    return r;
  }
}

function allocateWeighted(stages: StageOption[][], T: number, caps: number[], weights: number[], memo?: CheapestMemo): { alloc?: Allocation; costs: number[] } {
  const choice: number[] = [];
  const costs = caps.map(() => 0);
  let exact = true;
  const ms = memo?.stages(stages);
  const wk = ms ? weights.join(',') : '';
  for (let i = 0; i < stages.length; i++) {
    const opts = stages[i];
    const c = ms ? memo!.get(opts, ms[i], T, weights, wk) : cheapestUnder(opts, T, caps, weights);
    if (!c) return { costs: caps.map(() => Infinity) };
    exact &&= c.exact;
    choice.push(c.index);
    const oc = opts[c.index].costs;
    for (let k = 0; k < oc.length; k++) costs[k] += oc[k];
  }
  if (costs.some((v, k) => v > caps[k])) return { costs };
  return { alloc: { choice, target: Math.max(0, ...choice.map((c, i) => stages[i][c].cycles)), costs, exact }, costs };
}

/**
 * The allocation for target T. Where options are incomparable (one saves BRAM, another DSP), a weighted sum
 * decides; a resource that overflows has its weight raised and the choice repeated (a few Lagrangian rounds).
 */
export function allocateAt(stages: StageOption[][], T: number, caps: number[], memo?: CheapestMemo): Allocation | undefined {
  if (memo && memo.caps === caps && memo.surelyOver(stages, T)) return undefined;
  const weights = caps.map(() => 1);
  for (let round = 0; round < 8; round++) {
    const r = allocateWeighted(stages, T, caps, weights, memo && memo.caps === caps ? memo : undefined);
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

/**
 * Each resource's least over a stage's options, summed over the stages, beyond its cap: then no choice of one
 * option per stage fits, and every solver here (minMaxAllocate, jointAllocate, the ladders) finds nothing.
 * `least[i][k]` is resource k's least over stage i's options.
 */
export function cannotFit(least: number[][], caps: number[]): boolean {
  for (let k = 0; k < caps.length; k++) {
    let sum = 0;
    for (const l of least) sum += l[k];
    if (sum > caps[k]) return true;
  }
  return false;
}

/** Every stage's option cycles, distinct and ascending (a typed array sorts numbers without a comparator). */
function distinctCycles(stages: StageOption[][]): Float64Array {
  let n = 0;
  for (const s of stages) n += s.length;
  const all = new Float64Array(n);
  n = 0;
  for (const s of stages) for (const o of s) all[n++] = o.cycles;
  all.sort();
  let m = 0;
  for (let i = 0; i < n; i++) if (i === 0 || all[i] !== all[m - 1]) all[m++] = all[i];
  return all.subarray(0, m);
}

/** The feasible allocation with the smallest maximum stage cycles, or undefined if none fits. */
export function minMaxAllocate(stages: StageOption[][], caps: number[], solve?: SolveMemo): Allocation | undefined {
  if (!stages.length) return { choice: [], target: 0, costs: caps.map(() => 0), exact: true };
  const targets = distinctCycles(stages);
  // The slowest stage can be no faster than the largest of the per-stage minima.
  const floor = Math.max(...stages.map((s) => Math.min(...s.map((o) => o.cycles))));
  let lo = targets.findIndex((t) => t >= floor);
  let hi = targets.length - 1;
  const memo = solve ? solve.cheapest(caps) : new CheapestMemo(caps);
  if (!allocateAt(stages, targets[hi], caps, memo)) return undefined;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (allocateAt(stages, targets[mid], caps, memo)) hi = mid;
    else lo = mid + 1;
  }
  return allocateAt(stages, targets[lo], caps, memo);
}

/** Every allocation on the target ladder (for the Pareto front): one per distinct feasible target. */
export function allocationLadder(stages: StageOption[][], caps: number[], maxPoints = 40, solve?: SolveMemo): Allocation[] {
  const targets = distinctCycles(stages);
  const step = Math.max(1, Math.floor(targets.length / maxPoints));
  const out: Allocation[] = [];
  const memo = solve ? solve.cheapest(caps) : new CheapestMemo(caps);
  for (let i = 0; i < targets.length; i += step) {
    const a = allocateAt(stages, targets[i], caps, memo);
    if (a) out.push(a);
  }
  return out;
}

/** An allocation of a design with a serial chain: `target` over the parallel stages, `serial` summed. */
export interface ChainAllocation extends Allocation {
  /** Summed cycles of the serial stages (a position passes through each in turn). */
  serial: number;
  /** max(target, floor) + serial: the frame time the estimate composes. */
  objective: number;
}

/**
 * The state of chainGreedy: each stage's chosen option and the resources they use together. Numbers live in
 * typed arrays and the state in one class, so the solver's code sees one shape whatever the numbers are (an
 * array of small integers and one of fractions are different shapes to the JIT, which recompiled for each).
 */
class ChainState {
  readonly K: number;
  readonly budget: Float64Array;
  /** 1 / max(1, budget): a resource's price per unit. */
  readonly inv: Float64Array;
  readonly used: Float64Array;
  constructor(readonly stages: StageOption[][], budget: ArrayLike<number>, readonly cur: number[]) {
    const K = (this.K = budget.length);
    this.budget = Float64Array.from(budget);
    this.inv = new Float64Array(K);
    for (let k = 0; k < K; k++) this.inv[k] = 1 / Math.max(1, budget[k]);
    this.used = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      let u = 0;
      for (let i = 0; i < stages.length; i++) u += stages[i][cur[i]].costs[k];
      this.used[k] = u;
    }
  }

  apply(i: number, j: number): void {
    const a = this.stages[i][this.cur[i]].costs;
    const b = this.stages[i][j].costs;
    for (let k = 0; k < this.K; k++) this.used[k] += b[k] - a[k];
    this.cur[i] = j;
  }

  /** Whether the choice fits the budget with stage i at option j instead. */
  fitsWith(i: number, j: number): boolean {
    const a = this.stages[i][this.cur[i]].costs;
    const b = this.stages[i][j].costs;
    for (let k = 0; k < this.K; k++) if (this.used[k] + (b[k] - a[k]) > this.budget[k]) return false;
    return true;
  }

  /** Summed cycles of a choice (the current one by default), in stage order. */
  cycles(choice: ArrayLike<number> = this.cur): number {
    let sum = 0;
    for (let i = 0; i < this.stages.length; i++) sum += this.stages[i][choice[i]].cycles;
    return sum;
  }
}

/**
 * Warm start (Lagrangian relaxation): each stage minimises cycles + λ·price; the smallest λ that fits, taken if
 * it sums to fewer cycles than the current choice.
 */
function warmStart(st: ChainState): void {
  const { stages, K, inv, budget } = st;
  const S = stages.length;
  const prices = stages.map((opts) => {
    const ps = new Float64Array(opts.length);
    for (let j = 0; j < opts.length; j++) {
      let price = 0;
      for (let k = 0; k < K; k++) price += opts[j].costs[k] * inv[k];
      ps[j] = price;
    }
    return ps;
  });
  const ch = new Int32Array(S);
  const pick = (lambda: number) => {
    for (let i = 0; i < S; i++) {
      const opts = stages[i];
      const ps = prices[i];
      let bj = 0;
      let bv = Infinity;
      for (let j = 0; j < opts.length; j++) {
        const v = opts[j].cycles + lambda * ps[j];
        if (v < bv) {
          bv = v;
          bj = j;
        }
      }
      ch[i] = bj;
    }
    return ch;
  };
  const fitsAll = (c: Int32Array) => {
    for (let k = 0; k < K; k++) {
      let u = 0;
      for (let i = 0; i < S; i++) u += stages[i][c[i]].costs[k];
      if (u > budget[k]) return false;
    }
    return true;
  };
  let hi = 1;
  while (hi < 1e30 && !fitsAll(pick(hi))) hi *= 16;
  if (hi >= 1e30) return;
  let lo = hi / 16;
  if (hi === 1) lo = 0;
  for (let it = 0; it < 40 && hi - lo > hi * 1e-6; it++) {
    const mid = (lo + hi) / 2;
    if (fitsAll(pick(mid))) hi = mid;
    else lo = mid;
  }
  pick(hi);
  if (st.cycles(ch) < st.cycles()) for (let i = 0; i < S; i++) st.apply(i, ch[i]);
}

/**
 * Repeatedly take the upgrade that saves the most cycles per share of the budget. Each stage's best upgrade (its
 * first option of the highest ratio that fits) is kept across steps: another stage's step changes only the budget
 * left, and while that only shrinks, a best that still fits stays best (the options that fit are a subset holding
 * it). The step taken is the first stage's of the highest ratio, as a scan of every option in order would take.
 */
function upgrades(st: ChainState): void {
  const { stages, K, inv, budget, used, cur } = st;
  const S = stages.length;
  const bestJ = new Int32Array(S).fill(-1);
  const bestR = new Float64Array(S).fill(-1);
  const scan = (i: number) => {
    const opts = stages[i];
    const now = opts[cur[i]];
    let bj = -1;
    let bestRatio = -1;
    for (let j = 0; j < opts.length; j++) {
      const o = opts[j];
      const gain = now.cycles - o.cycles;
      if (gain <= 0) continue;
      let price = 1e-12;
      let ok = true;
      for (let k = 0; k < K; k++) {
        const d = o.costs[k] - now.costs[k];
        if (used[k] + d > budget[k]) {
          ok = false;
          break;
        }
        if (d > 0) price += d * inv[k];
      }
      if (!ok) continue;
      const ratio = gain / price;
      if (ratio > bestRatio) {
        bestRatio = ratio;
        bj = j;
      }
    }
    bestJ[i] = bj;
    bestR[i] = bestRatio;
  };
  for (let i = 0; i < S; i++) scan(i);
  for (let guard = 0; guard < 100000; guard++) {
    let bi = -1;
    let bestRatio = -1;
    for (let i = 0; i < S; i++) {
      if (bestJ[i] >= 0 && bestR[i] > bestRatio) {
        bestRatio = bestR[i];
        bi = i;
      }
    }
    if (bi < 0) break;
    const before = stages[bi][cur[bi]].costs;
    const after = stages[bi][bestJ[bi]].costs;
    let shrinks = true;
    for (let k = 0; k < K; k++) if (after[k] - before[k] < 0) shrinks = false;
    st.apply(bi, bestJ[bi]);
    for (let i = 0; i < S; i++) {
      if (i === bi || !shrinks) scan(i);
      else if (bestJ[i] >= 0 && !st.fitsWith(i, bestJ[i])) scan(i);
    }
  }
}

/**
 * Pairwise exchange: give one stage's resources to another when the sum drops, until nothing improves.
 * A stage's options in ascending cycles (as the search prunes them): those fast enough for a pair are a prefix.
 * With integer cycles and costs (exact arithmetic), a stage b none of whose fast-enough options could fit (the
 * least of some resource over them already breaks the budget) is skipped without scanning.
 */
function exchanges(st: ChainState): void {
  const { stages, K, budget, used, cur } = st;
  const S = stages.length;
  let integral = true;
  for (let k = 0; k < K && integral; k++) integral = Number.isSafeInteger(budget[k]);
  for (let i = 0; i < S && integral; i++) {
    for (const o of stages[i]) {
      integral &&= Number.isSafeInteger(o.cycles);
      for (let k = 0; k < K && integral; k++) integral = Number.isSafeInteger(o.costs[k]);
    }
  }
  const ascending = stages.map((opts) => opts.every((o, j) => j === 0 || opts[j - 1].cycles <= o.cycles));
  const minCycles = new Float64Array(S);
  for (let i = 0; i < S; i++) {
    let m = Infinity;
    for (const o of stages[i]) m = Math.min(m, o.cycles);
    minCycles[i] = m;
  }
  // prefixLeast[b][j·K + k]: the least cost k over stage b's options before j.
  const prefixLeast = !integral ? [] : stages.map((opts) => {
    const least = new Float64Array((opts.length + 1) * K).fill(Infinity);
    for (let j = 0; j < opts.length; j++) for (let k = 0; k < K; k++) least[(j + 1) * K + k] = Math.min(least[j * K + k], opts[j].costs[k]);
    return least;
  });
  const room = new Float64Array(K);
  for (let improved = true, rounds = 0; improved && rounds < 50; rounds++) {
    improved = false;
    for (let a = 0; a < S && !improved; a++) {
      const ca = stages[a][cur[a]];
      // The most any other stage can gain: a change of a that loses more cannot be paid back.
      let otherGain = -Infinity;
      for (let b = 0; b < S; b++) if (b !== a) otherGain = Math.max(otherGain, stages[b][cur[b]].cycles - minCycles[b]);
      for (let ja = 0; ja < stages[a].length && !improved; ja++) {
        if (ja === cur[a]) continue;
        const oa = stages[a][ja];
        const ga = ca.cycles - oa.cycles;
        if (integral && ga + otherGain <= 0) continue;
        if (integral) for (let k = 0; k < K; k++) room[k] = budget[k] - (used[k] + oa.costs[k] - ca.costs[k]);
        for (let b = 0; b < S && !improved; b++) {
          if (b === a) continue;
          const opts = stages[b];
          const cb = opts[cur[b]];
          let end = opts.length;
          if (ascending[b]) {
            // The first option too slow for the pair; every later one is too.
            let lo = 0;
            while (lo < end) {
              const mid = (lo + end) >> 1;
              if (ga + cb.cycles - opts[mid].cycles <= 0) end = mid;
              else lo = mid + 1;
            }
          } else if (ga + cb.cycles - minCycles[b] <= 0) continue;
          if (end === 0) continue;
          if (integral) {
            const least = prefixLeast[b];
            let possible = true;
            for (let k = 0; k < K && possible; k++) possible = least[end * K + k] - cb.costs[k] <= room[k];
            if (!possible) continue;
          }
          for (let jb = 0; jb < end; jb++) {
            const ob = opts[jb];
            if (ga + cb.cycles - ob.cycles <= 0) continue;
            let ok = true;
            for (let k = 0; k < K && ok; k++) ok = used[k] + oa.costs[k] - ca.costs[k] + ob.costs[k] - cb.costs[k] <= budget[k];
            if (!ok) continue;
            st.apply(a, ja);
            st.apply(b, jb);
            improved = true;
            break;
          }
        }
      }
    }
  }
}

/**
 * Serial stages minimising their summed cycles within a budget (a multi-resource knapsack): start from each
 * stage's cheapest option, warm-start from a Lagrangian relaxation, repeatedly take the upgrade that saves the
 * most cycles per share of the remaining budget, then (with `exchange`) try trading a downgrade of one stage for
 * an upgrade of another until nothing improves.
 */
export function chainGreedy(stages: StageOption[][], budget: number[], exchange = true): { choice: number[]; sum: number; costs: Float64Array } | undefined {
  const ones = budget.map(() => 1);
  const cur: number[] = [];
  for (const opts of stages) {
    const c = cheapestUnder(opts, Infinity, budget, ones);
    if (!c) return undefined;
    cur.push(c.index);
  }
  const st = new ChainState(stages, budget, cur);
  for (let k = 0; k < st.K; k++) if (st.used[k] > budget[k]) return undefined;
  warmStart(st);
  upgrades(st);
  if (exchange) exchanges(st);
  return { choice: cur, sum: st.cycles(), costs: st.used };
}

/**
 * Balance a pipeline whose frame is max(slowest parallel stage, floor) + Σ serial stages (Minnen 2018's
 * context chain at decode: every latent position passes through each chain stage in turn, so the chain's
 * summed per-position time binds, not its slowest stage). For each target T of the parallel stages (ascending,
 * until T alone exceeds the best frame) the parallel stages take their cheapest options under T and the chain
 * gets what is left.
 */
/**
 * What one search's solves share (its owner keeps it, never beyond one search): each stage list's index of
 * cycles and least costs (caps-free), and chainGreedy by its inputs (the chain's option lists by identity, the
 * budget, exchange or not), since the ladder and the streaming steps balance the same chain again.
 */
export class SolveMemo {
  private readonly ids = new Map<StageOption[], number>();
  private readonly results = new Map<string, ReturnType<typeof chainGreedy>>();
  private readonly indexes = new Map<StageOption[], { cycles: number[]; least: number[][] }>();

  private readonly memos = new Map<number[], CheapestMemo>();

  /** One CheapestMemo per caps vector (by identity: a search passes the same limits to every solve of a placement). */
  cheapest(caps: number[]): CheapestMemo {
    let m = this.memos.get(caps);
    if (!m) this.memos.set(caps, (m = new CheapestMemo(caps, this)));
    return m;
  }

  index(opts: StageOption[]): { cycles: number[]; least: number[][] } {
    let ix = this.indexes.get(opts);
    if (!ix) this.indexes.set(opts, (ix = stageIndex(opts, opts[0]?.costs.length ?? 0)));
    return ix;
  }

  greedy(stages: StageOption[][], budget: number[], exchange: boolean): ReturnType<typeof chainGreedy> {
    const id = (s: StageOption[]) => {
      let n = this.ids.get(s);
      if (n === undefined) this.ids.set(s, (n = this.ids.size));
      return n;
    };
    const key = `${stages.map(id).join(',')}|${budget.join(',')}|${exchange}`;
    if (this.results.has(key)) return this.results.get(key);
    const r = chainGreedy(stages, budget, exchange);
    this.results.set(key, r);
    return r;
  }
}

export function jointAllocate(stages: StageOption[][], serial: boolean[], caps: number[], floor = 0, chains?: SolveMemo): ChainAllocation | undefined {
  const P = stages.map((_, i) => i).filter((i) => !serial[i]);
  const Q = stages.map((_, i) => i).filter((i) => serial[i]);
  if (!Q.length) {
    const a = minMaxAllocate(stages, caps, chains);
    return a && { ...a, serial: 0, objective: Math.max(a.target, floor) };
  }
  const pStages = P.map((i) => stages[i]);
  const qStages = Q.map((i) => stages[i]);
  let cands = [0];
  if (P.length) {
    const low = Math.max(...pStages.map((s) => Math.min(...s.map((o) => o.cycles))));
    const all = [...new Set(pStages.flatMap((s) => s.map((o) => o.cycles)))].filter((t) => t >= low).sort((a, b) => a - b);
    // Targets under the floor cost more than the largest of them and frame no faster.
    const below = all.filter((t) => t <= floor);
    cands = [...below.slice(-1), ...all.filter((t) => t > floor)];
  }
  let best: ChainAllocation | undefined;
  const memo = chains ? chains.cheapest(caps) : new CheapestMemo(caps);
  // The chain at its fastest: no chain allocation sums to less.
  const chainLeast = qStages.reduce((sum, s) => sum + Math.min(...s.map((o) => o.cycles)), 0);
  const tryAt = (T: number) => {
    const a = P.length ? allocateAt(pStages, T, caps, memo) : { choice: [], target: 0, costs: caps.map(() => 0), exact: true };
    if (!a) return;
    if (best && Math.max(a.target, floor) + chainLeast >= best.objective) return;
    const budget = caps.map((c, k) => c - a.costs[k]);
    const greedy = (ex: boolean) => (chains ? chains.greedy(qStages, budget, ex) : chainGreedy(qStages, budget, ex));
    let s = greedy(false);
    if (!s) return;
    if (!best || Math.max(a.target, floor) + s.sum < best.objective * 1.05) s = greedy(true) ?? s;
    const objective = Math.max(a.target, floor) + s.sum;
    if (best && objective >= best.objective) return;
    const choice: number[] = [];
    P.forEach((i, j) => (choice[i] = a.choice[j]));
    Q.forEach((i, j) => (choice[i] = s.choice[j]));
    best = { choice, target: a.target, serial: s.sum, objective, costs: a.costs.map((c, k) => c + s.costs[k]), exact: false };
  };
  // Coarse pass over every step-th target, then every target around the best coarse one.
  const step = Math.max(1, Math.ceil(cands.length / 48));
  let bestIdx = -1;
  for (let i = 0; i < cands.length; i += step) {
    if (best && Math.max(cands[i], floor) >= best.objective) break;
    const before = best;
    tryAt(cands[i]);
    if (best !== before) bestIdx = i;
  }
  if (step > 1 && bestIdx >= 0) {
    for (let i = Math.max(0, bestIdx - step + 1); i < Math.min(cands.length, bestIdx + step); i++) {
      if (best && Math.max(cands[i], floor) >= best.objective) break;
      if (i !== bestIdx) tryAt(cands[i]);
    }
  }
  return best;
}

/** Designs of a chained pipeline at shrinking DSP budgets (its Pareto front of FPS against DSP). */
export function jointLadder(stages: StageOption[][], serial: boolean[], caps: number[], floor = 0, dspIndex = 0, chains?: SolveMemo): ChainAllocation[] {
  const out: ChainAllocation[] = [];
  for (const share of [1, 0.8, 0.65, 0.5, 0.4, 0.3, 0.22, 0.16, 0.11, 0.07, 0.04, 0.02]) {
    const c = caps.slice();
    c[dspIndex] = Math.floor(caps[dspIndex] * share);
    const a = jointAllocate(stages, serial, c, floor, chains);
    if (a) out.push(a);
  }
  return out;
}
