import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { PointSchema, type Point } from '../mapping/schema.js';
import { parseWith } from '../util/files.js';
import { parseCsynthXml, type CsynthReport } from './csynth.js';
import { parseUtilization, type UtilizationReport } from './vivado.js';

export interface FoundReport {
  /** The csynth.xml, relative to the working folder. */
  file: string;
  layout: 'classic' | 'unified' | 'other';
  csynth: CsynthReport;
  /** The emitted project the report belongs to (the folder of its tiling.json). */
  project: string;
  top: string;
  point: Point;
  /** A Vivado utilisation report found in the same project, if any (post-route preferred). */
  vivado?: { file: string; report: UtilizationReport };
}

const rel = (f: string) => path.relative(process.cwd(), f) || f;

function walk(dir: string, out: string[], depth = 0) {
  if (depth > 12) return;
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out, depth + 1);
    else out.push(p);
  }
}

/** The nearest folder above `file` with a tiling.json (an emitted project: classic or Unified layout below it). */
function projectOf(file: string): string | undefined {
  let d = path.dirname(file);
  for (let k = 0; k < 8; k++) {
    if (existsSync(path.join(d, 'tiling.json'))) return d;
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  return undefined;
}

function layoutOf(file: string): FoundReport['layout'] {
  const p = file.split(path.sep).join('/');
  if (/\/solution[^/]*\/syn\/report\/[^/]+$/.test(p)) return 'classic';
  if (/\/hls\/syn\/report\/[^/]+$/.test(p)) return 'unified';
  return 'other';
}

function loadTiling(project: string): { top: string; point: Point } {
  const f = path.join(project, 'tiling.json');
  let j: { schema?: string; top?: string; point?: unknown };
  try {
    j = JSON.parse(readFileSync(f, 'utf8'));
  } catch (e) {
    throw new UserError(`not valid JSON (${(e as Error).message})`, { file: rel(f) });
  }
  if (j.schema !== 'lic-dse/emit@1' || typeof j.top !== 'string') throw new UserError('not a tiling.json lic-dse emitted (schema lic-dse/emit@1 with "top")', { file: rel(f) });
  return { top: j.top, point: parseWith(PointSchema, j.point, `${rel(f)}: point`) };
}

function findUtilization(project: string): FoundReport['vivado'] {
  const files: string[] = [];
  walk(project, files);
  const cands = files.filter((f) => /utilization.*\.rpt$|_utilization_.*\.rpt$/i.test(path.basename(f)));
  // Post-route numbers are the ones a bitstream has; post-synthesis ones come next.
  cands.sort((a, b) => Number(/routed|impl|place/i.test(b)) - Number(/routed|impl|place/i.test(a)) || (a < b ? -1 : 1));
  for (const f of cands) {
    const r = parseUtilization(readFileSync(f, 'utf8'));
    if (r && r.lut !== null && r.ff !== null) return { file: rel(f), report: r };
  }
  return undefined;
}

/**
 * The top-level csynth reports under the given files and folders, each paired with the design point of the
 * project lic-dse emitted it from (its tiling.json). Sub-function reports (<fn>_csynth.xml of other
 * functions) are skipped: only the report whose top is the project's top counts.
 */
export function findReports(inputs: string[]): FoundReport[] {
  const files: string[] = [];
  for (const i of inputs) {
    const abs = path.resolve(i);
    if (!existsSync(abs)) throw new UserError('no such file or folder', { file: i });
    if (statSync(abs).isDirectory()) walk(abs, files);
    else files.push(abs);
  }
  const xml = [...new Set(files)].filter((f) => /(^|_)csynth\.xml$/.test(path.basename(f))).sort();
  const out: FoundReport[] = [];
  const seen = new Set<string>();
  for (const f of xml) {
    const project = projectOf(f);
    if (!project) throw new UserError('no tiling.json in the folders above this report: calibrate needs the project lic-dse emitted (it holds the design point)', { file: rel(f) });
    const { top, point } = loadTiling(project);
    const csynth = parseCsynthXml(readFileSync(f, 'utf8'));
    if (!csynth) throw new UserError('not a Vitis HLS csynth report (no <profile> with AreaEstimates / PerformanceEstimates)', { file: rel(f) });
    const name = path.basename(f);
    if (csynth.top !== null ? csynth.top !== top : name !== `${top}_csynth.xml` && name !== 'csynth.xml') continue;
    // csynth.xml and <top>_csynth.xml of the same run are one report.
    const key = path.dirname(f);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ file: rel(f), layout: layoutOf(f), csynth, project: rel(project), top, point, vivado: findUtilization(project) });
  }
  if (!out.length) throw new UserError(`no csynth report of an emitted project's top function under ${inputs.join(', ')} (looked for *_csynth.xml and csynth.xml)`, { field: 'reports' });
  return out;
}
