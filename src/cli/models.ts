import type { Argv } from 'yargs';
import { COMMANDS } from './commands.js';
import { zooEntry, zooNames, type ZooEntry } from '../workload/zoo-index.js';
import { TERMINAL_WIDTH, textTable } from '../report/table.js';
import { jsonOut } from './args.js';
import { jsonOpt, wideOpt } from './flags.js';

/** A model whose header the quick read does not take goes through the schema (and its one-line error). */
async function entry(name: string): Promise<ZooEntry> {
  const quick = zooEntry(name);
  if (quick) return quick;
  const { spec } = (await import('../workload/load.js')).loadModel(name);
  return {
    name: spec.name,
    title: spec.title,
    variants: Object.keys(spec.variants),
    defaultVariant: spec.defaultVariant ?? null,
    params: spec.params,
    reference: `${spec.reference.repo}/${spec.reference.path}`,
  };
}

export function modelsCommand(y: Argv) {
  return y.command(COMMANDS.models.usage, COMMANDS.models.describe, (a) => a
    .option('wide', wideOpt)
    .option('json', jsonOpt)
    .example('$0 models --json', 'every model with its variants, parameters and reference code'), async (argv) => {
    const rows: ZooEntry[] = [];
    for (const n of zooNames()) rows.push(await entry(n));
    if (argv.json) return void process.stdout.write(jsonOut(rows));
    process.stdout.write(`${textTable(['model', 'variants (default)', 'reference', 'title'], rows.map((r) => [
      r.name,
      r.variants.length ? `${r.variants.join(',')} (${r.defaultVariant})` : Object.entries(r.params).map(([k, v]) => `${k}=${v}`).join(' '),
      r.reference,
      r.title,
    ]), { maxWidth: argv.wide ? undefined : TERMINAL_WIDTH })}\n`);
  });
}
