import type { Argv } from 'yargs';
import { evaluate } from '../cost/evaluate.js';
import { contextFor, loadPoint } from '../mapping/load.js';
import { jsonOut } from './args.js';
import { withFile } from '../errors.js';
import { checkOutputNumbers } from '../util/finite.js';
import { estimateText } from './estimate-view.js';

export function evaluateCommand(y: Argv) {
  return y.command('evaluate', 'evaluate a design point (engine or pipeline) on its workload and board', (a) => a
    .option('point', { type: 'string', demandOption: true, describe: 'design point .json' })
    .option('json', { type: 'boolean', default: false }), (argv) => {
    const point = loadPoint(argv.point);
    const e = withFile(argv.point, () => {
      const { workload, platform, tables } = contextFor(point);
      const est = evaluate(workload, platform, point, tables);
      checkOutputNumbers(est, argv.point);
      return est;
    });
    process.stdout.write(argv.json ? jsonOut(e) : estimateText(e));
  });
}
