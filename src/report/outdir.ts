import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';

/**
 * A report is written into a hidden staging directory beside its destination and renamed into place
 * at the end, replacing the previous report: an interrupted or failed run leaves the previous report
 * as it was and no half-written file.
 *
 * Only a folder lic-dse wrote is ever replaced. It is recognised by a marker only a report has
 * (REPORT_MARKER, listing every file of the report), never by a sweep.json, which a user's own sweep
 * config also is; a folder holding anything the marker does not list is refused, so nothing a user put
 * there is deleted.
 */
export const REPORT_MARKER = 'lic-dse-report.json';
export const REPORT_SCHEMA = 'lic-dse/report@1';

/** Every file under dir, relative, '/'-separated, sorted; folders end in '/'. Symlinks are listed, not followed. */
function listTree(dir: string, base = dir, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    const rel = path.relative(base, p).split(path.sep).join('/');
    const st = lstatSync(p);
    if (st.isDirectory()) {
      out.push(`${rel}/`);
      listTree(p, base, out);
    } else out.push(rel);
  }
  return out;
}

/** Reports written before the marker existed: only the files a report has, and a points.csv in its format. */
const LEGACY_TOP = new Set(['points.csv', 'layers.csv', 'pareto.csv', 'sweep.json', 'index.html', 'charts/']);
function isLegacyReport(dir: string, files: string[]): boolean {
  const ok = files.every((f) => LEGACY_TOP.has(f) || (f.startsWith('charts/') && (f.endsWith('/') || f.endsWith('.png'))));
  if (!ok || !files.includes('points.csv') || !files.includes('sweep.json')) return false;
  try {
    const doc = JSON.parse(readFileSync(path.join(dir, 'sweep.json'), 'utf8')) as { schema?: unknown };
    const head = readFileSync(path.join(dir, 'points.csv'), 'utf8').slice(0, 200);
    return doc.schema === 'lic-dse/sweep@1' && /^job,/.test(head);
  } catch {
    return false;
  }
}

/** Why dir may not be replaced, or undefined when it is a report lic-dse wrote and nothing else is in it. */
function notAReport(dir: string): string | undefined {
  const files = listTree(dir);
  if (!files.length) return undefined;
  if (!files.includes(REPORT_MARKER)) {
    return isLegacyReport(dir, files) ? undefined : `is not a lic-dse report (no ${REPORT_MARKER})`;
  }
  let listed: string[];
  try {
    const doc = JSON.parse(readFileSync(path.join(dir, REPORT_MARKER), 'utf8')) as { schema?: unknown; files?: unknown };
    if (doc.schema !== REPORT_SCHEMA || !Array.isArray(doc.files)) return `has a ${REPORT_MARKER} that lic-dse did not write`;
    listed = doc.files.map(String);
  } catch {
    return `has a ${REPORT_MARKER} that lic-dse did not write`;
  }
  const foreign = files.filter((f) => f !== REPORT_MARKER && !listed.includes(f));
  if (foreign.length) return `holds files lic-dse did not write (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''})`;
  return undefined;
}

/** True for a directory a sweep or merge wrote and nobody added to. */
export function isReportDir(dir: string): boolean {
  try {
    return statSync(dir).isDirectory() && readdirSync(dir).length > 0 && notAReport(dir) === undefined;
  } catch {
    return false;
  }
}

function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Staging and old folders of this destination left by a run that was killed (SIGKILL, power loss). */
export function removeStaleStaging(out: string): string[] {
  const abs = path.resolve(out);
  const parent = path.dirname(abs);
  const base = path.basename(abs);
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return removed;
  }
  for (const n of names) {
    if (!n.startsWith(`.${base}.`)) continue;
    const m = /^\.(staging|old)-(\d+)$/.exec(n.slice(base.length + 1));
    if (!m || pidAlive(Number(m[2]))) continue;
    rmSync(path.join(parent, n), { recursive: true, force: true });
    removed.push(n);
  }
  return removed;
}

/** Check the destination (absent, empty, or a previous report) and create the staging directory. */
export function startStaging(out: string): string {
  if (typeof out !== 'string' || !out.trim()) throw new UserError('an empty report directory (give a folder, e.g. reports/demo)', { field: 'out' });
  const abs = path.resolve(out);
  const cwd = process.cwd();
  if (abs === path.parse(abs).root || abs === cwd || cwd.startsWith(abs + path.sep)) {
    throw new UserError(`${out} holds the current folder; give a folder of its own for the report`, { field: 'out' });
  }
  if (existsSync(abs)) {
    if (!statSync(abs).isDirectory()) throw new UserError(`${out} exists and is not a directory`, { field: 'out' });
    const why = notAReport(abs);
    if (why) throw new UserError(`${out} exists and ${why}; choose another --out or remove it`, { field: 'out' });
  }
  mkdirSync(path.dirname(abs), { recursive: true });
  removeStaleStaging(abs);
  const staging = path.join(path.dirname(abs), `.${path.basename(abs)}.staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  return staging;
}

/** Move the finished report into place (the previous one, if any, is removed). */
export function commitStaging(staging: string, out: string): void {
  const files = listTree(staging).filter((f) => f !== REPORT_MARKER);
  writeFileSync(path.join(staging, REPORT_MARKER), `${JSON.stringify({ schema: REPORT_SCHEMA, note: 'written by lic-dse; the next sweep or merge to this folder replaces it, unless it holds other files', files }, null, 2)}\n`);
  const abs = path.resolve(out);
  if (existsSync(abs)) {
    // Checked again: something may have been added while the sweep ran.
    const why = notAReport(abs);
    if (why) throw new UserError(`${out} ${why}; the new report is not written`, { field: 'out' });
    const old = path.join(path.dirname(abs), `.${path.basename(abs)}.old-${process.pid}`);
    renameSync(abs, old);
    renameSync(staging, abs);
    rmSync(old, { recursive: true, force: true });
  } else {
    renameSync(staging, abs);
  }
}

export function discardStaging(staging: string): void {
  rmSync(staging, { recursive: true, force: true });
}
