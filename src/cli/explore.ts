import type { Argv } from 'yargs';
import { UserError } from '../errors.js';
import type { CapsSpec } from '../mapping/schema.js';
import { basePoint } from '../mapping/base-point.js';
import { contextFor, pointJson, writeAtomic } from '../mapping/load.js';
import { explore } from '../search/explore.js';
import { emitProject } from '../emit/index.js';
import { textTable } from '../report/table.js';
import { jsonOut, parseParams } from './args.js';
import { estimateText } from './estimate-view.js';
import { applyCalibration, loadCalibration } from '../calibrate/calib-file.js';

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
    .option('emit', { type: 'string', describe: 'emit a Vitis HLS project for the chosen point into this folder' })
    .option('force', { type: 'boolean', default: false, describe: 'with --emit: replace a folder lic-dse emitted before' })
    .option('calib', { type: 'string', describe: 'LUT/FF models from `lic-dse calibrate --out` in place of the shipped ones' })
    .option('json', { type: 'boolean', default: false }), (argv) => {
    const base = basePoint({
      model: argv.model, variant: argv.variant, params: parseParams(argv.param), platform: argv.platform,
      precision: argv.precision, res: argv.res, pad: argv.pad, arch: argv.arch, path: argv.path,
      clockMHz: argv.clock, caps: parseCaps(argv.caps), entropySymbolsPerSec: argv['entropy-rate'],
    }, 'explore arguments');
    const { workload, platform, tables: shipped } = contextFor(base);
    const tables = argv.calib ? applyCalibration(shipped, loadCalibration(argv.calib)) : shipped;
    const r = explore(workload, platform, tables, base);
    if (argv.save) writeAtomic(argv.save, pointJson(r.point));
    const emitted = argv.emit ? emitProject({ point: r.point, estimate: r.best, workload, platform, out: argv.emit, force: argv.force }) : undefined;
    // With --json the JSON stays alone on stdout.
    const note = emitted ? `wrote ${emitted.files.length} files of the ${emitted.arch} project ${emitted.name} to ${emitted.dir}\n` : '';
    if (argv.json) process.stderr.write(note);
    if (argv.json) return void process.stdout.write(jsonOut({ ...r.best, pareto: r.pareto, evaluated: r.evaluated }));
    process.stdout.write(estimateText(r.best));
    process.stdout.write(`\nPareto front (accelerator FPS vs DSP, BRAM18), ${r.evaluated} design points evaluated:\n`);
    process.stdout.write(`${textTable(['FPS', 'DSP', 'BRAM18', 'design'], r.pareto.slice(0, 12).map((p) => [Number(p.fps.toFixed(2)), p.dsp, p.bram18, p.design]))}\n${note}`);
  });
}
