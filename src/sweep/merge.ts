import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { writeAtomic } from '../mapping/load.js';
import { LAYER_COLUMNS, PARETO_COLUMNS, POINT_COLUMNS, type Column, type Row } from '../report/columns.js';
import { CsvWriter, readCsvRows } from '../report/csv.js';
import { commitStaging, discardStaging, startStaging } from '../report/outdir.js';
import { writeReport } from '../report/report.js';
import { readJson } from '../util/files.js';
import { resolveSweep, sweepJson, type ResolvedSweep } from './config.js';
import { jobCount, parseShard, type Shard } from './jobs.js';

export interface MergeOptions {
  /** PNG charts (default true): the shards' per-point PNGs are copied, the per-board charts drawn. */
  charts?: boolean;
}

export interface MergeSummary {
  out: string;
  shards: number;
  total: number;
  ok: number;
  failed: number;
}

/** A CSV reader that can look at the next row without taking it. */
class Peek {
  private it: AsyncIterator<Row>;
  private head: IteratorResult<Row> | undefined;
  constructor(file: string, columns: Column[]) {
    this.it = readCsvRows(file, columns)[Symbol.asyncIterator]();
  }
  async peek(): Promise<Row | undefined> {
    if (!this.head) this.head = await this.it.next();
    return this.head.done ? undefined : this.head.value;
  }
  async take(): Promise<Row | undefined> {
    const r = await this.peek();
    this.head = undefined;
    return r;
  }
}

/** Each shard's sweep.json: the same sweep, shards 1..n each exactly once. */
function checkShards(dirs: string[]): { sweep: ResolvedSweep; byK: string[]; n: number } {
  if (!dirs.length) throw new UserError('give the shard directories to merge', { field: 'dirs' });
  let sweep: ResolvedSweep | undefined;
  let canonical = '';
  let n = 0;
  const byK: string[] = [];
  for (const d of dirs) {
    const file = path.join(d, 'sweep.json');
    if (!existsSync(file)) throw new UserError(`${d} has no sweep.json (not a sweep output)`, { field: 'dirs' });
    const doc = readJson(file) as { shard?: string };
    if (!doc.shard) throw new UserError('not a shard (sweep.json has no "shard"); it is already a whole sweep', { file, field: 'shard' });
    const shard: Shard = parseShard(doc.shard);
    const s = resolveSweep(doc, file);
    const text = sweepJson(s);
    if (!sweep) { sweep = s; canonical = text; n = shard.n; }
    else if (text !== canonical) throw new UserError(`a different sweep from ${path.join(dirs[0], 'sweep.json')}`, { file });
    if (shard.n !== n) throw new UserError(`shard ${doc.shard} does not match the other shards' n = ${n}`, { file, field: 'shard' });
    if (byK[shard.k - 1]) throw new UserError(`shard ${doc.shard} is given twice (${byK[shard.k - 1]} and ${d})`, { field: 'dirs' });
    for (const f of ['points.csv', 'layers.csv', 'pareto.csv']) {
      if (!existsSync(path.join(d, f))) throw new UserError(`${d} has no ${f} (an unfinished shard?)`, { field: 'dirs' });
    }
    byK[shard.k - 1] = d;
  }
  const missing = Array.from({ length: n }, (_, i) => i + 1).filter((k) => !byK[k - 1]);
  if (missing.length) throw new UserError(`shard(s) ${missing.map((k) => `${k}/${n}`).join(', ')} missing`, { field: 'dirs' });
  return { sweep: sweep!, byK, n };
}

/**
 * Join the outputs of `sweep --shard k/n` (k = 1..n) into exactly what one unsharded run writes: rows
 * merged in job order (job j comes from shard j % n + 1), the per-point PNGs copied, then the per-board
 * charts, index.html and sweep.json written as `runSweep` writes them. Streams; memory stays bounded.
 */
export async function mergeShards(dirs: string[], out: string, opts: MergeOptions = {}): Promise<MergeSummary> {
  const { sweep, byK, n } = checkShards(dirs);
  const total = jobCount(sweep);
  const staging = startStaging(out);
  const writers = [
    new CsvWriter(path.join(staging, 'points.csv'), POINT_COLUMNS),
    new CsvWriter(path.join(staging, 'layers.csv'), LAYER_COLUMNS),
    new CsvWriter(path.join(staging, 'pareto.csv'), PARETO_COLUMNS),
  ];
  try {
    const readers = byK.map((d) => [
      new Peek(path.join(d, 'points.csv'), POINT_COLUMNS),
      new Peek(path.join(d, 'layers.csv'), LAYER_COLUMNS),
      new Peek(path.join(d, 'pareto.csv'), PARETO_COLUMNS),
    ]);
    for (let job = 0; job < total; job++) {
      const k = job % n;
      const [points, layers, pareto] = readers[k];
      const p = await points.take();
      if (!p || p[0] !== job) throw new UserError(`${byK[k]}/points.csv has no row for job ${job} (an incomplete or edited shard)`, { field: 'dirs' });
      await writers[0].write([p]);
      for (const [r, w] of [[layers, writers[1]], [pareto, writers[2]]] as const) {
        const rows: Row[] = [];
        for (let row = await r.peek(); row && row[0] === job; row = await r.peek()) rows.push((await r.take())!);
        await w.write(rows);
      }
    }
    for (const [k, [points, layers, pareto]] of readers.entries()) {
      if ((await points.peek()) || (await layers.peek()) || (await pareto.peek())) throw new UserError(`${byK[k]} has rows beyond the sweep's ${total} jobs`, { field: 'dirs' });
    }
    await Promise.all(writers.map((w) => w.close()));
    if (opts.charts ?? true) {
      const dest = path.join(staging, 'charts', 'points');
      for (const d of byK) {
        const src = path.join(d, 'charts', 'points');
        if (!existsSync(src)) continue;
        mkdirSync(dest, { recursive: true });
        for (const f of readdirSync(src).filter((x) => x.endsWith('.png')).sort()) copyFileSync(path.join(src, f), path.join(dest, f));
      }
    }
    writeAtomic(path.join(staging, 'sweep.json'), sweepJson(sweep));
    const r = await writeReport(staging, sweep, { charts: opts.charts ?? true });
    commitStaging(staging, out);
    return { out, shards: n, total, ok: r.ok, failed: r.failed };
  } catch (e) {
    for (const w of writers) w.abort();
    discardStaging(staging);
    throw e;
  }
}
