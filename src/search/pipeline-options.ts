/**
 * The pipeline search's stage options (pipeline-search.ts): each mode's parallelism options enumerated, timed and
 * costed under a placement, pruned to those no other option beats, and the smallest design's costs.
 */
import type { PipelineLayer } from '../mapping/schema.js';
import type { Platform, ResourceKind } from '../platform/schema.js';
import { RESOURCE_KINDS } from '../platform/schema.js';
import type { CostTables } from '../platform/tables.js';
import { macPipelineDepth } from '../cost/engine.js';
import { stageGeomOf } from '../cost/pipeline-design.js';
import type { StageArch } from '../arch/pipeline.js';
import type { StageUnit } from '../cost/evaluate.js';
import { pipelineStageDsp, unitStageCycles, unitStageResources, type Describe, type PlacementUse, type PreparedUnit } from '../cost/pipeline.js';
import type { StageOption } from './minmax.js';

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

export type Mode = Pick<PipelineLayer, 'weights' | 'reuse' | 'spill'>;

export interface Stage {
  unit: StageUnit;
  configs: PipelineLayer[];
  options: StageOption[];
}

export const COST_KINDS: ResourceKind[] = RESOURCE_KINDS;
// rawCosts writes the kinds by name in this order.
if (COST_KINDS.join() !== 'dsp,bram18,uram,lut,ff') throw new Error(`pipeline search: resource kinds ${COST_KINDS.join()} are not in the order rawCosts writes them`);

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * A stage's parallelism options in one mode, in the order the search enumerates them, as columns: a search
 * enumerates thousands and keeps a few, so a PipelineLayer is made only for an option it keeps (once, so every
 * placement's list holds the same object); the others are costed through one scratch layer (`load`), of which
 * the costing keeps nothing.
 */
export class StageConfigs {
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
export class TimedOptions {
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
export interface RawCosts {
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
export function optionCycles(unit: StageUnit, prepared: PreparedUnit, cfg: PipelineLayer, describe: Describe): number {
  const rep = unit.members[0];
  const t = unitStageCycles(prepared, cfg, { depth: macPipelineDepth(cfg.pin, rep.precision), describe }, !!rep.serial);
  return rep.serial ? t * (rep.layer.outH * rep.layer.outW) : t;
}

export function timedOptions(unit: StageUnit, prepared: PreparedUnit, mode: Mode): TimedOptions {
  return new TimedOptions(unit, prepared, stageConfigs(unit, prepared, mode));
}

export function cyclesOf(t: TimedOptions, describe: Describe): Float64Array {
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
export function fewestDspConfigs(configs: StageConfigs, prepared: PreparedUnit, platform: Platform, tables: CostTables): number[] {
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
export function smallestOption(unit: StageUnit, prepared: PreparedUnit, configs: StageConfigs, fewest: number[], platform: Platform, tables: CostTables, uram: boolean, bufUram: boolean, describe: Describe): number[] {
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
export function rawCosts(t: TimedOptions, platform: Platform, tables: CostTables, uram: boolean, bufUram: boolean, describe: Describe): RawCosts {
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
export function costedOptions(t: TimedOptions, raw: RawCosts, describe: Describe): Omit<Stage, 'unit'> {
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
export function lineBufferWidth(u: StageUnit): number {
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
export function smallestCosts(stages: Stage[]): number[] {
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
