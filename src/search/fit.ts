import { UserError, isUserError } from '../errors.js';
import { pathPlan } from '../cost/evaluate.js';
import type { Estimate } from '../cost/types.js';
import { PointSchema, type CapsSpec, type Point } from '../mapping/schema.js';
import { parsePrecision } from '../platform/precision.js';
import type { Platform } from '../platform/schema.js';
import { dspPerMac, type CostTables } from '../platform/tables.js';
import { parseWith } from '../util/files.js';
import { resolveModel } from '../workload/resolve.js';
import { inferWorkload, workloadTotals } from '../workload/shapes.js';
import { widthLadder, type Rung, type StudentFamily } from '../workload/student.js';
import type { PadPolicy, Workload } from '../workload/types.js';
import { explore } from './explore.js';
import { planFor, type Plan, type PlanTemplate } from './precision-plan.js';

/**
 * The widest student of a model that reaches a frame rate on a board (Mazouz et al.'s question: "which student
 * of this family reaches F FPS here?"). Exact over the rounded widths: the ladder lists every distinct student,
 * and a bisection over it finds the boundary, with the design (explore) and the precision plan searched at each
 * probed student.
 *
 * Monotonicity: a wider student has at least the MACs and weights of a narrower one, but the search's discrete
 * choices (tile sizes, unrolls, stage parallelism) can make FPS dip and recover. The bisection records the FPS
 * of every student it explores; if those are not non-increasing in width it falls back to scanning every rung
 * from the widest down. Either way the answer meets the target and the next wider rung does not (both explored).
 * With `exact`, every wider rung the upper bound leaves possible is explored as well: the widest overall.
 */

export type Path = 'encode' | 'decode';
export type Arch = 'engine' | 'pipeline';

export interface FitRequest {
  family: StudentFamily;
  /** Reference written into the design points (the student file, when one is saved). */
  modelRef: string;
  platform: Platform;
  tables: CostTables;
  res: { width: number; height: number };
  pad?: PadPolicy;
  fps: number;
  paths: Path[];
  archs: Arch[];
  /** Plans in order of preference (most bits first); the fit keeps the first that meets the target. */
  plans: PlanTemplate[];
  /** Upper limit on a plan's MAC-weighted mean bits. */
  maxBits?: number;
  minWidth: number;
  maxWidth?: number;
  /** Also explore every wider student the upper bound does not exclude: the widest overall, even where FPS dips. */
  exact?: boolean;
  clockMHz?: number;
  caps?: CapsSpec;
  entropySymbolsPerSec?: number;
  progress?: (msg: string) => void;
}

/** One path of one student under one plan: the best design over the templates, or why none reaches. */
export interface PathResult {
  path: Path;
  plan: Plan;
  fps: number;
  /** Found by explore, or excluded by the upper bound (entropy coder / compute roof) without a search. */
  by: 'explore' | 'bound';
  arch?: Arch;
  bottleneck: string;
  dsp?: number;
  bram18?: number;
  point?: Point;
  estimate?: Estimate;
}

export interface RungResult {
  index: number;
  rung: Rung;
  meets: boolean;
  /** The plan the fit keeps for this student (the most preferred that meets; else the best tried). */
  plan: string;
  /** Lowest FPS over the paths under that plan. */
  fps: number;
  paths: PathResult[];
  /** Every plan tried, in order, with its lowest FPS over the paths and whether every path was explored. */
  tried: { plan: string; fps: number; explored: boolean }[];
  macs: number;
  params: number;
}

export interface FitResult {
  met: boolean;
  target: number;
  rungs: number;
  student?: RungResult;
  /** The next wider rounded student (absent when the answer is the widest allowed). */
  nextWider?: RungResult;
  narrowest?: RungResult;
  teacher: { macs: number; params: number };
  /** Student / teacher. */
  ratio?: { macs: number; params: number };
  search: 'bisection' | 'scan';
  explored: number;
  statement: string;
}

const sumMacs = (w: Workload, paths: Path[]) => paths.reduce((s, p) => s + workloadTotals(w).paths[p].macs, 0);

export interface FitContext {
  workloadOf(r: Rung): Workload;
  evalRung(index: number, r: Rung, mode: 'any' | 'preferred', force?: boolean): RungResult;
  explored(): number;
}

/** A memoising evaluator of students (workloads, explores), shared by fit and the width sweep. */
export function fitContext(req: FitRequest): FitContext {
  const works = new Map<string, Workload>();
  const cache = new Map<string, PathResult>();
  let explored = 0;
  const f = (req.clockMHz ?? req.platform.spec.clock.typicalMHz) * 1e6;
  const sps = req.entropySymbolsPerSec ?? req.platform.spec.cpu.entropySymbolsPerSec;
  const dspCap = Math.floor(req.platform.available.dsp * (req.caps?.dsp ?? 0.8));

  const workloadOf = (r: Rung) => {
    let w = works.get(r.key);
    if (!w) {
      w = inferWorkload(resolveModel(r.spec, req.modelRef, {}), req.res, req.pad ?? 'stride');
      works.set(r.key, w);
    }
    return w;
  };

  const basePoint = (path: Path, arch: Arch, plan: Plan): Point => parseWith(PointSchema, {
    schema: 'lic-dse/point@1',
    workload: { model: req.modelRef, res: `${req.res.width}x${req.res.height}`, pad: req.pad ?? 'stride', path },
    platform: req.platform.name,
    clockMHz: f / 1e6,
    precision: plan.precision,
    layerPrecision: plan.layerPrecision,
    caps: req.caps ?? {},
    ...(req.entropySymbolsPerSec ? { entropySymbolsPerSec: req.entropySymbolsPerSec } : {}),
    arch,
    ...(arch === 'engine' ? { engine: { pif: 1, pof: 1, tif: 1, tof: 1, inBufDepth: 1, outBufDepth: 1, wBufDepth: 1 } } : { pipeline: { layers: {} } }),
  }, 'fit request');

  /**
   * An upper bound on any design's FPS: the entropy coder alone (symbols / rate), and the compute roof of
   * every DSP the caps allow at the plan's densest packing (useful MACs / (lanes · f)). Only used to skip
   * searches that cannot reach the target; the answer and its next wider student are always explored.
   */
  const upperBound = (w: Workload, path: Path, plan: Plan): { fps: number; why: string } => {
    const symbols = w.latents.reduce((s, l) => s + l.elements, 0);
    const coder = sps / Math.max(1, symbols);
    let perDsp = 0;
    try {
      for (const name of new Set([plan.precision, ...Object.values(plan.layerPrecision)])) {
        perDsp = Math.max(perDsp, 1 / dspPerMac(req.tables.packing, req.platform.spec.dspFamily, parsePrecision(name)).dspPerMac);
      }
    } catch {
      return { fps: coder, why: `entropy coder on CPU (at most ${coder.toFixed(2)} FPS)` };
    }
    const pts = pathPlan(w, basePoint(path, 'engine', plan));
    const macs = pts.filter((p) => p.kind === 'mac').reduce((s, p) => s + p.layer.macs, 0);
    const roof = macs > 0 ? (dspCap * perDsp * f) / macs : Infinity;
    return coder <= roof
      ? { fps: coder, why: `entropy coder on CPU (${symbols} symbols at ${sps.toExponential(2)}/s: at most ${coder.toFixed(2)} FPS)` }
      : { fps: roof, why: `compute roof (${dspCap} DSPs at the plan's packing: at most ${roof.toFixed(2)} FPS)` };
  };

  const evalPath = (r: Rung, path: Path, t: PlanTemplate, force: boolean): PathResult => {
    const w = workloadOf(r);
    const plan = planFor(req.family.teacher, w, path, t);
    const key = `${r.key}|${path}|${t.name}`;
    const hit = cache.get(key);
    if (hit && (hit.by === 'explore' || !force)) return hit;
    if (!force) {
      const ub = upperBound(w, path, plan);
      if (ub.fps < req.fps) {
        const res: PathResult = { path, plan, fps: ub.fps, by: 'bound', bottleneck: ub.why };
        cache.set(key, res);
        return res;
      }
    }
    let best: PathResult | undefined;
    const errors: string[] = [];
    for (const arch of req.archs) {
      explored++;
      try {
        const x = explore(w, req.platform, req.tables, basePoint(path, arch, plan));
        const e = x.best;
        const fps = e.feasible ? e.fps : 0;
        const cand: PathResult = {
          path, plan, fps, by: 'explore', arch, bottleneck: e.feasible ? e.bottleneck : `no feasible design: ${e.violations.join(', ')}`,
          dsp: e.resources.dsp.used, bram18: e.resources.bram18.used, point: x.point, estimate: e,
        };
        if (!best || cand.fps > best.fps) best = cand;
      } catch (err) {
        if (!isUserError(err)) throw err;
        errors.push(`${arch}: ${err.message}`);
      }
    }
    const res = best ?? { path, plan, fps: 0, by: 'explore' as const, bottleneck: `resource caps: ${errors.join('; ')}` };
    cache.set(key, res);
    return res;
  };

  /**
   * A student under the plans: 'any' looks for a plan that meets the target, narrowest plans first (the
   * cheapest way to decide the bisection); 'preferred' returns the most preferred plan that meets. A plan
   * meets only when explored; `force` explores even where the upper bound already excludes the target.
   */
  const evalRung = (index: number, r: Rung, mode: 'any' | 'preferred', force = false): RungResult => {
    const w = workloadOf(r);
    const order = mode === 'any' ? [...req.plans].reverse() : req.plans;
    let fallback: { t: PlanTemplate; paths: PathResult[]; fps: number } | undefined;
    const tried: RungResult['tried'] = [];
    const failed: PlanTemplate[] = [];
    for (const t of order) {
      const plansOk = req.maxBits === undefined || req.paths.every((p) => planFor(req.family.teacher, w, p, t).bits <= req.maxBits! + 1e-9);
      if (!plansOk) continue;
      // Precision monotonicity: a plan at least as wide on every layer as one that failed fails too.
      if (mode === 'any' && failed.some((f) => req.paths.every((p) => dominates(planFor(req.family.teacher, w, p, t), planFor(req.family.teacher, w, p, f), w, p)))) continue;
      const paths = req.paths.map((p) => evalPath(r, p, t, force));
      const fps = Math.min(...paths.map((p) => p.fps));
      tried.push({ plan: t.name, fps, explored: paths.every((p) => p.by === 'explore') });
      if (fps >= req.fps) return result(index, r, w, t, paths, true, tried);
      failed.push(t);
      if (!fallback || fps > fallback.fps) fallback = { t, paths, fps };
    }
    if (!fallback) throw new UserError(`no precision plan of ${req.plans.map((t) => t.name).join(', ')} stays within ${req.maxBits} bits (MAC-weighted mean)`, { field: 'max-bits' });
    return result(index, r, w, fallback.t, fallback.paths, false, tried);
  };

  const result = (index: number, rung: Rung, w: Workload, t: PlanTemplate, paths: PathResult[], meets: boolean, tried: RungResult['tried']): RungResult => ({
    index, rung, meets, plan: t.name, fps: Math.min(...paths.map((p) => p.fps)), paths, tried,
    macs: sumMacs(w, req.paths), params: workloadTotals(w).params,
  });

  return { workloadOf, evalRung, explored: () => explored };
}

/** Find the widest student that reaches the target (see the module comment for the guarantee). */
export function fit(req: FitRequest): FitResult {
  if (!(req.fps > 0)) throw new UserError(`target ${req.fps} FPS must be positive`, { field: 'fps' });
  if (!req.paths.length || !req.archs.length || !req.plans.length) throw new UserError('fit needs at least one path, one template and one plan', { field: 'fit' });
  const rungs = widthLadder(req.family, req.minWidth, req.maxWidth ?? 1);
  if (!rungs.length) throw new UserError(`no valid student between widths ${req.minWidth} and ${req.maxWidth ?? 1}`, { field: 'min-width' });
  const ctx = fitContext(req);
  const say = req.progress ?? (() => {});
  const teacherW = inferWorkload(resolveModel(req.family.teacher, req.family.file, { variant: req.family.variant }), req.res, req.pad ?? 'stride');
  const teacher = { macs: sumMacs(teacherW, req.paths), params: workloadTotals(teacherW).params };
  const seen = new Map<number, RungResult>();
  const probe = (i: number) => {
    let r = seen.get(i);
    if (!r) {
      say(`width ${rungs[i].from.toFixed(3)} (${i + 1}/${rungs.length})`);
      r = ctx.evalRung(i, rungs[i], 'any');
      seen.set(i, r);
    }
    return r;
  };
  const base = { target: req.fps, rungs: rungs.length, teacher };

  let lo = -1;
  let hi = rungs.length;
  let search: FitResult['search'] = 'bisection';
  const scanDown = () => {
    search = 'scan';
    lo = -1;
    for (let i = rungs.length - 1; i >= 0; i--) if (probe(i).meets) { lo = i; break; }
    hi = lo + 1;
  };
  if (probe(rungs.length - 1).meets) lo = rungs.length - 1;
  else if (!probe(0).meets) {
    // Neither end meets: no student does if FPS falls with width; a narrowest slower than the widest shows it
    // does not, and then (or when asked to be exact) every rung is tried.
    if (req.exact || !monotoneProbes([...seen.values()])) scanDown();
    else hi = 0;
  } else {
    lo = 0;
    hi = rungs.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (probe(mid).meets) lo = mid;
      else hi = mid;
    }
    if (!monotoneProbes([...seen.values()])) scanDown();
    else if (req.exact) {
      for (let i = rungs.length - 2; i > lo; i--) if (probe(i).meets) { lo = i; search = 'scan'; break; }
      hi = lo + 1;
    }
  }
  if (lo < 0) {
    const narrowest = ctx.evalRung(0, rungs[0], 'any', true);
    const why = narrowest.paths.filter((p) => p.fps < req.fps).map((p) => `${p.path}: ${p.fps.toFixed(2)} FPS, bounded by ${p.bottleneck}`).join('; ');
    return {
      ...base, met: false, narrowest, search, explored: ctx.explored(),
      statement: `even the narrowest allowed student (width ${rungs[0].from}, ${paramText(req.family, rungs[0])}) cannot reach ${req.fps} FPS on ${req.platform.name} with plan ${narrowest.plan}: ${why}`,
    };
  }
  const student = ctx.evalRung(lo, rungs[lo], 'preferred');
  // Every plan fails on the next wider student: the narrowest plan is explored there and the others dominate it.
  const nextWider = lo + 1 < rungs.length ? ctx.evalRung(lo + 1, rungs[lo + 1], 'any', true) : undefined;
  const ratio = { macs: student.macs / teacher.macs, params: student.params / teacher.params };
  const tail = nextWider
    ? `the next wider student (${paramText(req.family, nextWider.rung)}) reaches ${nextWider.fps.toFixed(2)} FPS`
    : 'it is the widest allowed';
  return {
    ...base, met: true, student, nextWider, search, explored: ctx.explored(), ratio,
    statement: `widest student reaching ${req.fps} FPS on ${req.platform.name}: width ${student.rung.from.toFixed(4)}–${student.rung.to.toFixed(4)} (${paramText(req.family, student.rung)}), plan ${student.plan}, ${student.fps.toFixed(2)} FPS, ${(100 * ratio.macs).toFixed(1)}% of the teacher's MACs and ${(100 * ratio.params).toFixed(1)}% of its parameters; ${tail}`,
  };
}

/** Plan a puts at least as many weight and activation bits as plan b on every MAC layer of the path. */
export function dominates(a: Plan, b: Plan, w: Workload, path: Path): boolean {
  const bits = (pl: Plan, id: string) => parsePrecision(pl.layerPrecision[id] ?? pl.precision);
  for (const l of w.layers) {
    if (!l[path]) continue;
    const id = `${l.part}/${l.name}`;
    const [x, y] = [bits(a, id), bits(b, id)];
    if (x.weightBits < y.weightBits || x.actBits < y.actBits || (x.kind === 'float') !== (y.kind === 'float')) return false;
  }
  return true;
}

/** Monotonicity over what a search explored: for each plan, FPS must not rise with width. */
export function monotoneProbes(results: RungResult[]): boolean {
  const byPlan = new Map<string, { index: number; fps: number }[]>();
  for (const r of results) for (const t of r.tried) if (t.explored) {
    const l = byPlan.get(t.plan) ?? [];
    l.push({ index: r.index, fps: t.fps });
    byPlan.set(t.plan, l);
  }
  for (const l of byPlan.values()) {
    l.sort((a, b) => a.index - b.index);
    if (l.some((x, k) => k > 0 && x.fps > l[k - 1].fps * (1 + 1e-9))) return false;
  }
  return true;
}

/** The channel widths of a student, e.g. "N=64 M=96". */
export function paramText(fam: StudentFamily, r: Rung): string {
  return fam.channelParams.map((k) => `${k}=${r.params[k]}`).join(' ') || `×${r.from.toFixed(3)}`;
}
