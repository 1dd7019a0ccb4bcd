import { COMMANDS } from './commands.js';
import { jsonOpt, resOpt } from './options.js';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Argv } from 'yargs';
import { UserError } from '../errors.js';
import { parseResString, pointJson, writeAtomic } from '../mapping/load.js';
import { loadCostTables, loadPlatform } from '../platform/load.js';
import { renderPng } from '../report/charts.js';
import { csvLines } from '../report/csv.js';
import { fitCell, fitTableMarkdown } from '../report/fit-table.js';
import { widthCurveSpec } from '../report/width-chart.js';
import { fit, type Arch, type FitRequest, type FitResult, type Path } from '../search/fit.js';
import { PLAN_SHAPES, byPreference, planTemplates, type PlanShape } from '../search/precision-plan.js';
import { parseWidthRange, widthCurve, type WidthCurveRow } from '../search/width-curve.js';
import { zooNames } from '../workload/load.js';
import { parseCaps } from './explore.js';
import { jsonOut } from './args.js';
import { familyFrom, list, studentOptions } from './student.js';

const progress = (msg: string) => {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${msg}`);
};
const done = () => {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
};

interface FitArgs {
  model?: string; variant?: string; round: number; prune?: string; gdn: string; 'channel-params'?: string;
  platform: string; res: string; fps: number; path: string; arch: string; precisions: string; plan: string;
  'max-bits'?: number; 'min-width': number; exact?: boolean; 'max-width': number; clock?: number; caps?: string; 'entropy-rate'?: number;
}

function requestFor(argv: FitArgs, model: string, board: string): FitRequest {
  const shapes = list(argv.plan) ?? [];
  for (const s of shapes) if (!PLAN_SHAPES.includes(s as PlanShape)) throw new UserError(`plan shape "${s}" (allowed: ${PLAN_SHAPES.join(', ')})`, { field: 'plan' });
  // Preference: most bits first (the most accurate plan that still meets the target).
  const plans = byPreference(planTemplates(list(argv.precisions) ?? ['int8'], shapes as PlanShape[]));
  return {
    family: familyFrom({ ...argv, model }),
    modelRef: model,
    platform: loadPlatform(board),
    tables: loadCostTables(),
    res: parseResString(argv.res),
    fps: argv.fps,
    paths: argv.path === 'both' ? ['encode', 'decode'] : [argv.path as Path],
    archs: argv.arch === 'best' ? ['engine', 'pipeline'] : [argv.arch as Arch],
    plans,
    maxBits: argv['max-bits'],
    minWidth: argv['min-width'],
    exact: argv.exact,
    maxWidth: argv['max-width'],
    clockMHz: argv.clock,
    caps: parseCaps(argv.caps),
    entropySymbolsPerSec: argv['entropy-rate'],
    progress,
  };
}

/** What --json prints of a fit: no estimates' layer tables, the design points kept. */
function fitJson(r: FitResult, req: FitRequest) {
  const rung = (x: FitResult['student']) => x && {
    width: { from: x.rung.from, to: x.rung.to }, params: Object.fromEntries(req.family.channelParams.map((k) => [k, x.rung.params[k]])),
    meets: x.meets, fps: x.fps, plan: x.plan, macs: x.macs, weights: x.params,
    paths: x.paths.map((p) => ({ path: p.path, arch: p.arch ?? null, fps: p.fps, by: p.by, bottleneck: p.bottleneck, dsp: p.dsp ?? null, bram18: p.bram18 ?? null, plan: { name: p.plan.template, precision: p.plan.precision, layerPrecision: p.plan.layerPrecision, weightBits: p.plan.weightBits, actBits: p.plan.actBits, bits: p.plan.bits }, point: p.point ?? null })),
  };
  return {
    model: req.family.teacher.name, platform: req.platform.name, target: r.target, met: r.met, statement: r.statement,
    student: rung(r.student) ?? null, nextWider: rung(r.nextWider) ?? null, narrowest: rung(r.narrowest) ?? null,
    teacher: r.teacher, ratio: r.ratio ?? null, rungs: r.rungs, search: r.search, explored: r.explored,
  };
}

const CSV_COLUMNS: (keyof WidthCurveRow)[] = ['board', 'path', 'plan', 'width', 'widths', 'params', 'macs', 'arch', 'fps', 'meets', 'dsp', 'dspAvailable', 'bram18', 'bram18Available', 'bits', 'bottleneck'];
const cell = (v: unknown) => (typeof v === 'number' ? String(Number(v.toPrecision(6))) : String(v));

async function sweepWidth(argv: FitArgs & { out?: string }, range: string) {
  const out = argv.out ?? 'reports/width';
  const widths = parseWidthRange(range);
  const boards = list(argv.platform)!;
  const model = argv.model!;
  const rows: WidthCurveRow[] = [];
  const perBoard = boards.map((b) => {
    const req = requestFor(argv, model, b);
    const rs = widthCurve(req, widths);
    rows.push(...rs);
    return { board: b, rows: rs, req };
  });
  done();
  const pngs = await Promise.all(perBoard.map((x) => renderPng(widthCurveSpec(x.board, model, x.rows, argv.fps))));
  mkdirSync(out, { recursive: true });
  const name = path.basename(model, '.json');
  writeAtomic(path.join(out, `${name}-width.csv`), csvLines([CSV_COLUMNS as string[], ...rows.map((r) => CSV_COLUMNS.map((k) => cell(r[k])))]));
  perBoard.forEach((x, i) => writeAtomic(path.join(out, `${name}-width-${x.board}.png`), pngs[i]));
  for (const x of perBoard) {
    for (const key of [...new Set(x.rows.map((r) => `${r.path} ${r.plan}`))]) {
      const rs = x.rows.filter((r) => `${r.path} ${r.plan}` === key);
      const last = [...rs].reverse().find((r) => r.meets);
      process.stdout.write(`${x.board} ${key}: ${last ? `real time (${argv.fps} FPS) up to width ${last.width} (${last.widths}, ${last.fps.toFixed(1)} FPS)` : `not real time at any width of the grid (best ${Math.max(...rs.map((r) => r.fps)).toFixed(2)} FPS)`}\n`);
    }
  }
  process.stdout.write(`wrote ${path.join(out, `${name}-width.csv`)} and ${perBoard.length} PNG(s) to ${out}\n`);
}

function table(argv: FitArgs) {
  const models = list(argv.model) ?? zooNames();
  const boards = list(argv.platform)!;
  const paths: Path[] = argv.path === 'both' ? ['encode', 'decode'] : [argv.path as Path];
  const columns = boards.flatMap((b) => paths.map((p) => `${b} ${p}`));
  const cells = new Map<string, string>();
  for (const m of models) {
    for (const b of boards) {
      for (const p of paths) {
        const req = requestFor({ ...argv, path: p }, m, b);
        progress(`${m} on ${b} ${p}`);
        cells.set(`${m}|${b} ${p}`, fitCell(fit({ ...req, progress: (s) => progress(`${m} on ${b} ${p}: ${s}`) }), req.family.channelParams));
      }
    }
  }
  done();
  const plans = planTemplates(list(argv.precisions) ?? ['int8'], list(argv.plan) as PlanShape[]).map((t) => t.name).join(', ');
  process.stdout.write(fitTableMarkdown(`Widest student reaching ${argv.fps} FPS at ${argv.res}, plan ${plans}, round ${argv.round}, widths ${argv['min-width']}–${argv['max-width']}`, models, columns, cells));
}

export function fitCommand(y: Argv) {
  return y.command(COMMANDS.fit.usage, COMMANDS.fit.describe, (a) => studentOptions(a)
    .option('model', { type: 'string', describe: 'zoo name or model .json file (with --table: a comma list, default every zoo model)' })
    .option('platform', { type: 'string', demandOption: true, describe: 'board (with --sweep-width / --table: a comma list)' })
    .option('res', resOpt)
    .option('fps', { type: 'number', demandOption: true, describe: 'target frames per second, end to end' })
    .option('path', { choices: ['encode', 'decode', 'both'] as const, default: 'encode' as const, describe: 'the path that must reach the rate: encode, decode, or both' })
    .option('arch', { choices: ['engine', 'pipeline', 'best'] as const, default: 'best' as const, describe: 'template of each probed student: engine, pipeline, or the better of the two' })
    .option('precisions', { type: 'string', default: 'int8', describe: 'allowed precisions, e.g. int8,int16 or w4a8,int8,int16' })
    .option('plan', { type: 'string', default: PLAN_SHAPES.join(','), describe: 'plan shapes: uniform, ends (wider first/last layers), sensitive (ends and GDNs)' })
    .option('max-bits', { type: 'number', describe: 'cap on a plan\'s MAC-weighted mean bits ((weight+activation)/2)' })
    .option('min-width', { type: 'number', default: 0.25, describe: 'narrowest width multiplier to consider' })
    .option('exact', { type: 'boolean', default: false, describe: 'also explore every wider student the FPS upper bound leaves possible (widest overall even where FPS dips with width)' })
    .option('max-width', { type: 'number', default: 1, describe: 'widest width multiplier to consider (1: the teacher)' })
    .option('clock', { type: 'number', describe: 'MHz (default: the board\'s typical kernel clock)' })
    .option('caps', { type: 'string', describe: 'e.g. dsp=0.8,bram18=0.8' })
    .option('entropy-rate', { type: 'number', describe: 'entropy coder symbols/s (default: the board\'s CPU)' })
    .option('save', { type: 'string', describe: 'folder: write the chosen student (.json) and its design point(s)' })
    .option('sweep-width', { type: 'string', describe: 'FROM:TO:STEP: write the width → FPS / DSP / BRAM curve (CSV + a PNG per board) instead' })
    .option('out', { type: 'string', describe: 'folder for --sweep-width (default reports/width)' })
    .option('table', { type: 'boolean', default: false, describe: 'markdown table: every model × board × path' })
    .option('json', jsonOpt)
    .example('$0 fit --model mbt2018-mean --platform kv260 --fps 30 --path both', 'the widest mbt2018-mean student that encodes and decodes 720p at 30 FPS on a KV260')
    .example('$0 fit --model balle2017 --platform zcu102,kv260 --fps 30 --sweep-width 0.25:1:0.05 --out reports/width', 'the width → FPS curve on two boards'), async (argv) => {
    const args = argv as unknown as FitArgs & { out?: string };
    if (argv.table) return table(args);
    if (!argv.model) throw new UserError('give --model (or --table)', { field: 'model' });
    if (argv['sweep-width']) return sweepWidth(args, argv['sweep-width']);
    const boards = list(argv.platform)!;
    if (boards.length !== 1) throw new UserError('fit takes one --platform (a list only with --sweep-width or --table)', { field: 'platform' });
    const req = requestFor(args, argv.model, boards[0]);
    if (argv.save) req.modelRef = path.join(argv.save, `${req.family.teacher.name}-student.json`);
    const r = fit(req);
    done();
    if (argv.save && r.student) {
      mkdirSync(argv.save, { recursive: true });
      writeAtomic(req.modelRef, `${JSON.stringify(r.student.rung.spec, null, 2)}\n`);
      for (const p of r.student.paths) if (p.point) writeAtomic(path.join(argv.save, `${req.family.teacher.name}-student-${p.path}.point.json`), pointJson(p.point));
    }
    if (argv.json) return void process.stdout.write(jsonOut(fitJson(r, req)));
    const lines = [r.statement];
    const show = r.student ?? r.narrowest!;
    for (const p of show.paths) {
      const hi = Object.entries(p.plan.layerPrecision).map(([k, v]) => `${k}=${v}`).join(', ');
      lines.push(`  ${p.path}: ${p.arch ?? '-'} ${p.fps.toFixed(2)} FPS, DSP ${p.dsp ?? '-'}, BRAM18 ${p.bram18 ?? '-'}; plan ${p.plan.template}: ${p.plan.precision}${hi ? ` with ${hi}` : ''}; MAC-weighted ${p.plan.weightBits.toFixed(2)}-bit weights, ${p.plan.actBits.toFixed(2)}-bit activations; bottleneck ${p.bottleneck}`);
    }
    lines.push(`  ${r.rungs} distinct students between widths ${argv['min-width']} and ${argv['max-width']}; ${r.search}, ${r.explored} design searches`);
    if (argv.save && r.student) lines.push(`  wrote ${req.modelRef} and its design point(s) to ${argv.save}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  });
}
