import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Argv } from 'yargs';
import { UserError } from '../errors.js';
import { POINT_COLUMNS, type PointRecord } from '../report/columns.js';
import { comparisonMarkdown } from '../report/compare.js';
import { readCsvRecords } from '../report/csv.js';

export function compareCommand(y: Argv) {
  return y.command('compare <report>', 'a Markdown table comparing targets (dpu, engine, pipeline, gpu) per model, board and path, from a sweep\'s points.csv', (a) => a
    .positional('report', { type: 'string', demandOption: true, describe: 'a sweep report directory, or its points.csv' }), async (argv) => {
    const arg = argv.report as string;
    const file = existsSync(arg) && statSync(arg).isDirectory() ? path.join(arg, 'points.csv') : arg;
    if (!existsSync(file)) throw new UserError(`no points.csv at ${file} (run \`lic-dse sweep --out DIR\` first)`, { field: 'report' });
    const points: PointRecord[] = [];
    for await (const p of readCsvRecords<PointRecord>(file, POINT_COLUMNS)) points.push(p);
    process.stdout.write(comparisonMarkdown(points));
  });
}
