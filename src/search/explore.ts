import type { Point } from '../mapping/schema.js';
import type { Platform } from '../platform/schema.js';
import type { CostTables } from '../platform/tables.js';
import type { Workload } from '../workload/types.js';
import { evaluate } from '../cost/evaluate.js';
import { pipelineShare } from '../cost/pipeline-design.js';
import type { Estimate } from '../cost/types.js';
import { searchEngine } from './engine-search.js';
import { paretoFront } from './pareto.js';
import { searchPipeline } from './pipeline-search.js';
import { baselineSummary } from '../cost/baseline-summary.js';

export interface ParetoPoint {
  fps: number;
  dsp: number;
  bram18: number;
  /** Index into the candidate list the front was taken from (stable). */
  design: string;
}

export interface ExploreResult {
  /** The chosen design's full estimate: FPS, latency, bottleneck, resources, bandwidth and every layer. */
  best: Estimate;
  /** The chosen design point (lic-dse/point@1): save it (`pointJson`), edit it, `evaluate` it, `emitProject` it. */
  point: Point;
  /** The search's Pareto front of accelerator FPS against DSP and BRAM18, fastest first. */
  pareto: ParetoPoint[];
  /** Design points (per-layer mappings) whose cost was evaluated. */
  evaluated: number;
  /** Why the chosen design is no faster: the cap a faster array or stage step breaks, or the chain / CPU that sets the rate. */
  limit?: string;
}

/**
 * Search the best design of `base.arch` for a workload on a board (pure). `base` carries the workload
 * reference, board, clock, precision and caps; the search fills in the engine or pipeline section.
 */
export function explore(w: Workload, platform: Platform, tables: CostTables, base: Point): ExploreResult {
  const f = base.clockMHz * 1e6;
  if (base.arch === 'dpu' || base.arch === 'gpu') {
    // A baseline is what it is: nothing to search, one point on its "front".
    const best = evaluate(w, platform, base, tables);
    return { best, point: base, pareto: [{ fps: best.acceleratorFps, dsp: best.resources.dsp.used, bram18: best.resources.bram18.used, design: baselineSummary(best) }], evaluated: 1 };
  }
  if (base.arch === 'engine') {
    const r = searchEngine(w, platform, tables, base);
    const point: Point = { ...base, engine: r.best.spec, pipeline: undefined };
    const best = evaluate(w, platform, point, tables);
    const pareto = paretoFront(r.all.map((c) => ({
      fps: f / c.cycles, costs: [c.resources.dsp, c.resources.bram18],
      design: `pif${c.spec.pif} pof${c.spec.pof} poy${c.spec.poy} pox${c.spec.pox} tof${c.spec.tof} depth${c.spec.inBufDepth}`,
    }))).map((p) => ({ fps: p.fps, dsp: p.costs[0], bram18: p.costs[1], design: p.design }));
    return { best, point, pareto, evaluated: r.evaluated, limit: r.limit };
  }
  // The search and its candidates' evaluations share the plan and the stage descriptions.
  const share = pipelineShare();
  const r = searchPipeline(w, platform, tables, base, share);
  // The front and the choice come from the same estimates: every candidate is evaluated as a whole design
  // (serial chain, DRAM roof and CPU included), so no front point claims an FPS its estimate contradicts.
  const seen = new Set<string>();
  const cands = [{ spec: r.spec, allocation: r.allocation, limit: r.limit }, ...r.ladder].filter((x) => {
    const key = JSON.stringify(x.spec);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).map((x) => {
    const point: Point = { ...base, pipeline: x.spec, engine: undefined };
    const chain = (x.allocation as { serial?: number }).serial;
    // Candidates are compared by their totals: only the chosen design's layers are listed (below). The limit's
    // text is read for the chosen design only (the search writes it on demand).
    return { point, est: evaluate(w, platform, point, tables, share, { layers: false }), label: `target ${x.allocation.target}${chain ? ` + chain ${chain}` : ''} cycles`, why: x };
  });
  const feasible = cands.filter((c) => c.est.feasible);
  const chosen = feasible.length
    ? feasible.reduce((a, b) => (b.est.fps > a.est.fps || (b.est.fps === a.est.fps && b.est.resources.dsp.used < a.est.resources.dsp.used) ? b : a))
    : cands[0];
  const pareto = paretoFront(feasible.map((c) => ({
    fps: c.est.acceleratorFps, costs: [c.est.resources.dsp.used, c.est.resources.bram18.used], design: c.label,
  }))).map((p) => ({ fps: p.fps, dsp: p.costs[0], bram18: p.costs[1], design: p.design }));
  // A faster accelerator that the end-to-end rate does not reward (entropy coder, slice or context chain) is
  // not chosen; say so rather than which cap a faster accelerator would break.
  const fastest = feasible.reduce((a, b) => (b.est.acceleratorFps > a.est.acceleratorFps ? b : a), chosen);
  const limit = fastest !== chosen && fastest.est.acceleratorFps > chosen.est.acceleratorFps
    ? `${chosen.est.bottleneck} sets the end-to-end rate (${chosen.est.fps.toPrecision(4)} FPS), which a faster accelerator (${fastest.est.acceleratorFps.toPrecision(4)} FPS, ${fastest.est.resources.dsp.used} DSP) would not raise: the fewest DSPs at that rate`
    : chosen.why.limit;
  return { best: evaluate(w, platform, chosen.point, tables, share), point: chosen.point, pareto, evaluated: r.evaluated, limit };
}
