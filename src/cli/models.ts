import type { Argv } from 'yargs';
import { COMMANDS } from './commands.js';
import { loadModel, zooNames } from '../workload/load.js';
import { TERMINAL_WIDTH, textTable } from '../report/table.js';
import { jsonOut } from './args.js';
import { jsonOpt, wideOpt } from './options.js';

export function modelsCommand(y: Argv) {
  return y.command(COMMANDS.models.usage, COMMANDS.models.describe, (a) => a
    .option('wide', wideOpt)
    .option('json', jsonOpt)
    .example('$0 models --json', 'every model with its variants, parameters and reference code'), (argv) => {
    const rows = zooNames().map((n) => {
      const { spec } = loadModel(n);
      return {
        name: spec.name,
        title: spec.title,
        variants: Object.keys(spec.variants),
        defaultVariant: spec.defaultVariant ?? null,
        params: spec.params,
        reference: `${spec.reference.repo}/${spec.reference.path}`,
      };
    });
    if (argv.json) return void process.stdout.write(jsonOut(rows));
    process.stdout.write(`${textTable(['model', 'variants (default)', 'reference', 'title'], rows.map((r) => [
      r.name,
      r.variants.length ? `${r.variants.join(',')} (${r.defaultVariant})` : Object.entries(r.params).map(([k, v]) => `${k}=${v}`).join(' '),
      r.reference,
      r.title,
    ]), { maxWidth: argv.wide ? undefined : TERMINAL_WIDTH })}\n`);
  });
}
