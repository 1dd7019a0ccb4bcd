import { UserError } from '../errors.js';
import type { PipelineLayer, PipelineSpec, Point } from '../mapping/schema.js';
import type { Platform, ResourceKind } from '../platform/schema.js';
import type { CostTables } from '../platform/tables.js';
import type { Workload } from '../workload/types.js';
import { DEFAULT_CAPS, pathPlan, stageUnits, type StageUnit } from '../cost/evaluate.js';
import { imageAndLatentBytes, joinBuffers, joinShapes, unitMember, type PipelineShare } from '../cost/pipeline-design.js';
import { shapeKey } from './engine-search.js';
import { prepareUnit, stageMemo, unitStageTime, type PlacementUse } from '../cost/pipeline.js';
import { allocationLadder, cannotFit, SolveMemo, jointAllocate, jointLadder, type Allocation } from './minmax.js';
import {
  COST_KINDS, costedOptions, fewestDspConfigs, lineBufferWidth, rawCosts, smallestCosts, smallestOption, streamReuse, timedOptions,
  type Mode, type RawCosts, type Stage, type TimedOptions,
} from './pipeline-options.js';
import { largestJoins, whyNoFaster } from './pipeline-why.js';

export { divisors, streamReuse } from './pipeline-options.js';

export interface PipelineResult {
  spec: PipelineSpec;
  allocation: Allocation;
  /** Why this design is no faster: the limit that binds (whyNoFaster). */
  limit: string;
  ladder: { spec: PipelineSpec; allocation: Allocation; limit: string }[];
  evaluated: number;
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
