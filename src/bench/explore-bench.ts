import { performance } from 'node:perf_hooks';
import { basePoint } from '../mapping/base-point.js';
import { contextFor } from '../mapping/load.js';
import { platformNames } from '../platform/load.js';
import { textTable } from '../report/table.js';
import { explore } from '../search/explore.js';
import { isUserError } from '../errors.js';
import { zooNames } from '../workload/load.js';

export interface ExploreBenchRow {
  model: string;
  platform: string;
  arch: string;
  ms: number;
  evaluated: number;
  perSecond: number;
  fps: number | null;
  note: string;
}

/** Explore every zoo model (default variant) on every board, both templates, encode at 1280x720, int8. */
export function exploreBench(res = '1280x720'): ExploreBenchRow[] {
  const rows: ExploreBenchRow[] = [];
  // One explore to warm the JIT, so the first row is not charged for compilation.
  const warm = basePoint({ model: 'bmshj2018-hyperprior', platform: 'zcu102', precision: 'int8', res, arch: 'engine', path: 'encode' });
  const wc = contextFor(warm);
  explore(wc.workload, wc.platform, wc.tables, warm);
  for (const model of zooNames()) {
    for (const platform of platformNames()) {
      for (const arch of ['engine', 'pipeline'] as const) {
        const base = basePoint({ model, platform, precision: 'int8', res, arch, path: 'encode' });
        const ctx = contextFor(base);
        const t0 = performance.now();
        let evaluated = 0;
        let fps: number | null = null;
        let note = '';
        try {
          const r = explore(ctx.workload, ctx.platform, ctx.tables, base);
          evaluated = r.evaluated;
          fps = r.best.fps;
        } catch (e) {
          if (!isUserError(e)) throw e;
          note = e.message.replace(/^budget: /, '').slice(0, 60);
        }
        const ms = performance.now() - t0;
        rows.push({ model, platform, arch, ms, evaluated, perSecond: evaluated / (ms / 1e3), fps, note });
      }
    }
  }
  return rows;
}

export function exploreBenchText(rows: ExploreBenchRow[], before: Record<string, number> = {}): string {
  return `${textTable(
    ['model', 'board', 'arch', 'explore ms', 'before ms', 'points', 'points/s', 'FPS', 'note'],
    rows.map((r) => {
      const was = before[`${r.model} ${r.platform} ${r.arch}`];
      return [r.model, r.platform, r.arch, Number(r.ms.toFixed(1)), was === undefined ? '-' : was, r.evaluated, Math.round(r.perSecond), r.fps === null ? '-' : Number(r.fps.toFixed(2)), r.note];
    }),
  )}\n`;
}
