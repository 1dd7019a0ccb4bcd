import type { Argv } from 'yargs';
import { COMMANDS } from './commands.js';
import { mergeShards } from '../sweep/merge.js';
import { jsonOut } from './args.js';
import { jsonOpt } from './options.js';

export function mergeCommand(y: Argv) {
  return y.command(COMMANDS.merge.usage, COMMANDS.merge.describe, (a) => a
    .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'the shard report folders (any order)' })
    .option('out', { type: 'string', demandOption: true, describe: 'report folder to write' })
    .option('charts', { type: 'boolean', default: true, describe: 'the per-board PNG charts (--no-charts to skip); per-point PNGs of the shards are copied' })
    .option('json', jsonOpt)
    .example('$0 merge reports/shard-* --out reports/all', 'join every shard of a sweep'), async (argv) => {
    const s = await mergeShards(argv.dirs as string[], argv.out, { charts: argv.charts });
    if (argv.json) return void process.stdout.write(jsonOut(s));
    process.stdout.write(`wrote ${s.out}: ${s.shards} shards joined, ${s.total} design points, ${s.ok} explored, ${s.failed} without a design\n`);
  });
}
