import type { Argv } from 'yargs';
import { COMMANDS } from './commands.js';
import { UserError } from '../errors.js';
import { ARCHS, type CapsSpec } from '../mapping/schema.js';
import { basePoint } from '../mapping/base-point.js';
import { contextFor, pointJson, writeAtomic } from '../mapping/load.js';
import { explore } from '../search/explore.js';
import { emittable } from '../emit/ir.js';
import { TERMINAL_WIDTH, textTable } from '../report/table.js';
import { jsonOut, parseParams } from './args.js';
import { emitSummary, emitWithProgress } from './emit-run.js';
import { estimateText } from './estimate-view.js';
import { capsOpt, clockOpt, entropyOpt, jsonOpt, modelOpt, padOpt, paramOpt, platformOpt, precisionOpt, resOpt, variantOpt, wideOpt } from './options.js';
import { checkOutputNumbers } from '../util/finite.js';
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

const DEFAULT_ARCH = 'engine';
const DEFAULT_PATH = 'encode';

export function exploreCommand(y: Argv) {
  return y.command(COMMANDS.explore.usage, COMMANDS.explore.describe, (a) => a
    .option('model', { ...modelOpt(), demandOption: true })
    .option('variant', variantOpt)
    .option('param', paramOpt)
    .option('platform', { ...platformOpt(), demandOption: true })
    .option('precision', precisionOpt)
    .option('res', resOpt)
    .option('pad', padOpt)
    .option('arch', { choices: ARCHS, describe: `template: engine (one shared MAC array, layers in turn), pipeline (one stage per layer), or a baseline: dpu (Vitis AI DPU as the board ships it), gpu (roofline of --gpu) (default: ${DEFAULT_ARCH})` })
    .option('gpu', { type: 'string', describe: 'with --arch gpu: a100, jetson-agx-orin, jetson-orin-nano (default: the board\'s counterpart)' })
    .option('dpu-size', { type: 'string', describe: 'with --arch dpu: B512 … B4096 (default: the board\'s shipped DPU)' })
    .option('dpu-cores', { type: 'number', describe: 'with --arch dpu: number of DPU cores' })
    .option('dpu-gdn', { choices: ['cpu', 'decompose'] as const, describe: 'with --arch dpu: GDN/IGDN as written (a CPU subgraph, default) or decomposed by hand (only sqrt on the CPU)' })
    .option('path', { choices: ['encode', 'decode'] as const, describe: `encode (analysis + hyper-analysis) or decode (synthesis, context model) (default: ${DEFAULT_PATH})` })
    .option('clock', clockOpt)
    .option('caps', capsOpt)
    .option('entropy-rate', entropyOpt)
    .option('save', { type: 'string', describe: 'write the chosen design point (JSON) here, for evaluate / emit / editing' })
    .option('emit', { type: 'string', describe: 'emit a Vitis HLS project for the chosen point into this folder' })
    .option('force', { type: 'boolean', default: false, describe: 'with --emit: replace a folder lic-dse emitted before' })
    .option('calib', { type: 'string', describe: 'LUT/FF models from `lic-dse calibrate --out` in place of the shipped ones' })
    .option('summary', { type: 'boolean', default: false, describe: 'headline, resources and the Pareto front only (no per-layer table)' })
    .option('wide', wideOpt)
    .option('json', jsonOpt)
    .example('$0 explore --model mbt2018-mean --platform zcu102 --arch pipeline --path decode --summary', 'the best 720p int8 decoder pipeline on a ZCU102, headline only')
    .example('$0 explore --model bmshj2018-hyperprior --param N=96 --param M=128 --platform kv260 --save p.json', 'a narrower student on a KV260; keep the design point'), (argv) => {
    const arch = argv.arch ?? DEFAULT_ARCH;
    const path = argv.path ?? DEFAULT_PATH;
    const base = basePoint({
      model: argv.model, variant: argv.variant, params: parseParams(argv.param), platform: argv.platform,
      precision: argv.precision, res: argv.res, pad: argv.pad, arch, path,
      clockMHz: argv.clock, caps: parseCaps(argv.caps), entropySymbolsPerSec: argv['entropy-rate'],
      gpu: argv.gpu, dpuSize: argv['dpu-size'], dpuCores: argv['dpu-cores'], dpuGdn: argv['dpu-gdn'],
    }, 'explore arguments');
    const { workload, platform, tables: shipped } = contextFor(base);
    const tables = argv.calib ? applyCalibration(shipped, loadCalibration(argv.calib)) : shipped;
    // An emit that cannot happen is said before the search, not after it.
    if (argv.emit) emittable(workload, base);
    const r = explore(workload, platform, tables, base);
    checkOutputNumbers({ best: r.best, pareto: r.pareto }, 'explore arguments');
    if (argv.save !== undefined) writeAtomic(argv.save, pointJson(r.point));
    const emitted = argv.emit !== undefined ? emitWithProgress({ point: r.point, estimate: r.best, workload, platform, out: argv.emit, force: argv.force }) : undefined;
    if (argv.json) return void process.stdout.write(jsonOut({ ...r.best, pareto: r.pareto, evaluated: r.evaluated, ...(r.limit ? { limit: r.limit } : {}), ...(emitted ? { emitted: emitSummary(emitted) } : {}) }));
    const defaults = [argv.arch ? '' : `--arch ${arch}`, argv.path ? '' : `--path ${path}`].filter(Boolean);
    if (defaults.length) process.stdout.write(`(defaults: ${defaults.join(', ')}; the other ${defaults.length > 1 ? 'choices are' : 'choice is'} ${[argv.arch ? '' : '--arch pipeline', argv.path ? '' : '--path decode'].filter(Boolean).join(', ')})\n`);
    const maxWidth = argv.wide ? undefined : TERMINAL_WIDTH;
    process.stdout.write(estimateText(r.best, { layers: !argv.summary, maxWidth }));
    if (r.limit) process.stdout.write(`\naccelerator no faster: ${r.limit}\n`);
    process.stdout.write(`\nPareto front (accelerator FPS vs DSP, BRAM18), ${r.evaluated.toLocaleString('en-US')} design points evaluated:\n`);
    process.stdout.write(`${textTable(['FPS', 'DSP', 'BRAM18', 'design'], r.pareto.slice(0, 12).map((p) => [Number(p.fps.toFixed(2)), p.dsp, p.bram18, p.design]), { maxWidth })}\n`);
    if (emitted) process.stdout.write(`wrote ${emitted.files.length} files of the ${emitted.arch} project ${emitted.name} to ${emitted.dir}\n`);
  });
}
