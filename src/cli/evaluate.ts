import type { Argv } from 'yargs';
import { evaluate } from '../cost/evaluate.js';
import { contextFor, loadPoint } from '../mapping/load.js';
import { jsonOut } from './args.js';
import { estimateText } from './estimate-view.js';
import { applyCalibration, loadCalibration } from '../calibrate/calib-file.js';

export function evaluateCommand(y: Argv) {
  return y.command('evaluate', 'evaluate a design point (engine or pipeline) on its workload and board', (a) => a
    .option('point', { type: 'string', demandOption: true, describe: 'design point .json' })
    .option('calib', { type: 'string', describe: 'LUT/FF models from `lic-dse calibrate --out` in place of the shipped ones' })
    .option('json', { type: 'boolean', default: false }), (argv) => {
    const point = loadPoint(argv.point);
    const { workload, platform, tables: shipped } = contextFor(point);
    const tables = argv.calib ? applyCalibration(shipped, loadCalibration(argv.calib)) : shipped;
    const e = evaluate(workload, platform, point, tables);
    process.stdout.write(argv.json ? jsonOut(e) : estimateText(e));
  });
}
