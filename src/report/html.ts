import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ResolvedSweep } from '../sweep/config.js';
import { layerCyclesSpec, rooflineSpec, type ChartSpec } from './charts.js';
import { REPORT_CSS, REPORT_JS } from './client.js';
import { LAYER_COLUMNS, PARETO_COLUMNS, POINT_COLUMNS, toRecord, type LayerRecord, type PointRecord, type Row } from './columns.js';
import { readCsvRecords, readCsvRows, throughCsv } from './csv.js';

/** The per-board charts the report shows (built from points.csv). */
export interface BoardCharts {
  board: string;
  pareto: ChartSpec;
  utilisation: ChartSpec;
}

let chartJsSource: string | undefined;
/** chart.js's UMD build, inlined so that index.html needs no network. */
export function chartJsUmd(): string {
  if (!chartJsSource) {
    const main = createRequire(import.meta.url).resolve('chart.js');
    const text = readFileSync(path.join(path.dirname(main), 'chart.umd.min.js'), 'utf8');
    chartJsSource = text.replace(/<\/script/gi, '<\\/script');
  }
  return chartJsSource;
}

/** JSON safe inside <script type="application/json"> and in a script file (also valid JavaScript). */
const scriptJson = (x: unknown) => JSON.stringify(x).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** A write stream with back-pressure, to a temporary file renamed into place at the end. */
class Out {
  private readonly tmp: string;
  private readonly s: WriteStream;
  private err: Error | undefined;
  constructor(private readonly file: string) {
    this.tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
    this.s = createWriteStream(this.tmp);
    this.s.on('error', (e) => { this.err = e; });
  }
  async write(text: string) {
    if (this.err) throw this.err;
    if (!this.s.write(text)) {
      await new Promise<void>((resolve, reject) => {
        const onDrain = () => { this.s.off('error', onError); resolve(); };
        const onError = (e: Error) => { this.s.off('drain', onDrain); reject(e); };
        this.s.once('drain', onDrain);
        this.s.once('error', onError);
      });
    }
  }
  async close() {
    await new Promise<void>((resolve, reject) => this.s.end((e?: Error | null) => (e ? reject(e) : resolve())));
    if (this.err) throw this.err;
    renameSync(this.tmp, this.file);
  }
  abort() {
    this.s.destroy();
    rmSync(this.tmp, { force: true });
  }
}

/** Stream a CSV's rows as one JSON array. */
async function jsonRows(out: Out, file: string, columns = POINT_COLUMNS) {
  await out.write('[');
  let first = true;
  let batch: string[] = [];
  for await (const row of readCsvRows(file, columns)) {
    batch.push((first ? '' : ',') + scriptJson(row));
    first = false;
    if (batch.length >= 256) { await out.write(batch.join('\n')); batch = []; await out.write('\n'); }
  }
  if (batch.length) await out.write(batch.join('\n'));
  await out.write(']');
}

/** The rows of a CSV file (grouped by job, in job order) one job at a time. */
class JobGroups<T> {
  private readonly it: AsyncIterator<T>;
  private next: IteratorResult<T> | undefined;
  constructor(iterable: AsyncIterable<T>, private readonly jobOf: (x: T) => number) {
    this.it = iterable[Symbol.asyncIterator]();
  }
  async take(job: number): Promise<T[]> {
    const out: T[] = [];
    this.next ??= await this.it.next();
    while (!this.next.done && this.jobOf(this.next.value) < job) this.next = await this.it.next();
    while (!this.next.done && this.jobOf(this.next.value) === job) {
      out.push(this.next.value);
      this.next = await this.it.next();
    }
    return out;
  }
}

/** For each ok point in job order: its record and its layers (points.csv and layers.csv joined, streaming). */
export async function* pointsWithLayers(dir: string): AsyncGenerator<{ point: PointRecord; layers: LayerRecord[] }> {
  const layers = new JobGroups(readCsvRecords<LayerRecord>(path.join(dir, 'layers.csv'), LAYER_COLUMNS), (l) => l.job);
  for await (const point of readCsvRecords<PointRecord>(path.join(dir, 'points.csv'), POINT_COLUMNS)) {
    const own = await layers.take(point.job);
    if (point.status === 'ok') yield { point, layers: own };
  }
}

/** A design point's detail file, relative to the report directory (loaded by index.html on demand). */
export const detailFile = (job: number) => `detail/${job}.js`;

/**
 * The text of a design point's detail/<job>.js: its rows of layers.csv and pareto.csv and its two chart
 * configurations, as one call `licPoint(job, {...})`. index.html loads a point's file with a <script> tag
 * when the point is shown (a script may be loaded from file://, where fetch() may not), so the page stays
 * small however large the sweep. The rows and records are those the CSV files give back: `writePointDetail`
 * (a sweep's jobs, as they finish) and `writeDetails` (from the CSV files) write the same bytes.
 */
export function pointDetail(point: PointRecord, layers: LayerRecord[], layerRows: Row[], paretoRows: Row[]): string {
  const detail = {
    layers: layerRows,
    pareto: paretoRows,
    charts: { roofline: rooflineSpec(point, layers), layers: layerCyclesSpec(point, layers) },
  };
  return `licPoint(${point.job},${scriptJson(detail)});\n`;
}

/** detail/<job>.js for each ok point of the CSV files, memory holding one point at a time. */
async function writeDetails(dir: string): Promise<number> {
  const layerRows = new JobGroups(readCsvRows(path.join(dir, 'layers.csv'), LAYER_COLUMNS), (r) => r[0] as number);
  const paretoRows = new JobGroups(readCsvRows(path.join(dir, 'pareto.csv'), PARETO_COLUMNS), (r) => r[0] as number);
  let n = 0;
  for await (const { point, layers } of pointsWithLayers(dir)) {
    if (n === 0) mkdirSync(path.join(dir, 'detail'), { recursive: true });
    // A plain write: the report is written into a staging directory that one rename publishes (report/outdir.ts),
    // so a file-by-file rename (writeAtomic: two stats, a write, a rename, per design point) protects nothing.
    writeFileSync(path.join(dir, detailFile(point.job)), pointDetail(point, layers, await layerRows.take(point.job), await paretoRows.take(point.job)));
    n++;
  }
  return n;
}

/**
 * One explored point's detail/<job>.js, written by its sweep job as it finishes (sweep/run-job.ts): from its
 * rows as the CSV files give them back, so the file is the one `writeDetails` writes from those files.
 */
export function writePointDetail(dir: string, point: Row, layers: Row[], pareto: Row[]): void {
  if (!existsSync(dir)) throw new Error(`report directory ${dir} is gone`);
  const p = toRecord<PointRecord>(POINT_COLUMNS, throughCsv(POINT_COLUMNS, point));
  // index.html shows the explored points (pointsWithLayers).
  if (p.status !== 'ok') return;
  const layerRows = layers.map((r) => throughCsv(LAYER_COLUMNS, r));
  mkdirSync(path.join(dir, 'detail'), { recursive: true });
  // A plain write, as in writeDetails: the directory is a staging directory.
  const text = pointDetail(p, layerRows.map((r) => toRecord<LayerRecord>(LAYER_COLUMNS, r)), layerRows, pareto.map((r) => throughCsv(PARETO_COLUMNS, r)));
  writeFileSync(path.join(dir, detailFile(p.job)), text);
}

/** One line on what was swept, for the page's header. */
export function sweepSummaryLine(s: ResolvedSweep, total: number): string {
  const n = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
  return `${n(s.models.length, 'model')} × ${n(s.platforms.length, 'board')} × ${n(s.precisions.length, 'precision')} × ${n(s.res.length, 'resolution')} × ${n(s.arch.length, 'template')} × ${n(s.path.length, 'path')} = ${n(total, 'design point')}`;
}

/**
 * index.html (chart.js inlined, no network, no timestamp): the per-board charts, the selected point's
 * roofline and cycles (any point, by a link, the list or a click on a scatter point), a sortable table of
 * points.csv, and the selected point's rows of layers.csv and pareto.csv. The page embeds points.csv;
 * each point's detail is a file beside it (detail/<job>.js, see writeDetails) loaded when shown, so the
 * page stays small for a large sweep. Written streaming, so memory does not grow with the sweep.
 */
export async function writeHtml(dir: string, sweep: ResolvedSweep, total: number, stats: { ok: number; failed: number }, boards: BoardCharts[], opts: { details?: boolean } = {}): Promise<void> {
  const out = new Out(path.join(dir, 'index.html'));
  try {
    const head = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="lic-dse">
<title>lic-dse sweep report</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>lic-dse sweep report</h1>
<p>${esc(sweepSummaryLine(sweep, total))}: ${stats.ok} explored${stats.failed ? `, ${stats.failed} without a design (no design fits the board, or the model cannot take the resolution; the points table says why)` : ''}.</p>
<p>Files beside this page: <a href="points.csv">points.csv</a>, <a href="layers.csv">layers.csv</a>, <a href="pareto.csv">pareto.csv</a>, <a href="sweep.json">sweep.json</a> (repeat the run with <code>lic-dse sweep --config sweep.json</code>), PNG charts in <a href="charts/">charts/</a>, and each design point's detail in detail/ (this page loads it from there).</p>
</header>
<nav><a href="#summary">Best designs</a><a href="#boards">Boards</a><a href="#point">Design point</a><a href="#points">Points</a><a href="#layers">Layers</a><a href="#pareto">Pareto fronts</a><a href="#config">Configuration</a></nav>
<main>
<section id="summary">
<h2>Best designs <span class="note">(per board, model and path: the fastest design of the selection, end to end)</span></h2>
<div class="filters" id="filters" role="group" aria-label="filters"></div>
<p class="note">The filters apply to this table, the board charts (their scatter and Pareto front are drawn again for the selection) and the points table. A custom design beside the DPU of the same board, when the sweep has one, shows the speed-up over it.</p>
<div id="t-summary"></div>
</section>
<section id="boards">
<h2>Boards</h2>
<p class="note">Each scatter point is the design the search chose for one model × precision × resolution × template × path; click one to see its roofline and layers below.</p>
${boards.map((b, i) => `<h3>${esc(b.board)}</h3>
<div class="charts"><div class="chart half"><canvas id="c-board-${i}-pareto" role="img" aria-label="FPS against DSP on ${esc(b.board)}"></canvas></div><div class="chart half"><canvas id="c-board-${i}-utilisation" role="img" aria-label="resource utilisation on ${esc(b.board)}"></canvas></div></div>`).join('\n')}
</section>
<section id="point">
<h2>Design point</h2>
<p><select id="point-select" aria-label="design point"></select></p>
<dl class="summary" id="point-summary"></dl>
<div class="charts"><div class="chart"><canvas id="c-point-roofline" role="img" aria-label="roofline of the selected design"></canvas></div><div class="chart"><canvas id="c-point-layers" role="img" aria-label="cycles per layer of the selected design"></canvas></div></div>
</section>
<section id="points"><h2>Points <span class="note">(points.csv: one row per design point)</span></h2><div id="t-points"></div></section>
<section id="layers"><h2>Layers <span class="note">(the selected design point's rows of layers.csv: one row per layer)</span></h2><div id="t-layers"></div></section>
<section id="pareto"><h2>Pareto front <span class="note">(the selected design point's rows of pareto.csv: its search's front of accelerator FPS against DSP and BRAM18)</span></h2><div id="t-pareto"></div></section>
<section id="config"><h2>Configuration <span class="note">(sweep.json)</span></h2><pre>${esc(JSON.stringify(sweep, null, 2))}</pre></section>
</main>
<script type="application/json" id="d-columns">${scriptJson({ points: POINT_COLUMNS.map((c) => c.name), layers: LAYER_COLUMNS.map((c) => c.name), pareto: PARETO_COLUMNS.map((c) => c.name) })}</script>
<script type="application/json" id="d-boards">${scriptJson(boards)}</script>
`;
    await out.write(head);
    await out.write('<script type="application/json" id="d-points">');
    await jsonRows(out, path.join(dir, 'points.csv'), POINT_COLUMNS);
    await out.write('</script>\n<script>');
    await out.write(chartJsUmd());
    await out.write(`</script>\n<script>${REPORT_JS}</script>\n</body>\n</html>\n`);
    if (opts.details ?? true) await writeDetails(dir);
    await out.close();
  } catch (e) {
    out.abort();
    throw e;
  }
}
