import type { Argv } from 'yargs';
import { COMMANDS } from './commands.js';
import { parsePrecision } from '../platform/precision.js';
import { describeWorkload } from '../workload/describe.js';
import { loadModel } from '../workload/load.js';
import { resolveModel } from '../workload/resolve.js';
import { inferWorkload } from '../workload/shapes.js';
import { TERMINAL_WIDTH, textTable, si, wrapWords } from '../report/table.js';
import { jsonOut, parseParams } from './args.js';
import { parseResString } from '../mapping/load.js';
import { jsonOpt, modelOpt, padOpt, paramOpt, resOpt, variantOpt, wideOpt } from './options.js';
import { checkOutputNumbers } from '../util/finite.js';

export function describeCommand(y: Argv) {
  return y.command(
    COMMANDS.describe.usage,
    COMMANDS.describe.describe,
    (a) => a
      .positional('model', { ...modelOpt(), demandOption: true })
      .option('variant', variantOpt)
      .option('param', paramOpt)
      .option('res', resOpt)
      .option('pad', padOpt)
      .option('precision', { type: 'string', default: 'int8', describe: 'precision of the activation and weight bytes (int8, int16, wXaY, fp16, fp32)' })
      .option('wide', wideOpt)
      .option('json', jsonOpt)
      .example('$0 describe mbt2018 --variant q3 --res 1920x1080', 'layers, MACs and parameters of Minnen 2018 at 1080p')
      .example('$0 describe bmshj2018-hyperprior --param N=96 --param M=128', 'a pruned student'),
    (argv) => {
      const { file, spec } = loadModel(argv.model);
      const resolved = resolveModel(spec, file, { variant: argv.variant, params: parseParams(argv.param) });
      const w = inferWorkload(resolved, parseResString(argv.res), argv.pad);
      const d = describeWorkload(w, parsePrecision(argv.precision));
      checkOutputNumbers(d, argv.model);
      if (argv.json) {
        process.stdout.write(jsonOut(d));
        return;
      }
      const r = d.resolution;
      const ps = Object.entries(d.params).map(([k, v]) => `${k}=${v}`).join(' ');
      const maxWidth = argv.wide ? undefined : TERMINAL_WIDTH;
      const out = [
        `${spec.title}`,
        wrapWords(`model ${d.model}  variant ${d.variant ?? '(custom)'}  ${ps}`, maxWidth),
        `resolution ${r.width}x${r.height}, padded ${r.paddedWidth}x${r.paddedHeight} (${d.padding})  precision ${d.precision}`,
        '',
        textTable(
          ['part', 'name', 'op', 'C_in', 'C_out', 'k', 's', 'in HxW', 'out HxW', 'MACs', 'zero-ins MACs', 'params'],
          d.layers.map((l) => [l.part, l.name, l.op, l.cin, l.cout, l.kernel, l.stride, `${l.inH}x${l.inW}`, `${l.outH}x${l.outW}`, l.macs, l.zeroMacs, l.params]),
          { maxWidth },
        ),
        '',
        textTable(
          ['part / path', 'params', 'MACs', 'GMACs'],
          [
            ...Object.entries(d.totals.parts).map(([k, t]) => [k, t.params, t.macs, si(t.macs)]),
            ['encode path', d.totals.paths.encode.params, d.totals.paths.encode.macs, si(d.totals.paths.encode.macs)],
            ['decode path', d.totals.paths.decode.params, d.totals.paths.decode.macs, si(d.totals.paths.decode.macs)],
            ['all', d.totals.params, d.totals.macs, si(d.totals.macs)],
          ],
          { maxWidth },
        ),
      ];
      process.stdout.write(`${out.join('\n')}\n`);
    },
  );
}
