import { COMMANDS } from './commands.js';
import { jsonOpt } from './options.js';
import type { Argv } from 'yargs';
import { UserError } from '../errors.js';
import { writeAtomic } from '../mapping/load.js';
import { loadModel } from '../workload/load.js';
import { resolveModel } from '../workload/resolve.js';
import { inferWorkload, workloadTotals } from '../workload/shapes.js';
import { GDN_VARIANTS, makeStudent, studentFamily, type GdnVariant, type StudentFamily } from '../workload/student.js';
import type { ModelFile } from '../workload/schema.js';
import { jsonOut } from './args.js';

/** "g_a=0.25,h_s/0=0.5" → pruning ratios by part or part/layer. */
export function parsePrune(s: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (!s) return out;
  for (const item of s.split(',')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*(?:\/[^=]+)?)=([0-9.]+)$/.exec(item.trim());
    if (!m) throw new UserError(`"${item}" is not PART=RATIO or PART/LAYER=RATIO (ratio: fraction of channels removed, in [0, 1))`, { field: 'prune' });
    out[m[1]] = Number(m[2]);
  }
  return out;
}

export const list = (s: string | undefined) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined);

/** The student family the shared options describe (student and fit). */
export function familyFrom(argv: { model: string; variant?: string; round: number; prune?: string; gdn: string; 'channel-params'?: string }): StudentFamily {
  const { file, spec } = loadModel(argv.model);
  return studentFamily(spec, file, {
    variant: argv.variant, round: argv.round, prune: parsePrune(argv.prune), gdn: argv.gdn as GdnVariant, channelParams: list(argv['channel-params']),
  });
}

export function studentOptions<T>(a: Argv<T>) {
  return a
    .option('variant', { type: 'string', describe: 'teacher variant whose widths are scaled (default: its default)' })
    .option('round', { type: 'number', default: 8, describe: 'round every channel count to a multiple of this' })
    .option('prune', { type: 'string', describe: 'fractions of channels removed, e.g. g_a=0.25,h_s/0=0.5 (a part: its inner layers)' })
    .option('gdn', { choices: GDN_VARIANTS, default: 'gdn' as const, describe: 'GDN, simplified GDN (|x|, no sqrt: Johnston et al. 2019) or ReLU' })
    .option('channel-params', { type: 'string', describe: 'which parameters are channel widths (default: detected), e.g. N,M' });
}

/** Parameters of a model file's default (only) variant, resolution-free. */
export function modelParams(spec: ModelFile, file: string, variant?: string): number {
  const r = resolveModel(spec, file, { variant });
  return workloadTotals(inferWorkload(r, { width: r.padMultiple * 4, height: r.padMultiple * 4 })).params;
}

export function studentCommand(y: Argv) {
  return y.command(COMMANDS.student.usage, COMMANDS.student.describe, (a) => studentOptions(a)
    .option('model', { type: 'string', demandOption: true, describe: 'zoo name or model .json file (the teacher)' })
    .option('width', { type: 'number', demandOption: true, describe: 'multiplier on every channel width, e.g. 0.5' })
    .option('out', { type: 'string', describe: 'write the student model here (.json)' })
    .option('json', jsonOpt)
    .example('$0 student --model bmshj2018-hyperprior --width 0.5 --round 8 --out models/hyperprior-half.json', 'a half-width hyperprior student as a model file'), (argv) => {
    const fam = familyFrom(argv);
    const s = makeStudent(fam, argv.width);
    if (argv.out && !argv.out.endsWith('.json')) throw new UserError(`--out ${argv.out}: a model file must end in .json`, { field: 'out' });
    if (argv.out) writeAtomic(argv.out, `${JSON.stringify(s.spec, null, 2)}\n`);
    const teacherParams = modelParams(fam.teacher, fam.file, fam.variant);
    const studentParams = modelParams(s.spec, argv.out ?? s.spec.name);
    const widths = Object.fromEntries(fam.channelParams.map((p) => [p, { teacher: fam.base[p], student: s.params[p], unit: fam.units[p] }]));
    if (argv.json) return void process.stdout.write(jsonOut({ name: s.spec.name, width: argv.width, round: fam.round, gdn: fam.gdn, prune: fam.prune, widths, params: { teacher: teacherParams, student: studentParams }, out: argv.out ?? null, ...(argv.out ? {} : { model: s.spec }) }));
    const lines = [
      `${s.spec.name}: ${Object.entries(widths).map(([k, v]) => `${k} ${v.teacher} → ${v.student} (unit ${v.unit})`).join(', ') || 'no channel parameter'}`,
      `parameters ${studentParams.toLocaleString('en-US')} (${((100 * studentParams) / teacherParams).toFixed(1)}% of ${teacherParams.toLocaleString('en-US')})${fam.gdn !== 'gdn' ? `, GDN → ${fam.gdn}` : ''}`,
      argv.out ? `wrote ${argv.out} (use it as --model ${argv.out})` : 'not written (give --out FILE.json)',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  });
}
