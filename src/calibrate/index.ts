import type { Estimate } from '../cost/types.js';
import { evaluate } from '../cost/evaluate.js';
import { contextFor } from '../mapping/load.js';
import type { CostTables } from '../platform/tables.js';
import type { Calibration } from './calib-file.js';
import { type FoundReport } from './discover.js';
import { COEFFICIENTS, designFeatures, fromVector, toVector, withLinearModels, type DesignFeatures } from './features.js';
import { fitStats, ridgeToPrior, type FitStats } from './fit.js';

export interface Observed {
  lut: number;
  ff: number;
  dsp: number | null;
  bram18: number | null;
  source: 'csynth' | 'vivado';
}

/** A report with the design it came from: what was measured and what the model says. */
export interface Paired {
  report: FoundReport;
  observed: Observed;
  estimate: Estimate;
  features: DesignFeatures;
}

/** Post-implementation LUT/FF where a Vivado report exists (what the bitstream has), else the csynth estimate. */
export function observedOf(r: FoundReport): Observed {
  const c = r.csynth.resources;
  if (r.vivado) {
    const v = r.vivado.report;
    return { lut: v.lut!, ff: v.ff!, dsp: v.dsp ?? c.dsp, bram18: v.bram18 ?? c.bram18, source: 'vivado' };
  }
  if (c.lut === null || c.ff === null) throw new Error(`${r.file}: no LUT/FF`);
  return { lut: c.lut, ff: c.ff, dsp: c.dsp, bram18: c.bram18, source: 'csynth' };
}

/** Evaluate each report's design point (re-loading its workload and board) and read the LUT/FF counts. */
export function pairReports(reports: FoundReport[], tables: CostTables): Paired[] {
  return reports.map((report) => {
    const { workload, platform } = contextFor(report.point);
    return {
      report,
      observed: observedOf(report),
      estimate: evaluate(workload, platform, report.point, tables),
      features: designFeatures(workload, platform, report.point, tables),
    };
  });
}

const dot = (a: number[], b: number[]) => a.reduce((s, x, k) => s + x * b[k], 0);

export interface FitResult {
  lut: ReturnType<typeof fromVector>;
  ff: ReturnType<typeof fromVector>;
  bram18Overhead: number;
  fitted: string[];
  kept: string[];
  before: { lut: FitStats; ff: FitStats };
  after: { lut: FitStats; ff: FitStats };
}

/** Refit the LUT and FF linear models over paired reports (pure). */
export function fitCoefficients(pairs: Paired[], tables: CostTables): FitResult {
  const X = pairs.map((p) => p.features.counts);
  const varies = COEFFICIENTS.map((_, j) => X.some((r) => r[j] !== 0));
  const fitted = COEFFICIENTS.filter((_, j) => varies[j]);
  const kept = COEFFICIENTS.filter((_, j) => !varies[j]);
  const one = (which: 'lut' | 'ff') => {
    const prior = toVector(tables.coefficients[which]);
    const y = pairs.map((p) => p.observed[which]);
    const off = pairs.map((p) => (which === 'lut' ? p.features.lutOffset : p.features.ffOffset));
    const theta = ridgeToPrior(X, y, off, prior).map((v, j) => (varies[j] ? Number(v.toPrecision(6)) : prior[j]));
    const pred = (t: number[]) => X.map((r, k) => off[k] + dot(r, t));
    return { theta, before: fitStats(pred(prior), y), after: fitStats(pred(theta), y) };
  };
  const lut = one('lut');
  const ff = one('ff');
  const bramPairs = pairs.filter((p) => p.observed.bram18 !== null);
  const bram18Overhead = bramPairs.length ? Number((bramPairs.reduce((s, p) => s + (p.observed.bram18! - p.estimate.resources.bram18.used), 0) / bramPairs.length).toFixed(2)) : 0;
  const src = (which: string) => `Least-squares refit by lic-dse calibrate of the ${which} model over ${pairs.length} synthesis report(s) (${pairs.map((p) => p.report.file).join(', ')}); coefficients the reports do not vary (${kept.join(', ') || 'none'}) keep the shipped values of platforms/cost-coefficients.json.`;
  return {
    lut: fromVector(lut.theta, src('LUT')),
    ff: fromVector(ff.theta, src('FF')),
    bram18Overhead,
    fitted,
    kept,
    before: { lut: lut.before, ff: ff.before },
    after: { lut: lut.after, ff: ff.after },
  };
}

export function calibrationFile(pairs: Paired[], fit: FitResult): Calibration {
  const boards = [...new Set(pairs.map((p) => p.estimate.platform))];
  const parts = [...new Set(pairs.map((p) => p.report.csynth.part).filter((x): x is string => !!x))];
  return {
    schema: 'lic-dse/calibration@1',
    description: 'LUT/FF linear models refit from synthesis reports; `lic-dse explore|evaluate --calib FILE` uses them in place of platforms/cost-coefficients.json\'s.',
    board: boards.length === 1 ? boards[0] : null,
    part: parts.length === 1 ? parts[0] : null,
    lut: fit.lut,
    ff: fit.ff,
    bram18Overhead: fit.bram18Overhead,
    fit: {
      reports: pairs.map((p) => ({ report: p.report.file, version: p.report.csynth.version, source: p.observed.source })),
      fitted: fit.fitted,
      kept: fit.kept,
      before: fit.before,
      after: fit.after,
    },
  };
}

const pct = (est: number, rep: number | null) => (rep === null || rep === 0 ? null : Number((((est - rep) / rep) * 100).toFixed(1)));

export interface TableRow {
  report: string;
  vitis: string;
  layout: string;
  source: string;
  dsp: [number, number | null, number | null];
  bram18: [number, number | null, number | null];
  lut: [number, number, number | null];
  ff: [number, number, number | null];
  latency: [number, number | null, number | null];
  ii: [number, number | null, number | null];
}

/** Per report: estimated vs reported DSP, BRAM18, LUT, FF, latency and II (cycles), with the error in %. */
export function comparisonRows(pairs: Paired[]): TableRow[] {
  return pairs.map(({ report, observed, estimate: e }) => {
    const f = e.clockMHz * 1e6;
    const interval = Math.round(f / e.acceleratorFps);
    const latency = Math.round((e.latencyMs / 1e3 - (e.serial ? e.serial.seconds : 0) - e.entropy.seconds) * f);
    const c = report.csynth;
    return {
      report: report.file,
      vitis: c.version ?? '?',
      layout: report.layout,
      source: observed.source === 'vivado' ? `vivado ${report.vivado!.report.tool ?? ''}`.trim() : 'csynth',
      dsp: [e.resources.dsp.used, observed.dsp, pct(e.resources.dsp.used, observed.dsp)],
      bram18: [e.resources.bram18.used, observed.bram18, pct(e.resources.bram18.used, observed.bram18)],
      lut: [e.resources.lut.used, observed.lut, pct(e.resources.lut.used, observed.lut)],
      ff: [e.resources.ff.used, observed.ff, pct(e.resources.ff.used, observed.ff)],
      latency: [latency, c.latency.worst, pct(latency, c.latency.worst)],
      ii: [interval, c.interval.max, pct(interval, c.interval.max)],
    };
  });
}

export { withLinearModels };
