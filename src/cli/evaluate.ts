import type { Argv } from 'yargs';
import { COMMANDS } from './commands.js';
import { evaluate } from '../cost/evaluate.js';
import { contextFor, loadPoint } from '../mapping/load.js';
import { TERMINAL_WIDTH } from '../report/table.js';
import { jsonOut } from './args.js';
import { withFile } from '../errors.js';
import { checkOutputNumbers } from '../util/finite.js';
import { estimateText } from './estimate-view.js';
import { jsonOpt, wideOpt } from './options.js';
import { applyCalibration, loadCalibration } from '../calibrate/calib-file.js';

export function evaluateCommand(y: Argv) {
  return y.command(COMMANDS.evaluate.usage, COMMANDS.evaluate.describe, (a) => a
    .option('point', { type: 'string', demandOption: true, describe: 'design point .json (from explore --save, or written by hand: lic-dse/point@1)' })
    .option('calib', { type: 'string', describe: 'LUT/FF models from `lic-dse calibrate --out` in place of the shipped ones' })
    .option('summary', { type: 'boolean', default: false, describe: 'headline and resources only (no per-layer table)' })
    .option('wide', wideOpt)
    .option('json', jsonOpt)
    .example('$0 evaluate --point test/fixtures/zhang15-point.json', 'the Zhang et al. FPGA\'15 AlexNet engine (known answer)'), (argv) => {
    const point = loadPoint(argv.point);
    const e = withFile(argv.point, () => {
      const { workload, platform, tables: shipped } = contextFor(point);
      const tables = argv.calib ? applyCalibration(shipped, loadCalibration(argv.calib)) : shipped;
      const est = evaluate(workload, platform, point, tables);
      checkOutputNumbers(est, argv.point);
      return est;
    });
    process.stdout.write(argv.json ? jsonOut(e) : estimateText(e, { layers: !argv.summary, maxWidth: argv.wide ? undefined : TERMINAL_WIDTH }));
  });
}
