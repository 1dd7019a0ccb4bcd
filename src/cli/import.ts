import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Argv } from 'yargs';
import { COMMANDS } from './commands.js';
import { jsonOut } from './args.js';
import { jsonOpt } from './options.js';
import { UserError } from '../errors.js';
import { writeAtomic } from '../mapping/load.js';
import { si, textTable } from '../report/table.js';
import { importOnnx } from '../workload/onnx/index.js';
import { resolveModel } from '../workload/resolve.js';
import { inferWorkload, workloadTotals } from '../workload/shapes.js';

export function importCommand(y: Argv) {
  return y.command(
    COMMANDS.import.usage,
    COMMANDS.import.describe,
    (a) => a
      .positional('onnx', { type: 'string', demandOption: true, describe: '.onnx file' })
      .option('out', { type: 'string', demandOption: true, describe: 'model descriptor to write, e.g. models/student.json' })
      .option('name', { type: 'string', describe: 'model id (default: from the file name)' })
      .option('allow-partial', { type: 'boolean', default: false, describe: 'import the supported part and list what was left out' })
      .option('force', { type: 'boolean', default: false, describe: 'replace an existing --out file' })
      .option('json', { ...jsonOpt, describe: 'print what was written (model, parts, layers, MACs, parameters, nodes left out) as JSON' })
      .example('$0 import test/fixtures/onnx/hyperprior.onnx --out models/mine.json', 'a PyTorch-exported hyperprior codec as a model file'),
    (argv) => {
      if (!argv.out.endsWith('.json')) throw new UserError(`"${argv.out}" must end in .json`, { field: 'out' });
      if (existsSync(argv.out) && !argv.force) throw new UserError(`${argv.out} exists (--force replaces it)`, { field: 'out' });
      const r = importOnnx(argv.onnx, { name: argv.name, allowPartial: argv['allow-partial'] });
      const { c, h, w } = r.exported;
      // The counts at the exported resolution, as a check the user can hold against their own.
      const wl = inferWorkload(resolveModel(r.spec, argv.out), { width: w, height: h }, 'same');
      const t = workloadTotals(wl);
      writeAtomic(argv.out, `${JSON.stringify(r.spec, null, 2)}\n`);
      const lines = [
        `wrote ${path.normalize(argv.out)}: model ${r.spec.name}, ${wl.layers.length} layers in ${r.spec.parts.length} part(s) (${r.spec.parts.map((p) => p.name).join(', ')})`,
        `at the exported size 1x${c}x${h}x${w}: ${t.macs} MACs (${si(t.macs)}), ${t.params} parameters; shapes: ${r.shapesFrom.valueInfo} from value_info, ${r.shapesFrom.inferred} inferred`,
      ];
      if (r.leftOut.length) {
        lines.push(`LEFT OUT ${r.leftOut.length} node(s) (--allow-partial):`, textTable(['node', 'op', 'why'], r.leftOut.map((p) => [p.node, p.opType, `${p.reason}${r.bridged.includes(p.node) ? ' (bridged as identity)' : ''}`])));
      }
      if (argv.json) {
        return void process.stdout.write(jsonOut({
          out: path.normalize(argv.out), model: r.spec.name, parts: r.spec.parts.map((p) => p.name), layers: wl.layers.length,
          exported: r.exported, macs: t.macs, params: t.params, shapesFrom: r.shapesFrom, leftOut: r.leftOut,
        }));
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    },
  );
}
