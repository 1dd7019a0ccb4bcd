import { UserError } from '../errors.js';
import type { PipelineLayer, PipelineSpec, Point } from '../mapping/schema.js';
import type { Platform, ResourceKind } from '../platform/schema.js';
import { RESOURCE_KINDS } from '../platform/schema.js';
import type { CostTables } from '../platform/tables.js';
import type { Workload } from '../workload/types.js';
import { macPipelineDepth } from '../cost/engine.js';
import { stageGeomOf } from '../cost/pipeline-design.js';
import type { StageArch } from '../arch/pipeline.js';
import { DEFAULT_CAPS, pathPlan, stageUnits, type StageUnit } from '../cost/evaluate.js';
import { imageAndLatentBytes, joinBuffers, joinShapes, unitMember, type JoinBuffer, type PipelineShare } from '../cost/pipeline-design.js';
import { shapeKey } from './engine-search.js';
import { pipelineStageDsp, prepareUnit, stageMemo, unitStageCycles, unitStageResources, unitStageTime, type Describe, type PlacementUse, type PreparedUnit } from '../cost/pipeline.js';
import { allocationLadder, cannotFit, SolveMemo, jointAllocate, jointLadder, type Allocation, type StageOption } from './minmax.js';

export function divisors(n: number): number[] {
  const out: number[] = [];
  for (let d = 1; d * d <= n; d++) {
    if (n % d === 0) {
      out.push(d);
      if (d * d !== n) out.push(n / d);
    }
  }
  return out.sort((a, b) => a - b);
}

type Mode = Pick<PipelineLayer, 'weights' | 'reuse' | 'spill'>;

interface Stage {
  unit: StageUnit;
  configs: PipelineLayer[];
  options: StageOption[];
}

const COST_KINDS: ResourceKind[] = RESOURCE_KINDS;
// rawCosts writes the kinds by name in this order.
if (COST_KINDS.join() !== 'dsp,bram18,uram,lut,ff') throw new Error(`pipeline search: resource kinds ${COST_KINDS.join()} are not in the order rawCosts writes them`);

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * A stage's parallelism options in one mode, in the order the search enumerates them, as columns: a search
 * enumerates thousands and keeps a few, so a PipelineLayer is made only for an option it keeps (once, so every
 * placement's list holds the same object); the others are costed through one scratch layer (`load`), of which
 * the costing keeps nothing.
 */
class StageConfigs {
  readonly pin: Int32Array;
  readonly pout: Int32Array;
  readonly pk: Int32Array;
  readonly reuse: Int32Array;
  private readonly made: (PipelineLayer | undefined)[];
  constructor(readonly mode: Mode, readonly length: number) {
    this.pin = new Int32Array(length);
    this.pout = new Int32Array(length);
    this.pk = new Int32Array(length);
    this.reuse = new Int32Array(length);
    this.made = new Array<PipelineLayer | undefined>(length).fill(undefined);
  }

  /** A layer to load options into (the same shape as `at`'s). */
  scratch(): PipelineLayer {
    return { pin: 0, pout: 0, pk: 0, weights: this.mode.weights, reuse: 0, spill: this.mode.spill, fifoDepth: 2 };
  }

  /** Option j in `c` (a scratch layer). */
  load(j: number, c: PipelineLayer): PipelineLayer {
    c.pin = this.pin[j];
    c.pout = this.pout[j];
    c.pk = this.pk[j];
    c.reuse = this.reuse[j];
    return c;
  }

  /** Option j as a layer of its own (one the search keeps). */
  at(j: number): PipelineLayer {
    return (this.made[j] ??= this.load(j, this.scratch()));
  }
}

/**
 * A stage's parallelism options in one mode: the configurations in the order they are enumerated and, once
 * asked for, each one's cycles. Neither depends on where memories are placed, so one search times them once
 * for every placement (and never for a placement judged from its costs alone).
 */
class TimedOptions {
  // Every field from the start (the JIT sees one shape, not one per order in which they are filled in).
  cycles: Float64Array | undefined = undefined;
  /** Each option's stage as the template builds it (a one-layer emitted stage): described once for its timing and every placement's costs. */
  archs: StageArch[] | undefined = undefined;
  /** Which placement flags the stage's memories follow (known once costed under one placement). */
  uses: PlacementUse | undefined = undefined;
  constructor(readonly unit: StageUnit, readonly prepared: PreparedUnit, readonly configs: StageConfigs) {}
}

/**
 * A Describe answering for option `at.j` of t from its remembered description (one-layer emitted stages; else
 * the search's memo): the loops over a mode's options ask it for each option, for its cycles and its memories.
 */
function optionDescribe(t: TimedOptions, describe: Describe): { at: { j: number }; describe: Describe } {
  const at = { j: 0 };
  const m = t.prepared.members;
  const g = m.length === 1 ? m[0].geom : undefined;
  if (!g) return { at, describe };
  if (!t.archs) {
    const c = t.configs.scratch();
    t.archs = [];
    for (let j = 0; j < t.configs.length; j++) t.archs.push(describe(g, t.configs.load(j, c), m[0].precision));
  }
  const archs = t.archs;
  return { at, describe: () => archs[at.j] };
}

/** Every option's costs under one placement (flat, COST_KINDS per option) and each resource's least over them. */
interface RawCosts {
  costs: Float64Array;
  least: number[];
}

/** A stage's parallelism options in one mode, in the order the search enumerates them. */
function stageConfigs(unit: StageUnit, prepared: PreparedUnit, mode: Mode): StageConfigs {
  const members = prepared.members;
  const rep = unit.members[0];
  const N = members.map((m) => m.lowered.N).reduce(gcd);
  const M = members.map((m) => m.lowered.M).reduce(gcd);
  const sameN = members.every((m) => m.lowered.N === N);
  // A streamed stage re-fetches its weights every `reuse` pixels of a row: the small partial-sum budget, or a
  // whole row (fewer fetches for larger window and output buffers); the options' pruning keeps what pays.
  const reuses = mode.weights === 'stream' ? [...new Set([mode.reuse, Math.max(mode.reuse, rep.layer.outW)])] : [mode.reuse];
  // Kernel taps are unrolled (pk > 1) only once every input channel is (pin = N, alike in every member).
  const pins = divisors(N);
  const pouts = divisors(M);
  const tapSplits = sameN ? divisors(rep.lowered!.taps) : [1];
  const pksOf = (pin: number) => (sameN && pin === N ? tapSplits : [1]);
  let n = 0;
  for (const pin of pins) n += reuses.length * pouts.length * pksOf(pin).length;
  const configs = new StageConfigs(mode, n);
  let j = 0;
  for (const pin of pins) {
    const pks = pksOf(pin);
    for (const reuse of reuses) for (const pout of pouts) for (const pk of pks) {
      configs.pin[j] = pin;
      configs.pout[j] = pout;
      configs.pk[j] = pk;
      configs.reuse[j] = reuse;
      j++;
    }
  }
  return configs;
}

/** An option's cycles as the solver balances them: a frame, or (serial chain) a position times the positions. */
function optionCycles(unit: StageUnit, prepared: PreparedUnit, cfg: PipelineLayer, describe: Describe): number {
  const rep = unit.members[0];
  const t = unitStageCycles(prepared, cfg, { depth: macPipelineDepth(cfg.pin, rep.precision), describe }, !!rep.serial);
  return rep.serial ? t * (rep.layer.outH * rep.layer.outW) : t;
}

function timedOptions(unit: StageUnit, prepared: PreparedUnit, mode: Mode): TimedOptions {
  return new TimedOptions(unit, prepared, stageConfigs(unit, prepared, mode));
}

function cyclesOf(t: TimedOptions, describe: Describe): Float64Array {
  if (!t.cycles) {
    const d = optionDescribe(t, describe);
    const cycles = new Float64Array(t.configs.length);
    const c = t.configs.scratch();
    for (let j = 0; j < cycles.length; j++) {
      d.at.j = j;
      cycles[j] = optionCycles(t.unit, t.prepared, t.configs.load(j, c), d.describe);
    }
    t.cycles = cycles;
  }
  return t.cycles;
}

/**
 * The resources of the option smallestCosts picks from costedOptions' list (fewest DSPs, then fewest BRAM18,
 * then the first in the list's order: fewest cycles, then enumeration order), found without sizing the
 * memories of every option: only those with the fewest DSPs are costed in full, and only their ties timed.
 * The pruning keeps that option (nothing it keeps before it has as few DSPs and BRAM18s), so this is exact.
 */
function fewestDspConfigs(configs: StageConfigs, prepared: PreparedUnit, platform: Platform, tables: CostTables): number[] {
  const w = prepared.widest;
  const dsp = new Float64Array(configs.length);
  const c = configs.scratch();
  let fewest = Infinity;
  for (let j = 0; j < dsp.length; j++) {
    dsp[j] = pipelineStageDsp(w.lowered, configs.load(j, c), w.precision, platform.spec.dspFamily, tables);
    fewest = Math.min(fewest, dsp[j]);
  }
  const out: number[] = [];
  for (let j = 0; j < dsp.length; j++) if (dsp[j] === fewest) out.push(j);
  return out;
}

/** Of the options with the fewest DSPs (in enumeration order; the same under every placement), smallestCosts' pick. */
function smallestOption(unit: StageUnit, prepared: PreparedUnit, configs: StageConfigs, fewest: number[], platform: Platform, tables: CostTables, uram: boolean, bufUram: boolean, describe: Describe): number[] {
  const bram = COST_KINDS.indexOf('bram18');
  let best: { cycles: number; costs: number[] } | undefined;
  const scratch = configs.scratch();
  for (const j of fewest) {
    const cfg = configs.load(j, scratch);
    const r = unitStageResources(prepared, cfg, platform.spec.dspFamily, tables, { weightsInUram: uram, buffersInUram: bufUram, describe, noBanks: true }).resources;
    const costs = COST_KINDS.map((k) => r[k]);
    if (best && costs[bram] > best.costs[bram]) continue;
    const cycles = optionCycles(unit, prepared, cfg, describe);
    if (!best || costs[bram] < best.costs[bram] || cycles < best.cycles) best = { cycles, costs };
  }
  return best!.costs;
}

/** Every option of a mode costed under one placement, and each resource's least over them (what no choice beats). */
function rawCosts(t: TimedOptions, platform: Platform, tables: CostTables, uram: boolean, bufUram: boolean, describe: Describe): RawCosts {
  const uses: PlacementUse = { weights: false, buffers: false };
  const K = COST_KINDS.length;
  const n = t.configs.length;
  const costs = new Float64Array(n * K);
  const least = new Array<number>(K).fill(Infinity);
  const family = platform.spec.dspFamily;
  const d = optionDescribe(t, describe);
  const opts = { weightsInUram: uram, buffersInUram: bufUram, describe: d.describe, uses, noBanks: true };
  const c = t.configs.scratch();
  for (let j = 0; j < n; j++) {
    d.at.j = j;
    const r = unitStageResources(t.prepared, t.configs.load(j, c), family, tables, opts).resources;
    // COST_KINDS' order, read by name (a loop over the kinds as keys cost more than the costing's arithmetic).
    costs[j * K] = r.dsp;
    costs[j * K + 1] = r.bram18;
    costs[j * K + 2] = r.uram;
    costs[j * K + 3] = r.lut;
    costs[j * K + 4] = r.ff;
    for (let k = 0; k < K; k++) if (costs[j * K + k] < least[k]) least[k] = costs[j * K + k];
  }
  t.uses ??= uses;
  return { costs, least };
}

/** The costed options, keeping those no other option beats in cycles and every resource. */
function costedOptions(t: TimedOptions, raw: RawCosts, describe: Describe): Omit<Stage, 'unit'> {
  const K = COST_KINDS.length;
  const n = t.configs.length;
  // Only the options the pruning keeps become StageOptions (most are dropped).
  const costs = raw.costs;
  const cycles = cyclesOf(t, describe);
  // The solver's input shrinks 5–20×.
  const order: number[] = [];
  for (let i = 0; i < n; i++) order.push(i);
  order.sort((a, b) => cycles[a] - cycles[b] || costs[a * K] - costs[b * K]);
  const keep: number[] = [];
  // Whether an option is dominated does not depend on the order the kept ones are tried in: the last
  // dominator found is tried first (neighbours in cycles are often beaten by the same option).
  let last = -1;
  const beats = (p: number, i: number) => {
    if (cycles[p] > cycles[i]) return false;
    for (let k = 0; k < K; k++) if (costs[p * K + k] > costs[i * K + k]) return false;
    return true;
  };
  for (const i of order) {
    let dominated = last >= 0 && beats(last, i);
    for (let q = 0; q < keep.length && !dominated; q++) {
      if (beats(keep[q], i)) {
        dominated = true;
        last = keep[q];
      }
    }
    if (!dominated) keep.push(i);
  }
  // Each kept option's costs are a view of the placement's costs (remembered by the search anyway).
  const options: StageOption[] = [];
  for (const i of keep) options.push({ cycles: cycles[i], costs: costs.subarray(i * K, i * K + K) });
  return { configs: keep.map((i) => t.configs.at(i)), options };
}

/** A stage's line buffer in elements per row band (0 without one): which to spill first. */
function lineBufferWidth(u: StageUnit): number {
  const lw = u.members[0].lowered!;
  // A stage the template emits keeps its line buffer on chip (nothing to spill): only the others can.
  if (u.members.some((m) => stageGeomOf(m))) return 0;
  return lw.kh <= 1 ? 0 : Math.max(...u.members.map((m) => m.lowered!.inW * m.lowered!.N * m.lowered!.groups)) * lw.kh;
}

/** Partial sums a streamed-weight stage may hold: 4 BRAM18s' worth (each weight fetch serves `reuse` pixels). */
const PSUM_BITS = 4 * 18 * 1024;
export function streamReuse(unit: StageUnit): number {
  const pl = unit.members[0];
  const lw = pl.lowered!;
  let r = 1;
  while (r * 2 <= lw.R * lw.C && r * 2 * lw.M * lw.groups * pl.precision.accBits <= PSUM_BITS) r *= 2;
  return r;
}

/** Resources of the smallest design: every stage at its fewest-DSP option (one MAC lane). */
const fewestDsp = new WeakMap<StageOption[], StageOption>();
function smallestCosts(stages: Stage[]): number[] {
  const sum = COST_KINDS.map(() => 0);
  for (const st of stages) {
    // Stages of one shape and mode share their (cached) option list: its smallest option is found once.
    let o = fewestDsp.get(st.options);
    if (!o) {
      o = st.options.reduce((a, b) => (b.costs[0] < a.costs[0] || (b.costs[0] === a.costs[0] && b.costs[1] < a.costs[1]) ? b : a));
      fewestDsp.set(st.options, o);
    }
    for (let k = 0; k < sum.length; k++) sum[k] += o.costs[k];
  }
  return sum;
}

/** The three largest join buffers in a resource, named by block, with their shape. */
function largestJoins(joins: JoinBuffer[], k: ResourceKind): string {
  return [...joins].sort((a, b) => b.resources[k] - a.resources[k] || a.id.localeCompare(b.id)).slice(0, 3)
    .map((j) => `${j.id} holds ${j.held} for ${j.rows} rows × ${j.width} × ${j.channels} (${j.bytes} B, ${k} ${j.resources[k]})`).join('; ');
}

export interface PipelineResult {
  spec: PipelineSpec;
  allocation: Allocation;
  /** Why this design is no faster: the limit that binds (whyNoFaster). */
  limit: string;
  ladder: { spec: PipelineSpec; allocation: Allocation; limit: string }[];
  evaluated: number;
}

/** Math.round(n).toLocaleString('en-US'), without Intl for the usual integers (it dominated a ladder's texts). */
const fmt = (n: number) => {
  const r = Math.round(n);
  if (!Number.isSafeInteger(r) || Object.is(r, -0)) return r.toLocaleString('en-US');
  return String(r).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
};
const cfgText = (c: PipelineLayer) => `pin${c.pin} pout${c.pout}${c.pk > 1 ? ` pk${c.pk}` : ''}${c.weights === 'stream' ? ' stream' : ''}${c.spill ? ' spill' : ''}`;

/**
 * Why an allocation is no faster, in the search's own terms: what sets the frame (the slowest parallel stages,
 * the DRAM/CPU floor, the serial chain) and which cap the next faster step would break. One step faster means
 * every parallel stage at the target takes its cheapest faster option (all of them, or the frame stays), and
 * for the chain its cheapest single upgrade; the resources counted are the stages' plus the join buffers'.
 */
function whyNoFaster(
  stages: Stage[], a: Allocation & { serial?: number }, serial: boolean[], limit: number[], limit0: number[], floor: { cycles: number; what: string },
): string {
  const K = COST_KINDS.length;
  const joinsOf = (k: number) => limit0[k] - limit[k];
  const over = (delta: number[]) => COST_KINDS.map((kind, k) => (a.costs[k] + delta[k] > limit[k]
    ? `${kind} ${fmt(a.costs[k] + delta[k] + joinsOf(k))} > cap ${fmt(limit0[k])}${joinsOf(k) > 0 ? ` (join buffers ${fmt(joinsOf(k))} of it)` : ''}`
    : '')).filter(Boolean);
  const norm = (d: number[]) => d.reduce((s, v, k) => s + Math.max(0, v) / Math.max(1, limit[k]), 0);
  const parts: string[] = [];
  const par = stages.map((_, i) => i).filter((i) => !serial[i]);
  const T = a.target;
  if (par.length && floor.cycles >= T && floor.cycles > 0) {
    parts.push(`the ${floor.what} (${fmt(floor.cycles)} cycles a frame) is slower than every parallel stage (${fmt(T)})`);
  } else if (par.length) {
    const tied = par.filter((i) => stages[i].options[a.choice[i]].cycles === T);
    // The next target down: the slowest of the tied stages' next faster options; every parallel stage slower
    // than it takes its cheapest option within it.
    const full = tied.filter((i) => !stages[i].options.some((o) => o.cycles < T)).map((i) => stages[i].unit.key);
    const ex = tied[0];
    const head = `${tied.length} parallel stage${tied.length > 1 ? 's' : ''} at ${fmt(T)} cycles a frame (${stages[ex].unit.key} ${cfgText(stages[ex].configs[a.choice[ex]])}${tied.length > 1 ? ', …' : ''})`;
    if (full.length) parts.push(`${head}: ${full.join(', ')} already at full parallelism`);
    else {
      const next = Math.max(...tied.map((i) => Math.max(...stages[i].options.filter((o) => o.cycles < T).map((o) => o.cycles))));
      const delta = new Array<number>(K).fill(0);
      const stuck: string[] = [];
      for (const i of par) {
        const cur = stages[i].options[a.choice[i]];
        if (cur.cycles <= next) continue;
        const d = (o: StageOption) => Array.from(o.costs, (c, k) => c - cur.costs[k]);
        const within = stages[i].options.filter((o) => o.cycles <= next);
        if (!within.length) stuck.push(stages[i].unit.key);
        else d(within.reduce((x, y) => (norm(d(y)) < norm(d(x)) ? y : x))).forEach((v, k) => (delta[k] += v));
      }
      const o = over(delta);
      if (stuck.length) parts.push(`${head}: one step faster (≤ ${fmt(next)}) is beyond the full parallelism of ${stuck.join(', ')}`);
      else parts.push(o.length ? `${head}: one step faster (≤ ${fmt(next)}) needs ${o.join(', ')}` : `${head}: one step faster (≤ ${fmt(next)}) fits the caps but the search did not find it (its per-stage choice is inexact where options trade one resource for another)`);
    }
  }
  const chain = stages.map((_, i) => i).filter((i) => serial[i]);
  if (chain.length) {
    // The chain's cheapest faster step (least share of the caps): if even that breaks a cap, the chain is done.
    let best: { i: number; gain: number; cost: number; o: string[] } | undefined;
    let fits: string | undefined;
    for (const i of chain) {
      const cur = stages[i].options[a.choice[i]];
      for (const o of stages[i].options) {
        if (o.cycles >= cur.cycles) continue;
        const d = Array.from(o.costs, (c, k) => c - cur.costs[k]);
        const ov = over(d);
        if (!ov.length) fits ??= stages[i].unit.key;
        else if (!best || norm(d) < best.cost) best = { i, gain: cur.cycles - o.cycles, cost: norm(d), o: ov };
      }
    }
    const sum = a.serial ?? chain.reduce((s, i) => s + stages[i].options[a.choice[i]].cycles, 0);
    const head = `serial chain Σ ${fmt(sum)} cycles a frame over ${chain.length} stages`;
    if (fits) parts.push(`${head} (${fits} could be faster within the caps at a cost to the parallel stages)`);
    else if (best) parts.push(`${head}: its cheapest faster step (${stages[best.i].unit.key} ${cfgText(stages[best.i].configs[a.choice[best.i]])}, −${fmt(best.gain)}) needs ${best.o.join(', ')}`);
    else parts.push(`${head}, every chain stage at full parallelism`);
  }
  return parts.join('; ') || 'nothing binds';
}

/**
 * Pipeline search: decide where weights live (on chip, else streamed, largest first) and which stages spill
 * their line buffers, then balance the stages exactly (minmax.ts) under DSP/BRAM/URAM/LUT/FF caps.
 * With `share` (pipelineShare(), for evaluating the designs found): the search plans the path and describes its
 * stages through it, so their evaluations find the plan, the stage members and the descriptions made.
 */
export function searchPipeline(w: Workload, platform: Platform, tables: CostTables, base: Point, share?: PipelineShare): PipelineResult {
  const probe: Point = { ...base, arch: 'pipeline', pipeline: { weightsInUram: false, buffersInUram: false, deconv: 'subpixel', layers: {} } };
  // The designs' plan: evaluate plans a pipeline point by its deconv lowering (every design here is 'subpixel').
  let full = share?.plans.get('subpixel');
  if (!full) {
    full = pathPlan(w, probe, 'subpixel');
    share?.plans.set('subpixel', full);
  }
  const plan = stageUnits(full);
  const caps = { ...DEFAULT_CAPS, ...base.caps } as Record<ResourceKind, number>;
  const co = tables.coefficients;
  const limit0 = COST_KINDS.map((k) => Math.floor(platform.available[k] * caps[k]));
  // Fixed costs outside the stages: control, AXI ports (input, output, plus one for streamed traffic).
  limit0[COST_KINDS.indexOf('lut')] -= co.lut.base + 3 * co.lut.perAxiPortPer128Bits;
  limit0[COST_KINDS.indexOf('ff')] -= co.ff.base + 3 * co.ff.perAxiPortPer128Bits;
  let best: (Omit<PipelineResult, 'ladder' | 'limit'> & { cycles: number; limit: () => string; ladder: () => PipelineResult['ladder'] }) | undefined;
  let evaluated = 0;
  let lastFailure = '';
  let lastOver = Infinity;
  const fail = (msg: string, over: number) => {
    // Report the placement that came closest to fitting.
    if (over < lastOver) {
      lastOver = over;
      lastFailure = msg;
    }
  };
  const f = base.clockMHz * 1e6;
  const bwBytesPerCycle = platform.bandwidthBytesPerSec / f;
  const serialMask = plan.map((u) => u.members[0].serial);
  const hasChain = serialMask.some(Boolean);
  const fixedBytes = imageAndLatentBytes(w, base);
  // The entropy decoder's share of the chain: y's channels per position on the CPU (evaluate.ts composes it so).
  const sps = base.entropySymbolsPerSec ?? platform.spec.cpu.entropySymbolsPerSec;
  const chainPositions = hasChain ? plan.find((u) => u.members[0].serial)!.members[0].layer.outH * plan.find((u) => u.members[0].serial)!.members[0].layer.outW : 0;
  const cpuChainCycles = hasChain && w.latents.length ? (chainPositions * w.latents[0].channels / sps) * base.clockMHz * 1e6 : 0;
  const placements = platform.available.uram > 0
    ? [{ uram: false, bufUram: false }, { uram: true, bufUram: true }, { uram: false, bufUram: true }]
    : [{ uram: false, bufUram: false }];
  // What one search remembers (never beyond it): each stage described once per parallelism, each unit's
  // members prepared once (the description memo is keyed by their geometry), each mode's options timed once,
  // and costed once for every placement whose flags their memories follow.
  const describe = share?.describe ?? stageMemo();
  const prepared = plan.map((u) => prepareUnit(u.members.map(share?.member ?? unitMember)));
  const timed = new Map<string, TimedOptions>();
  const costed = new Map<string, Omit<Stage, 'unit'>>();
  const raws = new Map<string, RawCosts>();
  // Units of one shape get one small id: hashing the long shape strings on every lookup cost more than the lookups.
  const unitIds = new Map<string, number>();
  const unitKeys = plan.map((u) => {
    const k = `${u.members.map(shapeKey).join(';')}|${u.members[0].serial}`;
    if (!unitIds.has(k)) unitIds.set(k, unitIds.size);
    return unitIds.get(k)!;
  });
  // Streamed and spilled DRAM bytes per frame of a stage's first option (what the allocation's floor counts).
  const firstBytes = new Map<PipelineLayer, Map<number, number>>();
  const dramBytes = (i: number, st: Stage): number => {
    const c = st.configs[0];
    let m = firstBytes.get(c);
    if (!m) firstBytes.set(c, (m = new Map()));
    let b = m.get(i);
    if (b === undefined) m.set(i, (b = unitStageTime(prepared[i], c, { depth: 0, describe }).dramBytes));
    return b;
  };
  // Units of one shape share their options, timed and costed for the first of them the lower bound below
  // looks at; its stages' option counts are added to `evaluated` only if some design fits (else nobody sees it).
  const owner = new Map<string, number>();
  const fewestCfgs = new Map<string, number[]>();
  const chains = new SolveMemo();
  const countLater: (() => void)[] = [];
  // The join buffers (residual skips, gates), whose size depends neither on the parallelism nor on the placement.
  const pathJoins = joinShapes(full);
  for (const { uram, bufUram } of placements) {
    const joins = joinBuffers(full, tables, bufUram, pathJoins);
    const limit = limit0.slice();
    for (const j of joins) COST_KINDS.forEach((k, i) => (limit[i] -= j.resources[k]));
    const overJoin = COST_KINDS.findIndex((k, i) => limit[i] < 0);
    if (overJoin >= 0) {
      const k = COST_KINDS[overJoin];
      const total = joins.reduce((s, j) => s + j.resources[k], 0);
      fail(`the join buffers alone need ${k} ${total} > ${limit0[overJoin]} (cap ${caps[k]} of ${platform.available[k]}), over by ${-limit[overJoin]}${bufUram ? ' (in URAM)' : ''}; largest: ${largestJoins(joins, k)}`, 1 + -limit[overJoin] / Math.max(1, limit0[overJoin]));
      continue;
    }
    // Layers of one shape, precision and placement (repeated blocks, slice instances) share their options.
    const cache = new Map<string, Omit<Stage, 'unit'>>();
    const placed = (key: string, u: PlacementUse) => `${key}|${u.weights ? uram : '-'}|${u.buffers ? bufUram : '-'}`;
    const modeOf = (i: number, m: Mode, key: string): TimedOptions => {
      let t = timed.get(key);
      const o = owner.get(key) ?? i;
      if (!t) timed.set(key, (t = timedOptions(plan[o], prepared[o], m)));
      return t;
    };
    const rawOf = (key: string, t: TimedOptions): RawCosts => {
      let r = t.uses && raws.get(placed(key, t.uses));
      if (!r) {
        r = rawCosts(t, platform, tables, uram, bufUram, describe);
        raws.set(placed(key, t.uses!), r);
      }
      return r;
    };
    const stageFor = (i: number, m: Mode): Stage => {
      const key = `${unitKeys[i]}|${m.weights}|${m.reuse}|${m.spill}`;
      let st = cache.get(key);
      if (!st) {
        const t = modeOf(i, m, key);
        st = t.uses && costed.get(placed(key, t.uses));
        if (!st) {
          st = costedOptions(t, rawOf(key, t), describe);
          costed.set(placed(key, t.uses!), st);
        }
        cache.set(key, st);
        evaluated += st.options.length;
      }
      return { ...st, unit: plan[i] };
    };
    // A lower bound over every placement: each layer at its least on-chip memory over the four placements.
    const smallest = new Map<string, number[]>();
    {
      const modesOf = (u: StageUnit) => (['onchip', 'stream'] as const)
        .filter((wm) => wm === 'onchip' || !u.members[0].lowered!.secondIsActivation)
        .flatMap((wm) => [false, true].filter((sp) => !sp || lineBufferWidth(u) > 0).map((sp) => ({ weights: wm, reuse: wm === 'stream' ? streamReuse(u) : 1, spill: sp })));
      const memK = [COST_KINDS.indexOf('bram18'), COST_KINDS.indexOf('uram')];
      // Each stage's smallest option, without costing every option of every mode: a board that cannot hold
      // even the smallest design is refused before any enumeration.
      const smallestOf = (i: number, m: Mode): number[] => {
        const key = `${unitKeys[i]}|${m.weights}|${m.reuse}|${m.spill}`;
        if (!owner.has(key)) owner.set(key, i);
        let c = smallest.get(key);
        if (!c) {
          const known = cache.get(key);
          const o = owner.get(key)!;
          const configs = modeOf(i, m, key).configs;
          let fewest = fewestCfgs.get(key);
          if (!fewest) fewestCfgs.set(key, (fewest = fewestDspConfigs(configs, prepared[o], platform, tables)));
          c = known ? smallestCosts([{ ...known, unit: plan[i] }]) : smallestOption(plan[o], prepared[o], configs, fewest, platform, tables, uram, bufUram, describe);
          smallest.set(key, c);
          countLater.push(() => stageFor(i, m));
        }
        return c;
      };
      const least = memK.map((k) => plan.map((u, i) => Math.min(...modesOf(u).map((m) => smallestOf(i, m)[k]))));
      const lower = least.map((xs) => xs.reduce((a, b) => a + b, 0));
      const over = memK.map((k, j) => (lower[j] > limit[k]
        ? `${COST_KINDS[k]} ${lower[j] + (limit0[k] - limit[k])} > ${limit0[k]} (cap ${caps[COST_KINDS[k]]} of ${platform.available[COST_KINDS[k]]}), over by ${lower[j] - limit[k]}: stages at their least ${lower[j]}${bufUram ? ' (join and band buffers in URAM)' : ''}, largest ${
          plan.map((u, i) => ({ key: u.key, v: least[j][i] })).sort((a, b) => b.v - a.v || a.key.localeCompare(b.key)).slice(0, 3).map((x) => `${x.key} ${x.v}`).join(', ')
        }; join buffers ${limit0[k] - limit[k]}${joins.length ? `, largest ${largestJoins(joins, COST_KINDS[k])}` : ''}`
        : '')).filter(Boolean);
      if (over.length) {
        fail(`even one MAC per layer needs ${over.join('; ')}`, Math.max(...memK.map((k, j) => (lower[j] - limit[k]) / Math.max(1, limit0[k]))));
        continue;
      }
    }
    // Streaming candidates, cheapest first: DRAM bytes per frame added per on-chip weight bit saved.
    const order = plan.map((u, i) => {
      const lw = u.members[0].lowered!;
      if (lw.secondIsActivation) return { i, score: Infinity };
      const reuse = streamReuse(u);
      const bits = u.members.reduce((sum, m) => sum + m.lowered!.groups * m.lowered!.weightElems * m.precision.weightBits, 0);
      const traffic = u.members.reduce((sum, m) => sum + m.lowered!.groups * m.lowered!.weightElems * (m.precision.weightBits / 8) * Math.ceil((lw.R * lw.C) / reuse), 0);
      return { i, score: traffic / bits };
    }).filter((x) => Number.isFinite(x.score)).sort((a, b) => a.score - b.score || a.i - b.i).map((x) => x.i);
    // How many layers stream their weights: 0, 1, 2, 4, … and all (a geometric ladder keeps this O(log L)).
    const ks = [...new Set([0, ...Array.from({ length: 32 }, (_, j) => 2 ** j).filter((k) => k < order.length), order.length])];
    // The smallest design's costs for a vector of modes (smallestCosts of their stages, from each key's smallest option).
    const smallestSum = (modes: Mode[]): number[] => {
      const sum = COST_KINDS.map(() => 0);
      modes.forEach((m, i) => smallest.get(`${unitKeys[i]}|${m.weights}|${m.reuse}|${m.spill}`)!.forEach((c, k) => (sum[k] += c)));
      return sum;
    };
    // The mode vectors this placement visits, in order: per streaming step its modes, each spill the smallest design
    // needs, then each extra spill (those the allocation considers). Known from the smallest options alone.
    const steps: { modes: Mode[]; consider: boolean }[] = [];
    for (const k of ks) {
      const modes: Mode[] = plan.map(() => ({ weights: 'onchip' as 'onchip' | 'stream', reuse: 1, spill: false }));
      for (const i of order.slice(0, k)) modes[i] = { weights: 'stream', reuse: streamReuse(plan[i]), spill: false };
      steps.push({ modes: modes.slice(), consider: false });
      // Spill the widest line buffers while even the smallest design overflows on-chip memory.
      const memK = [COST_KINDS.indexOf('bram18'), COST_KINDS.indexOf('uram')];
      for (let guard = 0; guard < plan.length; guard++) {
        const min = smallestSum(modes);
        if (memK.every((m) => min[m] <= limit[m])) break;
        const wide = plan.map((u, i) => ({ i, w: modes[i].spill ? 0 : lineBufferWidth(u) }))
          .filter((c) => c.w > 0).sort((a, b) => b.w - a.w || a.i - b.i)[0];
        if (!wide) break;
        modes[wide.i] = { ...modes[wide.i], spill: true };
        steps.push({ modes: modes.slice(), consider: false });
      }
      // Line buffers spilled beyond what fitting needs trade DRAM traffic for on-chip memory that parallelism
      // can use (a BRAM-bound design otherwise leaves DSPs idle): the widest first, 0, 1, 2, 4, … and all.
      const spillable = plan.map((u, i) => ({ i, w: lineBufferWidth(u) })).filter((c) => c.w > 0 && !modes[c.i].spill)
        .sort((a, b) => b.w - a.w || a.i - b.i).map((c) => c.i);
      const extras = [...new Set([0, ...Array.from({ length: 32 }, (_, j) => 2 ** j).filter((e) => e < spillable.length), spillable.length])];
      for (const extra of extras) steps.push({ modes: modes.map((x, i) => (spillable.slice(0, extra).includes(i) ? { ...x, spill: true } : x)), consider: true });
    }
    const failNoMac = (min: number[]) => fail(
      `even one MAC per layer needs ${COST_KINDS.map((kind, i) => (min[i] > limit[i] ? `${kind} ${min[i]} > ${limit[i]} (cap ${caps[kind]} of ${platform.available[kind]})` : '')).filter(Boolean).join(', ')}`,
      Math.max(...COST_KINDS.map((_, i) => (min[i] - limit[i]) / Math.max(1, limit0[i]))),
    );
    // A placement none of whose considered vectors can fit (some resource's least per stage, over every option,
    // sums beyond its cap: the allocation surely fails) is judged from costs alone, without timing an option; its
    // stages' option counts are added later, as for the lower bound above, should some design fit.
    const hopeless = steps.every((st) => !st.consider || cannotFit(st.modes.map((m, i) => {
      const key = `${unitKeys[i]}|${m.weights}|${m.reuse}|${m.spill}`;
      return rawOf(key, modeOf(i, m, key)).least;
    }), limit));
    if (hopeless) {
      if (!best) for (const st of steps) if (st.consider) failNoMac(smallestSum(st.modes));
      for (const st of steps) st.modes.forEach((m, i) => countLater.push(() => stageFor(i, m)));
      continue;
    }
    const consider = (modes: Mode[], stages: Stage[]) => {
      // DRAM traffic of streamed weights and spilled maps (fixed by the placement) bounds the frame time too;
      // at decode with a serial chain the entropy decoder's share of each position is a floor as well.
      const bytes = fixedBytes + stages.reduce((sum, st, i) => sum + (modes[i].weights === 'stream' || modes[i].spill ? dramBytes(i, st) : 0), 0);
      const floor = Math.max(bytes / bwBytesPerCycle, cpuChainCycles);
      const opts = stages.map((s) => s.options);
      // No allocation frames faster than every parallel stage at its fastest, plus every chain stage at its
      // fastest (summed in the solver's order): when even that is no better than the best so far, skip it.
      if (best) {
        let low = 0;
        let chain = 0;
        for (let i = 0; i < opts.length; i++) {
          let m = Infinity;
          for (const o of opts[i]) if (o.cycles < m) m = o.cycles;
          if (serialMask[i]) chain += m;
          else low = Math.max(low, m);
        }
        if (Math.max(low, floor) + chain >= best.cycles) return;
      }
      const alloc = jointAllocate(opts, serialMask, limit, floor, chains);
      if (!alloc) {
        failNoMac(smallestCosts(stages));
        return;
      }
      const cycles = alloc.objective;
      if (best && cycles >= best.cycles) return;
      const toSpec = (a: Allocation): PipelineSpec => ({
        weightsInUram: uram, buffersInUram: bufUram, deconv: 'subpixel',
        layers: Object.fromEntries(stages.map((st, i) => [st.unit.key, st.configs[a.choice[i]]])),
      });
      const floorWhat = { cycles: floor, what: floor === cpuChainCycles && cpuChainCycles > 0 ? 'CPU entropy decoding of the chain' : 'DRAM traffic' };
      const why = (a: Allocation) => whyNoFaster(stages, a, serialMask, limit, limit0, floorWhat);
      // The ladder (Pareto front) is built once, for the winning placement.
      const ladder = () => (hasChain ? jointLadder(opts, serialMask, limit, floor, 0, chains) : allocationLadder(opts, limit, 40, chains)).map((a) => {
        // Its text is written only if someone reads it (explore reads the chosen design's alone).
        let text: string | undefined;
        return { spec: toSpec(a), allocation: a, get limit() { return (text ??= why(a)); } };
      });
      best = { cycles, spec: toSpec(alloc), allocation: alloc, limit: () => why(alloc), evaluated, ladder };
    };
    for (const st of steps) {
      const stages = plan.map((_, i) => stageFor(i, st.modes[i]));
      if (st.consider) consider(st.modes, stages);
    }
  }
  if (best) for (const count of countLater) count();
  if (!best) throw new UserError(`no pipeline design fits ${platform.name}: ${lastFailure || 'even one MAC per layer needs more than the caps allow'}`, { field: 'budget' });
  // The winner's limit is written once, for it alone (not for every design that led the search for a while).
  return { spec: best.spec, allocation: best.allocation, limit: best.limit(), evaluated, ladder: best.ladder() };
}
