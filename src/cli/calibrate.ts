import type { Argv } from 'yargs';
import { COMMANDS } from './commands.js';
import { applyCalibration, loadCalibration } from '../calibrate/calib-file.js';
import { writeAtomic } from '../mapping/load.js';
import { loadCostTables } from '../platform/load.js';
import { textTable } from '../report/table.js';
import { UserError } from '../errors.js';
import { jsonOut } from './args.js';

const f1 = (x: number | null) => (x === null ? '-' : Number(x.toFixed(1)));
const f3 = (x: number | null) => (x === null ? '-' : Number(x.toFixed(3)));

export function calibrateCommand(y: Argv) {
  return y.command(
    COMMANDS.calibrate.usage,
    COMMANDS.calibrate.describe,
    (a) => a
      .positional('reports', { type: 'string', array: true, demandOption: true, describe: '*_csynth.xml files or folders holding emitted projects' })
      .option('out', { type: 'string', describe: 'write the refit LUT/FF models here, e.g. platforms/zcu102.calib.json' })
      .option('table', { type: 'boolean', default: false, describe: 'per report: estimated vs reported DSP, BRAM18, LUT, FF, latency, II' })
      .option('calib', { type: 'string', describe: 'estimate the table with this calibration instead of the shipped coefficients' })
      .option('json', { type: 'boolean', default: false, describe: 'print the pairs, the table and the fit as JSON instead of text' })
      .example('$0 calibrate test/fixtures/calibrate --table', 'estimated against reported resources of the fixture reports'),
    async (argv) => {
      // The XML parser and ml-matrix load only for this command (CLI start-up stays lean).
      const { findReports } = await import('../calibrate/discover.js');
      const { calibrationFile, comparisonRows, fitCoefficients, pairReports } = await import('../calibrate/index.js');
      if (argv.out && !argv.out.endsWith('.json')) throw new UserError(`"${argv.out}" must end in .json`, { field: 'out' });
      const shipped = loadCostTables();
      const tables = argv.calib ? applyCalibration(shipped, loadCalibration(argv.calib)) : shipped;
      const reports = findReports(argv.reports as string[]);
      const pairs = pairReports(reports, tables);
      const rows = comparisonRows(pairs);
      const fit = fitCoefficients(pairs, tables);
      const calib = calibrationFile(pairs, fit);
      if (argv.out) writeAtomic(argv.out, jsonOut(calib));
      if (argv.json) return void process.stdout.write(jsonOut({ rows, calibration: calib }));
      const out: string[] = [];
      if (argv.table || !argv.out) {
        out.push(textTable(
          ['report', 'Vitis', 'layout', 'LUT/FF from', 'DSP est', 'rep', 'err %', 'BRAM18 est', 'rep', 'err %', 'LUT est', 'rep', 'err %', 'FF est', 'rep', 'err %', 'latency est', 'rep', 'err %', 'II est', 'rep', 'err %'],
          rows.map((r) => [r.report, r.vitis, r.layout, r.source, ...r.dsp.map(f1), ...r.bram18.map(f1), ...r.lut.map(f1), ...r.ff.map(f1), ...r.latency.map(f1), ...r.ii.map(f1)]),
        ), '');
      }
      const s = (x: { mape: number; r2: number | null }) => `MAPE ${f1(x.mape)} %, R² ${f3(x.r2)}`;
      out.push(
        `LUT ${argv.calib ? 'calibrated' : 'shipped'} model: ${s(fit.before.lut)}; refit: ${s(fit.after.lut)}`,
        `FF  ${argv.calib ? 'calibrated' : 'shipped'} model: ${s(fit.before.ff)}; refit: ${s(fit.after.ff)}`,
        `refit over ${pairs.length} report(s): ${fit.fitted.join(', ') || 'nothing'}; kept (the reports do not vary them): ${fit.kept.join(', ') || 'none'}`,
        `BRAM18 beyond the estimate: ${fit.bram18Overhead} per design (mean; reported, not applied)`,
      );
      if (pairs.length <= fit.fitted.length) {
        out.push(`note: ${pairs.length} report(s) for ${fit.fitted.length} varying coefficients: the refit can match them exactly and says little; synthesise more, varied designs (sizes, precisions, both templates)`);
      }
      if (argv.out) out.push(`wrote ${argv.out} (use it with explore/evaluate --calib ${argv.out})`);
      process.stdout.write(`${out.join('\n')}\n`);
    },
  );
}
