/** Why a pipeline design is no faster, in the search's own terms (pipeline-search.ts): the texts of its limits. */
import type { PipelineLayer } from '../mapping/schema.js';
import type { ResourceKind } from '../platform/schema.js';
import type { JoinBuffer } from '../cost/pipeline-design.js';
import type { Allocation, StageOption } from './minmax.js';
import { COST_KINDS, type Stage } from './pipeline-options.js';

/** The three largest join buffers in a resource, named by block, with their shape. */
export function largestJoins(joins: JoinBuffer[], k: ResourceKind): string {
  return [...joins].sort((a, b) => b.resources[k] - a.resources[k] || a.id.localeCompare(b.id)).slice(0, 3)
    .map((j) => `${j.id} holds ${j.held} for ${j.rows} rows × ${j.width} × ${j.channels} (${j.bytes} B, ${k} ${j.resources[k]})`).join('; ');
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
export function whyNoFaster(
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

