import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { isUserError } from '../errors.js';
import { basePoint } from '../mapping/base-point.js';
import { contextFor, writeAtomic } from '../mapping/load.js';
import { explore } from '../search/explore.js';
import { layerCyclesSpec, renderPng, rooflineSpec } from '../report/charts.js';
import { LAYER_COLUMNS, PARETO_COLUMNS, POINT_COLUMNS, toRow, type LayerRecord, type PointRecord, type Row } from '../report/columns.js';
import { writePointDetail } from '../report/html.js';
import { errorRecord, layerRecords, paretoRecords, pointRecord, type PointKey } from '../report/rows.js';
import type { ResolvedSweep } from './config.js';
import { checkOutputNumbers } from '../util/finite.js';
import { jobAt, jobCount, jobLabel, jobRequest } from './jobs.js';

/** What one job sends back: its rows for points.csv, layers.csv and pareto.csv, and the PNGs it wrote. */
export interface JobOutput {
  index: number;
  point: Row;
  layers: Row[];
  pareto: Row[];
  charts: number;
}

export interface JobOptions {
  /** Report directory; per-point charts go to <dir>/charts/points/. None: no charts. */
  chartsDir?: string;
  /** Report directory; an explored point's detail for index.html goes to <dir>/detail/<job>.js. None: not written. */
  detailsDir?: string;
}

/** File names of a point's PNGs, relative to the report directory. */
export function pointChartFiles(p: Pick<PointRecord, 'job' | 'label'>, total: number): { roofline: string; layers: string } {
  const width = Math.max(4, String(Math.max(0, total - 1)).length);
  const slug = p.label.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-+|-+$/g, '');
  const stem = `charts/points/${String(p.job).padStart(width, '0')}-${slug}`;
  return { roofline: `${stem}-roofline.png`, layers: `${stem}-layers.png` };
}

/** The two PNGs of one design point (roofline, cycles per layer), rendered from its report records. */
export async function writePointCharts(dir: string, p: PointRecord, layers: LayerRecord[], total: number): Promise<number> {
  const files = pointChartFiles(p, total);
  // Never re-create a report directory that an interrupted sweep has just removed.
  if (!existsSync(dir)) throw new Error(`report directory ${dir} is gone`);
  mkdirSync(path.join(dir, 'charts', 'points'), { recursive: true });
  writeAtomic(path.join(dir, files.roofline), await renderPng(rooflineSpec(p, layers)));
  writeAtomic(path.join(dir, files.layers), await renderPng(layerCyclesSpec(p, layers)));
  return 2;
}

/**
 * Run one job of a sweep: explore, then the report rows. A user-level failure (no design fits, a
 * resolution the model cannot take) becomes a points.csv row with status "error"; anything else is a bug
 * and propagates.
 */
export async function runJob(s: ResolvedSweep, index: number, opts: JobOptions = {}): Promise<JobOutput> {
  const j = jobAt(s, index);
  const key: PointKey = {
    job: index, label: jobLabel(j), model: j.model.model, variant: j.model.variant, params: j.model.params,
    platform: j.platform, precision: j.precision, res: j.res, pad: s.pad, arch: j.arch, path: j.path,
  };
  let result;
  try {
    const base = basePoint(jobRequest(s, j), `job ${index}`);
    const { workload, platform, tables } = contextFor(base);
    result = explore(workload, platform, tables, base);
    checkOutputNumbers({ best: result.best, pareto: result.pareto }, `job ${index}`);
  } catch (e) {
    if (!isUserError(e)) throw e;
    return { index, point: toRow(POINT_COLUMNS, errorRecord(key, e.message) as never), layers: [], pareto: [], charts: 0 };
  }
  const point = pointRecord(key, result);
  const layers = layerRecords(key, result);
  const charts = opts.chartsDir ? await writePointCharts(opts.chartsDir, point, layers, jobCount(s)) : 0;
  const out = {
    index,
    point: toRow(POINT_COLUMNS, point as never),
    layers: layers.map((l) => toRow(LAYER_COLUMNS, l as never)),
    pareto: paretoRecords(key, result).map((p) => toRow(PARETO_COLUMNS, p as never)),
    charts,
  };
  if (opts.detailsDir) writePointDetail(opts.detailsDir, out.point, out.layers, out.pareto);
  return out;
}
