import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Argv } from 'yargs';
import { COMMANDS } from './commands.js';
import { jsonOut } from './args.js';
import { jsonOpt } from './options.js';
import { UserError } from '../errors.js';
import { POINT_COLUMNS, type PointRecord } from '../report/columns.js';
import { comparisonMarkdown } from '../report/compare.js';
import { readCsvRecords } from '../report/csv.js';

export function compareCommand(y: Argv) {
  return y.command(COMMANDS.compare.usage, COMMANDS.compare.describe, (a) => a
    .positional('report', { type: 'string', demandOption: true, describe: 'a sweep report directory, or its points.csv' })
    .option('json', { ...jsonOpt, describe: 'print the compared rows (model, target, board, path, FPS, CPU subgraphs) as JSON instead of Markdown' })
    .example('$0 compare reports/baselines', 'the DPU / engine / pipeline / GPU table of the sweep in examples/baselines-sweep.json'), async (argv) => {
    const arg = argv.report as string;
    const file = existsSync(arg) && statSync(arg).isDirectory() ? path.join(arg, 'points.csv') : arg;
    if (!existsSync(file)) throw new UserError(`no points.csv at ${file} (run \`lic-dse sweep --out DIR\` first)`, { field: 'report' });
    const points: PointRecord[] = [];
    for await (const p of readCsvRecords<PointRecord>(file, POINT_COLUMNS)) points.push(p);
    if (argv.json) {
      return void process.stdout.write(jsonOut(points.map((p) => ({
        model: p.model, variant: p.variant, target: p.arch, platform: p.platform, path: p.path, precision: p.precision, res: p.res,
        status: p.status, fps: p.fps, feasible: p.feasible, cpuSubgraphs: p.cpuSubgraphs, cpuMs: p.cpuMs, bottleneck: p.bottleneck,
      }))));
    }
    process.stdout.write(comparisonMarkdown(points));
  });
}
