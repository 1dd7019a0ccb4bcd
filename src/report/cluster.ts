import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ClusterReport } from '../cluster/analyse.js';
import { UserError } from '../errors.js';
import { axis, fmt, PALETTE, renderPng, title, type ChartSpec } from './charts.js';
import { formatCell } from './columns.js';
import { csvLines } from './csv.js';
import { commitStaging, discardStaging } from './outdir.js';

/**
 * The cluster report: CSV tables, chart.js specs rendered to PNG, and cluster.json (the whole report).
 * Report reads cluster's types only; cluster never imports report.
 */

const r6 = (x: number | null) => (x === null || !Number.isFinite(x) ? null : Number(x.toPrecision(6)));
const table = (header: string[], rows: (string | number | boolean | null)[][]) => csvLines([header, ...rows.map((r) => r.map((v) => formatCell(typeof v === 'number' ? r6(v) : v)))]);

/** Latency CDF points: at most `max` evenly spaced quantiles of the sorted latencies. */
export function cdfPoints(sorted: number[], max = 400): { latencyMs: number; fraction: number }[] {
  if (!sorted.length) return [];
  const step = Math.max(1, Math.ceil(sorted.length / max));
  const out: { latencyMs: number; fraction: number }[] = [];
  for (let i = step - 1; i < sorted.length; i += step) out.push({ latencyMs: sorted[i], fraction: (i + 1) / sorted.length });
  if (out[out.length - 1].fraction < 1) out.push({ latencyMs: sorted[sorted.length - 1], fraction: 1 });
  return out;
}

export function clusterCsv(r: ClusterReport): Record<string, string> {
  const files: Record<string, string> = {};
  files['boards.csv'] = table(
    ['board', 'platform', 'link', 'estimate_fps', 'capacity_fps', 'bound', 'latency_ms', 'availability'],
    r.boards.map((b) => [b.id, b.platform, b.link, b.estimateFps, b.capacityFps, b.bound, b.latencyMs, b.availability]),
  );
  const steady = new Map((r.simulation?.steady ?? []).map((s) => [s.failed, s]));
  files['degradation.csv'] = table(
    ['failed', 'up', 'fps', 'limit', 'latency_ms', 'saturated_latency_ms', 'sim_fps', 'sim_error_pct'],
    r.degradation.map((d) => [d.failed, d.up, d.fps, d.limit, d.up ? d.latencyMs : null, d.saturatedLatencyMs, steady.get(d.failed)?.meanFps ?? null, steady.get(d.failed)?.errorPct ?? null]),
  );
  files['scaling.csv'] = table(['n', 'fps', 'limit', 'latency_ms'], r.scaling.map((s) => [s.n, s.fps, s.limit, s.latencyMs]));
  if (r.tiles) {
    files['tiles.csv'] = table(
      ['width', 'height', 'n', 'used', 'halo_rows', 'halo_overhead', 'latency_ms', 'stitch_ms', 'fps', 'limit'],
      r.tiles.curves.flatMap((c) => c.points.map((p) => [c.width, c.height, p.offered, p.n, p.haloRows, p.haloOverhead, p.latencyMs, p.stitchMs, p.fps, p.limit])),
    );
  }
  if (r.simulation) {
    files['latency-cdf.csv'] = table(['latency_ms', 'fraction'], cdfPoints(r.simulation.run.latenciesMs).map((p) => [p.latencyMs, p.fraction]));
  }
  return files;
}

const line = (label: string, data: { x: number; y: number }[], color: string, extra: Record<string, unknown> = {}) => ({
  label, data, showLine: true, borderColor: color, backgroundColor: color, borderWidth: 2, pointRadius: 4, ...extra,
});

export function fpsVsFailedSpec(r: ClusterReport): ChartSpec {
  const datasets: Record<string, unknown>[] = [line('closed form (worst case: fastest boards fail first)', r.degradation.map((d) => ({ x: d.failed, y: d.fps })), PALETTE[0])];
  if (r.simulation) {
    datasets.push(line(`simulation (mean of ${r.simulation.steady[0]?.seeds.length ?? 0} seeds)`, r.simulation.steady.map((s) => ({ x: s.failed, y: s.meanFps })), PALETTE[1], { showLine: false, pointRadius: 7, pointStyle: 'crossRot', borderWidth: 3 }));
  }
  datasets.push(line(`master link cap (${fmt(r.healthy.masterLinkFps)} FPS)`, [{ x: 0, y: r.healthy.masterLinkFps }, { x: r.boards.length, y: r.healthy.masterLinkFps }], '#888', { borderDash: [5, 5], pointRadius: 0, borderWidth: 1.5 }));
  return {
    type: 'scatter',
    data: { datasets },
    options: {
      plugins: { ...title(`FPS against failed boards — ${r.name}`, `${r.boards.length} boards, ${r.split} parallel, master ${r.master.name} over ${r.master.link}`), legend: { position: 'bottom' } },
      scales: { x: axis('linear', 'boards failed', { min: 0, max: r.boards.length, ticks: { stepSize: 1 } }), y: axis('linear', 'frames per second', { min: 0 }) },
    },
    lic: { width: 1000, height: 600, logAxes: [] },
  };
}

export function fpsVsNSpec(r: ClusterReport): ChartSpec {
  return {
    type: 'scatter',
    data: {
      datasets: [
        line('closed form', r.scaling.map((s) => ({ x: s.n, y: s.fps })), PALETTE[0]),
        line(`master link cap (${fmt(r.healthy.masterLinkFps)} FPS)`, [{ x: 1, y: r.healthy.masterLinkFps }, { x: r.scaling.length, y: r.healthy.masterLinkFps }], '#888', { borderDash: [5, 5], pointRadius: 0, borderWidth: 1.5 }),
      ],
    },
    options: {
      plugins: { ...title(`FPS against number of boards — ${r.name}`, `the cluster's boards in order, repeated past its ${r.boards.length}; ${r.split} parallel`), legend: { position: 'bottom' } },
      scales: { x: axis('linear', 'boards (N)', { min: 1, ticks: { stepSize: 1 } }), y: axis('linear', 'frames per second', { min: 0 }) },
    },
    lic: { width: 1000, height: 600, logAxes: [] },
  };
}

export function latencyCdfSpec(r: ClusterReport): ChartSpec | null {
  if (!r.simulation) return null;
  const run = r.simulation.run;
  return {
    type: 'scatter',
    data: { datasets: [line('simulated frames', cdfPoints(run.latenciesMs).map((p) => ({ x: p.latencyMs, y: p.fraction })), PALETTE[0], { pointRadius: 0, stepped: 'after' })] },
    options: {
      plugins: {
        ...title(`Latency CDF (simulation) — ${r.name}`, `seed ${run.seed}, ${run.seconds} s, ${run.failures} failures, p50 ${fmt(run.latencyMs.p50)} ms, p99 ${fmt(run.latencyMs.p99)} ms, lost ${run.lost}, duplicated ${run.duplicated}`),
        legend: { display: false },
      },
      scales: { x: axis('linear', 'latency, arrival to result at the master (ms)', { min: 0 }), y: axis('linear', 'fraction of frames', { min: 0, max: 1 }) },
    },
    lic: { width: 1000, height: 600, logAxes: [] },
  };
}

export function tileLatencySpec(r: ClusterReport): ChartSpec | null {
  if (!r.tiles) return null;
  return {
    type: 'scatter',
    data: { datasets: r.tiles.curves.map((c, i) => line(`${c.width}×${c.height}`, c.points.map((p) => ({ x: p.offered, y: p.latencyMs })), PALETTE[i % PALETTE.length])) },
    options: {
      plugins: {
        ...title(`Latency of one image split into strips — ${r.name}`, `halo ${r.tiles.haloRows} rows per interior edge (receptive field ${r.tiles.receptiveField} px, from the ${r.tiles.haloFrom}); strips proportional to board speed, on the subset of the N boards that gives the lowest latency`),
        legend: { position: 'bottom' },
      },
      scales: { x: axis('linear', 'boards (N)', { min: 1, ticks: { stepSize: 1 } }), y: axis('linear', 'latency of one image (ms)', { min: 0 }) },
    },
    lic: { width: 1000, height: 600, logAxes: [] },
  };
}

/** cluster.json: the report without the raw latency samples (the CDF file has them, thinned). */
export function clusterJson(r: ClusterReport): string {
  const sim = r.simulation ? { ...r.simulation, run: { ...r.simulation.run, latenciesMs: undefined } } : null;
  return `${JSON.stringify({ schema: 'lic-dse/cluster-report@1', ...r, simulation: sim }, null, 2)}\n`;
}

function isClusterReportDir(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(path.join(dir, 'cluster.json'), 'utf8')) as { schema?: unknown }).schema === 'lic-dse/cluster-report@1';
  } catch {
    return false;
  }
}

/** Write the report into `out` (absent, empty or a previous cluster report), all files at once via a staging directory. */
export async function writeClusterReport(r: ClusterReport, out: string): Promise<string[]> {
  const abs = path.resolve(out);
  if (existsSync(abs)) {
    if (!statSync(abs).isDirectory()) throw new UserError(`${out} exists and is not a directory`, { field: 'out' });
    if (readdirSync(abs).length && !isClusterReportDir(abs)) throw new UserError(`${out} exists and is not a lic-dse cluster report (no cluster.json); choose another --out or remove it`, { field: 'out' });
  }
  mkdirSync(path.dirname(abs), { recursive: true });
  const staging = path.join(path.dirname(abs), `.${path.basename(abs)}.staging-${process.pid}`);
  mkdirSync(staging, { recursive: true });
  try {
    const files: Record<string, string | Buffer> = { ...clusterCsv(r), 'cluster.json': clusterJson(r) };
    const specs: [string, ChartSpec | null][] = [
      ['fps-vs-failed.png', fpsVsFailedSpec(r)], ['fps-vs-n.png', fpsVsNSpec(r)], ['latency-cdf.png', latencyCdfSpec(r)], ['tile-latency.png', tileLatencySpec(r)],
    ];
    for (const [name, spec] of specs) if (spec) files[name] = await renderPng(spec);
    for (const [name, data] of Object.entries(files)) writeFileSync(path.join(staging, name), data);
    commitStaging(staging, out);
    return Object.keys(files).sort();
  } catch (e) {
    discardStaging(staging);
    throw e;
  }
}
