import type { Argv } from 'yargs';
import { COMMANDS } from './commands.js';
import { evaluate } from '../cost/evaluate.js';
import { contextFor, loadPoint } from '../mapping/load.js';
import { jsonOut } from './args.js';
import { estimateText } from './estimate-view.js';

export function evaluateCommand(y: Argv) {
  return y.command(COMMANDS.evaluate.usage, COMMANDS.evaluate.describe, (a) => a
    .option('point', { type: 'string', demandOption: true, describe: 'design point .json' })
    .option('json', { type: 'boolean', default: false }), (argv) => {
    const point = loadPoint(argv.point);
    const { workload, platform, tables } = contextFor(point);
    const e = evaluate(workload, platform, point, tables);
    process.stdout.write(argv.json ? jsonOut(e) : estimateText(e));
  });
}
