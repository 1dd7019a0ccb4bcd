import type { Argv } from 'yargs';
import { UserError } from '../errors.js';
import { PointSchema, type CapsSpec, type Point } from '../mapping/schema.js';
import { contextFor, pointJson, writeAtomic } from '../mapping/load.js';
import { parsePrecision } from '../platform/precision.js';
import { explore } from '../search/explore.js';
import { parseWith } from '../util/files.js';
import { textTable } from '../report/table.js';
import { jsonOut, parseParams } from './args.js';
import { estimateText } from './estimate-view.js';

/** "dsp=0.8,bram18=0.7" → caps. */
export function parseCaps(s: string | undefined): CapsSpec {
  if (!s) return {};
  const out: Record<string, number> = {};
  for (const part of s.split(',')) {
    const m = /^(dsp|bram18|bram|uram|lut|ff)=([0-9.]+)$/.exec(part.trim());
    if (!m || !(Number(m[2]) > 0 && Number(m[2]) <= 1)) throw new UserError(`"${part}" is not RESOURCE=FRACTION (resources: dsp, bram18, uram, lut, ff; fraction in (0, 1])`, { field: 'caps' });
    out[m[1] === 'bram' ? 'bram18' : m[1]] = Number(m[2]);
  }
  return out;
}

export function exploreCommand(y: Argv) {
  return y.command('explore', 'search the best engine or pipeline design for a model on a board', (a) => a
    .option('model', { type: 'string', demandOption: true })
    .option('variant', { type: 'string' })
    .option('param', { type: 'string', array: true })
    .option('platform', { type: 'string', demandOption: true })
    .option('precision', { type: 'string', default: 'int8' })
    .option('res', { type: 'string', default: '1280x720' })
    .option('pad', { choices: ['stride', 'same'] as const, default: 'stride' as const })
    .option('arch', { choices: ['engine', 'pipeline'] as const, default: 'engine' as const })
    .option('path', { choices: ['encode', 'decode'] as const, default: 'encode' as const })
    .option('clock', { type: 'number', describe: 'MHz (default: the board\'s typical kernel clock)' })
    .option('caps', { type: 'string', describe: 'e.g. dsp=0.8,bram18=0.8,lut=0.7' })
    .option('entropy-rate', { type: 'number', describe: 'entropy coder symbols/s (default: the board\'s CPU)' })
    .option('save', { type: 'string', describe: 'write the chosen design point here' })
    .option('json', { type: 'boolean', default: false }), (argv) => {
    parsePrecision(argv.precision);
    const params = parseParams(argv.param);
    const draft = {
      schema: 'lic-dse/point@1',
      workload: { model: argv.model, ...(argv.variant ? { variant: argv.variant } : {}), ...(Object.keys(params).length ? { params } : {}), res: argv.res, pad: argv.pad, path: argv.path },
      platform: argv.platform,
      clockMHz: argv.clock ?? 0,
      precision: argv.precision,
      caps: parseCaps(argv.caps),
      ...(argv['entropy-rate'] ? { entropySymbolsPerSec: argv['entropy-rate'] } : {}),
      arch: argv.arch,
      [argv.arch]: argv.arch === 'engine'
        ? { pif: 1, pof: 1, tif: 1, tof: 1, inBufDepth: 1, outBufDepth: 1, wBufDepth: 1 }
        : { layers: {} },
    };
    // The board's typical clock unless given; the engine/pipeline section is the search's to fill.
    const { platform } = contextFor({ ...(parseWith(PointSchema, { ...draft, clockMHz: 1 }, 'explore arguments')) });
    if (!argv.clock) draft.clockMHz = platform.spec.clock.typicalMHz;
    const base: Point = parseWith(PointSchema, draft, 'explore arguments');
    const { workload, tables } = contextFor(base);
    const r = explore(workload, platform, tables, base);
    if (argv.save) writeAtomic(argv.save, pointJson(r.point));
    if (argv.json) return void process.stdout.write(jsonOut({ ...r.best, pareto: r.pareto, evaluated: r.evaluated }));
    process.stdout.write(estimateText(r.best));
    process.stdout.write(`\nPareto front (accelerator FPS vs DSP, BRAM18), ${r.evaluated} design points evaluated:\n`);
    process.stdout.write(`${textTable(['FPS', 'DSP', 'BRAM18', 'design'], r.pareto.slice(0, 12).map((p) => [Number(p.fps.toFixed(2)), p.dsp, p.bram18, p.design]))}\n`);
  });
}
