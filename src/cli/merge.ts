import type { Argv } from 'yargs';
import { COMMANDS } from './commands.js';
import { mergeShards } from '../sweep/merge.js';

export function mergeCommand(y: Argv) {
  return y.command(COMMANDS.merge.usage, COMMANDS.merge.describe, (a) => a
    .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'the shard directories (any order)' })
    .option('out', { type: 'string', demandOption: true, describe: 'report directory' })
    .option('charts', { type: 'boolean', default: true, describe: 'the per-board PNG charts (--no-charts to skip); per-point PNGs of the shards are copied' }), async (argv) => {
    const s = await mergeShards(argv.dirs as string[], argv.out, { charts: argv.charts });
    process.stdout.write(`wrote ${s.out}: ${s.shards} shards joined, ${s.total} design points, ${s.ok} explored, ${s.failed} failed\n`);
  });
}
