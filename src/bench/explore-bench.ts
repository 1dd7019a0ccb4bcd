import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { platformNames } from '../platform/load.js';
import { textTable } from '../report/table.js';
import { zooNames } from '../workload/load.js';

export interface ExploreBenchRow {
  model: string;
  platform: string;
  arch: string;
  /**
   * The explore's wall time; its thread's CPU time (the explore's own work: its wall time on an idle machine with a
   * core to spare); the process's CPU time (that plus V8's background threads: optimising compiles, concurrent GC).
   */
  ms: number;
  threadMs: number;
  cpuMs: number;
  evaluated: number;
  fps: number | null;
  note: string;
  /** The same explore by the previous version, when one is given. */
  before?: { ms: number; threadMs: number; cpuMs: number };
}

/** What the bench calls, from a built package's dist/ (this one, or a checkout of the previous version). */
interface Impl {
  basePoint: (r: Record<string, unknown>) => unknown;
  contextFor: (p: unknown) => { workload: unknown; platform: unknown; tables: unknown };
  explore: (w: unknown, p: unknown, t: unknown, base: unknown) => { evaluated: number; best: { fps: number } };
  isUserError: (e: unknown) => e is Error;
}

export async function loadImpl(distDir: string): Promise<Impl> {
  const m = (f: string) => import(pathToFileURL(path.join(distDir, f)).href);
  const [bp, load, ex, err] = await Promise.all([m('mapping/base-point.js'), m('mapping/load.js'), m('search/explore.js'), m('errors.js')]);
  return { basePoint: bp.basePoint, contextFor: load.contextFor, explore: ex.explore, isUserError: err.isUserError };
}

/**
 * CPU time of the calling thread, ms: the first field of /proc/thread-self/schedstat (ns on a CPU; Linux). Node 20
 * has no per-thread CPU clock, and process.cpuUsage() adds V8's compiler and GC threads, which run beside the
 * explore on a spare core. NaN where the file does not exist.
 */
export function threadCpuMs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}

function timeOne(impl: Impl, model: string, platform: string, arch: string, res: string) {
  const base = impl.basePoint({ model, platform, precision: 'int8', res, arch, path: 'encode' });
  const ctx = impl.contextFor(base);
  const c0 = process.cpuUsage();
  const th0 = threadCpuMs();
  const t0 = performance.now();
  let evaluated = 0;
  let fps: number | null = null;
  let note = '';
  try {
    const r = impl.explore(ctx.workload, ctx.platform, ctx.tables, base);
    evaluated = r.evaluated;
    fps = r.best.fps;
  } catch (e) {
    if (!impl.isUserError(e)) throw e;
    note = e.message.replace(/^budget: /, '').slice(0, 60);
  }
  const ms = performance.now() - t0;
  const threadMs = threadCpuMs() - th0;
  const c = process.cpuUsage(c0);
  return { ms, threadMs, cpuMs: (c.user + c.system) / 1000, evaluated, fps, note };
}

/**
 * Explore every zoo model (default variant) on every board, both templates, encode at 1280x720, int8, in
 * this process. With `previous`, each explore is also run by the previous version right before, so both
 * see the same machine.
 */
export function exploreBench(current: Impl, previous?: Impl, res = '1280x720'): ExploreBenchRow[] {
  // One explore each to warm the JIT, so the first row is not charged for compilation.
  for (const impl of [current, previous]) if (impl) timeOne(impl, 'bmshj2018-hyperprior', 'zcu102', 'engine', res);
  const rows: ExploreBenchRow[] = [];
  for (const model of zooNames()) {
    for (const platform of platformNames()) {
      for (const arch of ['engine', 'pipeline'] as const) {
        const before = previous ? timeOne(previous, model, platform, arch, res) : undefined;
        const now = timeOne(current, model, platform, arch, res);
        rows.push({ model, platform, arch, ...now, before: before && { ms: before.ms, threadMs: before.threadMs, cpuMs: before.cpuMs } });
      }
    }
  }
  return rows;
}

export function exploreBenchText(rows: ExploreBenchRow[], recorded: Record<string, number> = {}): string {
  const live = rows.some((r) => r.before);
  return `${textTable(
    ['model', 'board', 'arch', 'wall ms', 'thread CPU ms', 'process CPU ms', live ? 'before: thread CPU ms' : 'before: recorded ms', 'points', 'FPS', 'note'],
    rows.map((r) => {
      const was = live ? r.before?.threadMs : recorded[`${r.model} ${r.platform} ${r.arch}`];
      return [r.model, r.platform, r.arch, Number(r.ms.toFixed(1)), Number(r.threadMs.toFixed(1)), Number(r.cpuMs.toFixed(1)), was === undefined ? '-' : Number(was.toFixed(1)), r.evaluated, r.fps === null ? '-' : Number(r.fps.toFixed(2)), r.note];
    }),
  )}\n`;
}
