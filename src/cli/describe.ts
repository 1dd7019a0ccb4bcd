import type { Argv } from 'yargs';
import { parsePrecision } from '../platform/precision.js';
import { describeWorkload } from '../workload/describe.js';
import { loadModel } from '../workload/load.js';
import { resolveModel } from '../workload/resolve.js';
import { inferWorkload } from '../workload/shapes.js';
import { textTable, si } from '../report/table.js';
import { jsonOut, parseParams } from './args.js';
import { parseResString } from '../mapping/load.js';
import { checkOutputNumbers } from '../util/finite.js';

export function describeCommand(y: Argv) {
  return y.command(
    'describe <model>',
    'per-layer shapes, MACs and parameters of a model at a resolution',
    (a) => a
      .positional('model', { type: 'string', demandOption: true, describe: 'zoo name or model .json file' })
      .option('variant', { type: 'string', describe: 'variant, e.g. q3' })
      .option('param', { type: 'string', array: true, describe: 'override a parameter, e.g. N=96' })
      .option('res', { type: 'string', default: '768x512', describe: 'WIDTHxHEIGHT' })
      .option('pad', { choices: ['stride', 'same'] as const, default: 'stride' as const, describe: 'pad to a multiple of the total stride, or ceil per strided layer' })
      .option('precision', { type: 'string', default: 'int8', describe: 'for activation and weight bytes' })
      .option('json', { type: 'boolean', default: false }),
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
      const out = [
        `${spec.title}`,
        `model ${d.model}  variant ${d.variant ?? '(custom)'}  ${ps}`,
        `resolution ${r.width}x${r.height}, padded ${r.paddedWidth}x${r.paddedHeight} (${d.padding})  precision ${d.precision}`,
        '',
        textTable(
          ['part', 'name', 'op', 'C_in', 'C_out', 'k', 's', 'in HxW', 'out HxW', 'MACs', 'zero-ins MACs', 'params'],
          d.layers.map((l) => [l.part, l.name, l.op, l.cin, l.cout, l.kernel, l.stride, `${l.inH}x${l.inW}`, `${l.outH}x${l.outW}`, l.macs, l.zeroMacs, l.params]),
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
        ),
      ];
      process.stdout.write(`${out.join('\n')}\n`);
    },
  );
}
