import { availableParallelism } from 'node:os';
import path from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { UserError } from '../errors.js';
import { writeAtomic } from '../mapping/load.js';
import { LAYER_COLUMNS, PARETO_COLUMNS, POINT_COLUMNS } from '../report/columns.js';
import { CsvWriter } from '../report/csv.js';
import { commitStaging, discardStaging, startStaging } from '../report/outdir.js';
import { writeReport } from '../report/report.js';
import { resolveSweep, sweepJson, type ResolvedSweep, type SweepFile } from './config.js';
import { jobAt, jobCount, parseShard, shardSize, shardString, type Shard } from './jobs.js';
import { JobPool } from './pool.js';
import { Progress } from './progress.js';
import { runJob, type JobOutput } from './run-job.js';

export interface SweepOptions {
  /** A sweep file's content (validated here) or a resolved sweep. */
  sweep: SweepFile | ResolvedSweep;
  /** Report directory, e.g. reports/demo. */
  out: string;
  /** Worker threads; 1 runs the jobs in this thread. Default: the machine's available parallelism. */
  jobs?: number;
  /** Run only shard k of n ("k/n"): jobs whose index % n == k - 1. Merge the shards with `mergeShards`. */
  shard?: string | Shard;
  /** The per-board PNG charts (default true). */
  charts?: boolean;
  /** Two PNGs per design point in charts/points/ (default false: index.html draws them on demand). */
  pointCharts?: boolean;
  /** A progress bar on stderr: default only on a terminal and outside CI. */
  progress?: boolean;
  /** Abort (Ctrl-C): the workers stop and nothing is written. */
  signal?: AbortSignal;
}

export interface SweepSummary {
  out: string;
  /** Jobs in the whole sweep, and those this run (shard) ran. */
  total: number;
  ran: number;
  ok: number;
  failed: number;
  layerRows: number;
  paretoRows: number;
  charts: number;
  seconds: number;
  /** The most job results ever held waiting for an earlier job (the reorder buffer). */
  maxBuffered: number;
}

/** Thrown when a sweep is aborted through its signal; nothing was written. */
export class SweepAborted extends UserError {
  constructor() {
    super('interrupted; nothing was written');
    this.name = 'SweepAborted';
  }
}

const STATUS = POINT_COLUMNS.findIndex((c) => c.name === 'status');
const LABEL = POINT_COLUMNS.findIndex((c) => c.name === 'label');

/** The writers of points.csv, layers.csv and pareto.csv, fed in job order. */
class Sink {
  readonly points: CsvWriter;
  readonly layers: CsvWriter;
  readonly pareto: CsvWriter;
  ok = 0;
  failed = 0;
  charts = 0;
  constructor(dir: string) {
    this.points = new CsvWriter(path.join(dir, 'points.csv'), POINT_COLUMNS);
    this.layers = new CsvWriter(path.join(dir, 'layers.csv'), LAYER_COLUMNS);
    this.pareto = new CsvWriter(path.join(dir, 'pareto.csv'), PARETO_COLUMNS);
  }
  async add(o: JobOutput) {
    await this.points.write([o.point]);
    await this.layers.write(o.layers);
    await this.pareto.write(o.pareto);
    if (o.point[STATUS] === 'ok') this.ok++;
    else this.failed++;
    this.charts += o.charts;
  }
  async close() {
    await Promise.all([this.points.close(), this.layers.close(), this.pareto.close()]);
  }
  abort() {
    for (const w of [this.points, this.layers, this.pareto]) w.abort();
  }
}

/**
 * Run `run(index)` for the positions 0..size-1 with at most `concurrency` in flight, hand the outputs to
 * `sink` strictly in position order, and never let more than `window` positions run ahead of the
 * last one written: memory holds a bounded reorder buffer, whatever the sweep's size.
 */
export async function runOrdered<T>(
  size: number, concurrency: number, window: number,
  run: (pos: number) => Promise<T>, sink: (out: T, pos: number) => Promise<void>, signal?: AbortSignal,
): Promise<{ maxBuffered: number }> {
  let maxBuffered = 0;
  await new Promise<void>((resolve, reject) => {
    let dispatched = 0;
    let written = 0;
    let inFlight = 0;
    let writing = false;
    let failed = false;
    const done = new Map<number, T>();
    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      reject(e);
    };
    const onAbort = () => fail(new SweepAborted());
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const pump = () => {
      if (failed) return;
      if (written === size) {
        signal?.removeEventListener('abort', onAbort);
        return resolve();
      }
      while (inFlight < concurrency && dispatched < size && dispatched < written + window) {
        const pos = dispatched++;
        inFlight++;
        run(pos).then((out) => {
          inFlight--;
          done.set(pos, out);
          maxBuffered = Math.max(maxBuffered, done.size);
          void flush();
        }, fail);
      }
    };
    const flush = async () => {
      if (writing || failed) return;
      writing = true;
      try {
        while (done.has(written) && !failed) {
          const out = done.get(written)!;
          done.delete(written);
          await sink(out, written);
          written++;
        }
      } catch (e) {
        fail(e);
      }
      writing = false;
      pump();
    };
    pump();
  });
  return { maxBuffered };
}

/**
 * Explore every combination of a sweep (or one shard of it) and write the report: points.csv,
 * layers.csv, pareto.csv and sweep.json, streamed as jobs finish; per-point PNGs; then the per-board
 * charts and index.html (not for a shard: `mergeShards` writes them once the shards are joined).
 */
export async function runSweep(opts: SweepOptions): Promise<SweepSummary> {
  const t0 = Date.now();
  const sweep = resolveSweep(opts.sweep);
  const shard = typeof opts.shard === 'string' ? parseShard(opts.shard) : opts.shard;
  const jobs = opts.jobs ?? availableParallelism();
  if (!Number.isInteger(jobs) || jobs < 1) throw new UserError(`--jobs ${jobs} is not a positive integer`, { field: 'jobs' });
  const total = jobCount(sweep);
  const size = shardSize(total, shard);
  const indexAt = (pos: number) => (shard ? shard.k - 1 + pos * shard.n : pos);
  const charts = opts.charts ?? true;
  if (opts.signal?.aborted) throw new SweepAborted();

  const staging = startStaging(opts.out);
  const sink = new Sink(staging);
  // The jobs write their points' detail files for index.html (not for a shard: `mergeShards` writes the report).
  const jobOptions = { ...(opts.pointCharts ? { chartsDir: staging } : {}), ...(shard ? {} : { detailsDir: staging }) };
  const workers = Math.min(jobs, Math.max(1, size));
  const pool = workers > 1 ? new JobPool(workers, sweep, jobOptions) : undefined;
  const progress = new Progress(size, 'jobs', opts.progress);
  try {
    const run = pool
      ? (pos: number) => pool.run(indexAt(pos), jobAt(sweep, indexAt(pos)).arch)
      : async (pos: number) => { await tick(); return runJob(sweep, indexAt(pos), jobOptions); };
    const { maxBuffered } = await runOrdered(size, pool ? workers * 2 : 1, Math.max(16, workers * 16), run, async (o) => {
      await sink.add(o);
      progress.tick(o.point[LABEL] as string);
    }, opts.signal);
    await pool?.close();
    progress.end();
    await sink.close();
    writeAtomic(path.join(staging, 'sweep.json'), sweepJson(sweep, shard ? shardString(shard) : undefined));
    let reportCharts = 0;
    if (!shard) reportCharts = (await writeReport(staging, sweep, { charts, details: false, signal: opts.signal })).charts;
    if (opts.signal?.aborted) throw new SweepAborted();
    commitStaging(staging, opts.out);
    return {
      out: opts.out, total, ran: size, ok: sink.ok, failed: sink.failed, layerRows: sink.layers.rows, paretoRows: sink.pareto.rows,
      charts: sink.charts + reportCharts, seconds: (Date.now() - t0) / 1000, maxBuffered,
    };
  } catch (e) {
    progress.end();
    await pool?.close();
    sink.abort();
    discardStaging(staging);
    throw e;
  }
}

/** Resolve a sweep without running it (for `--dry-run`-style listings and tests). */
export function planSweep(s: SweepFile | ResolvedSweep): { sweep: ResolvedSweep; total: number } {
  const sweep = resolveSweep(s);
  return { sweep, total: jobCount(sweep) };
}
