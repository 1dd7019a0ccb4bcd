import path from 'node:path';
import type { Argv } from 'yargs';
import { COMMANDS } from './commands.js';
import { evaluate } from '../cost/evaluate.js';
import { EMIT_MAX_ELEMENTS } from '../emit/index.js';
import { contextFor, loadPoint } from '../mapping/load.js';
import { withFile } from '../errors.js';
import { checkOutputNumbers } from '../util/finite.js';
import { jsonOut } from './args.js';
import { emitSummary, emitWithProgress } from './emit-run.js';
import { jsonOpt } from './options.js';

export function emitCommand(y: Argv) {
  return y.command(COMMANDS.emit.usage, COMMANDS.emit.describe, (a) => a
    .option('point', { type: 'string', demandOption: true, describe: 'design point .json (from explore --save, or written by hand)' })
    .option('out', { type: 'string', demandOption: true, describe: 'output folder, e.g. hls/<name> (created; must be empty or an earlier emit with --force)' })
    .option('force', { type: 'boolean', default: false, describe: 'replace a project lic-dse emitted there before' })
    .option('part', { type: 'string', describe: 'part of the model to emit, made of convolutional ops (default: g_a at encode, g_s at decode)' })
    .option('seed', { type: 'number', default: 1, describe: 'seed of the random test weights and input (integer)' })
    .option('json', jsonOpt)
    .example('$0 emit --point point.json --out hls/ga', 'emit the design point saved by `explore --save point.json`, then `make -C hls/ga sim`'), (argv) => {
    const point = loadPoint(argv.point);
    const { workload, platform, estimate } = withFile(argv.point, () => {
      const ctx = contextFor(point);
      const est = evaluate(ctx.workload, ctx.platform, point, ctx.tables);
      checkOutputNumbers(est, argv.point);
      return { ...ctx, estimate: est };
    });
    const macs = estimate.layers.reduce((s, l) => s + l.macs, 0);
    const fits = workload.layers.every((l) => l.inElems <= EMIT_MAX_ELEMENTS && l.outElems <= EMIT_MAX_ELEMENTS);
    if (macs > 2e9 && fits) process.stderr.write(`lic-dse: computing the golden vectors of ${(macs / 1e9).toFixed(1)} GMAC at ${point.workload.res} in TypeScript; this takes a while\n`);
    const r = withFile(argv.point, () => emitWithProgress({ point, estimate, workload, platform, out: argv.out, force: argv.force, part: argv.part, seed: argv.seed }), ['out', 'part']);
    if (argv.json) return void process.stdout.write(jsonOut(emitSummary(r)));
    const rel = path.relative(process.cwd(), r.dir) || '.';
    process.stdout.write(`wrote ${rel}: ${r.part} of ${estimate.model} as ${r.arch === 'engine' ? 'an engine' : 'a pipeline'} of ${r.layers} ${r.arch === 'engine' ? 'layer passes' : 'stages'}, top ${r.top}, ${r.files.length} files\n`);
    process.stdout.write(`run its testbench with: make -C ${rel} sim    (Vitis: make -C ${rel} csynth; see ${path.join(rel, 'README.md')})\n`);
  });
}
