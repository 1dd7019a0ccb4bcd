import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { writeAtomic } from '../mapping/load.js';
import type { ResolvedSweep } from '../sweep/config.js';
import { jobCount } from '../sweep/jobs.js';
import { addToFront, fmt, paretoSpec, renderPng, utilisationSpec, type BoardPoint, type UtilisationBar } from './charts.js';
import { POINT_COLUMNS, type PointRecord } from './columns.js';
import { readCsvRecords } from './csv.js';
import { writeHtml, type BoardCharts } from './html.js';

/** The most designs one FPS–DSP scatter draws; beyond it a regular sample (plus every front design). */
export const MAX_SCATTER_POINTS = 2000;

export interface ReportOptions {
  /** Write the per-board PNGs (default true). */
  charts?: boolean;
  /** Write index.html (default true). */
  html?: boolean;
  /** With index.html, its per-point detail files from the CSV files (default true; a sweep's jobs write their own). */
  details?: boolean;
  signal?: AbortSignal;
}

const modelKey = (p: Pick<PointRecord, 'model' | 'variant' | 'params'>) => [p.model, p.variant, p.params].filter(Boolean).join(' ');
const KINDS = ['dsp', 'bram18', 'uram', 'lut', 'ff'] as const;

export const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-+|-+$/g, '');

/** Board chart file names, relative to the report directory. */
export function boardChartFiles(board: string): { pareto: string; utilisation: string } {
  return { pareto: `charts/${slug(board)}-fps-dsp.png`, utilisation: `charts/${slug(board)}-utilisation.png` };
}

interface BoardAgg {
  board: string;
  dspAvailable: number;
  count: number;
  front: BoardPoint[];
  best: Map<string, PointRecord>;
  sample: BoardPoint[];
}

// A GPU row is compared with the board, not built on it: it stays out of the board's fronts and bars.
const usable = (p: PointRecord) => p.status === 'ok' && p.arch !== 'gpu' && p.feasible === true && p.fps !== null && p.dspUsed !== null;
const boardPoint = (p: PointRecord): BoardPoint => ({ job: p.job, label: p.label, model: modelKey(p), arch: p.arch, fps: p.fps!, dsp: p.dspUsed! });

/**
 * The per-board summaries, in two streaming passes over points.csv: counts, Pareto fronts and each
 * model's fastest design first, then a regular sample for the scatter. Memory: the fronts, one record
 * per model and board, and at most MAX_SCATTER_POINTS designs per board.
 */
export async function boardSummaries(dir: string, sweep: ResolvedSweep): Promise<{ boards: BoardAgg[]; ok: number; failed: number; models: string[] }> {
  const file = path.join(dir, 'points.csv');
  const boards = new Map<string, BoardAgg>(sweep.platforms.map((b) => [b, { board: b, dspAvailable: 0, count: 0, front: [], best: new Map(), sample: [] }]));
  let ok = 0;
  let failed = 0;
  for await (const p of readCsvRecords<PointRecord>(file, POINT_COLUMNS)) {
    if (p.status === 'ok') ok++;
    else failed++;
    const b = boards.get(p.platform);
    if (!b || !usable(p)) continue;
    b.count++;
    b.dspAvailable = p.dspAvailable ?? b.dspAvailable;
    addToFront(b.front, boardPoint(p));
    const k = modelKey(p);
    const cur = b.best.get(k);
    if (!cur || p.fps! > cur.fps!) b.best.set(k, p);
  }
  const seen = new Map<string, number>();
  for await (const p of readCsvRecords<PointRecord>(file, POINT_COLUMNS)) {
    const b = boards.get(p.platform);
    if (!b || !usable(p)) continue;
    const ordinal = seen.get(b.board) ?? 0;
    seen.set(b.board, ordinal + 1);
    const stride = Math.ceil(b.count / MAX_SCATTER_POINTS);
    if (ordinal % stride === 0 || b.front.some((f) => f.job === p.job)) b.sample.push(boardPoint(p));
  }
  const models = sweep.models.map((m) => modelKey({ model: m.model, variant: m.variant ?? '', params: m.params ? Object.entries(m.params).map(([a, v]) => `${a}=${v}`).join(';') : '' }));
  return { boards: [...boards.values()], ok, failed, models };
}

/** The two charts of each board as chart.js configurations. */
export function boardCharts(agg: BoardAgg, models: string[]): BoardCharts {
  const bars: UtilisationBar[] = models.filter((m) => agg.best.has(m)).map((m) => {
    const p = agg.best.get(m)!;
    const pct = Object.fromEntries(KINDS.map((k) => {
      const used = p[`${k}Used`];
      const avail = p[`${k}Available`];
      return [k, used !== null && avail ? (100 * used) / avail : null];
    })) as UtilisationBar['pct'];
    return { job: p.job, lines: [m, `${p.arch} ${p.precision}`, `${p.res} ${p.path}`, `${fmt(p.fps!)} FPS`], pct };
  });
  return {
    board: agg.board,
    pareto: paretoSpec(agg.board, models, agg.sample, agg.front, agg.dspAvailable, agg.count),
    utilisation: utilisationSpec(agg.board, bars),
  };
}

/**
 * The report pages of a directory holding points.csv, layers.csv and pareto.csv: per-board PNGs
 * (FPS against DSP, resource utilisation) and index.html. Reads the CSV files back, streaming. `dir` is a
 * staging directory (report/outdir.ts): nothing in it is seen before it is renamed into place.
 */
export async function writeReport(dir: string, sweep: ResolvedSweep, opts: ReportOptions = {}): Promise<{ charts: number; ok: number; failed: number }> {
  const { boards, ok, failed, models } = await boardSummaries(dir, sweep);
  const charts = boards.map((b) => boardCharts(b, models));
  // Every chart is drawn first and its PNG encoded off the main thread (renderPng), while the next is drawn and
  // index.html written: the encodes of a sweep's charts run in parallel.
  const pngs: [string, Promise<Buffer>][] = [];
  if (opts.charts ?? true) {
    mkdirSync(path.join(dir, 'charts'), { recursive: true });
    for (const c of charts) {
      if (opts.signal?.aborted) break;
      const files = boardChartFiles(c.board);
      pngs.push([files.pareto, renderPng(c.pareto)], [files.utilisation, renderPng(c.utilisation)]);
    }
  }
  const html = (opts.html ?? true) && !opts.signal?.aborted ? writeHtml(dir, sweep, jobCount(sweep), { ok, failed }, charts, { details: opts.details }) : undefined;
  // One Promise.all: a failed chart or page fails the report, and no promise is left without a handler.
  const [bytes] = await Promise.all([Promise.all(pngs.map(([, png]) => png)), html]);
  pngs.forEach(([file], i) => writeAtomic(path.join(dir, file), bytes[i]));
  return { charts: pngs.length, ok, failed };
}
