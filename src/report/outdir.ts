import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';

/**
 * A report is written into a hidden staging directory beside its destination and renamed into place
 * at the end, replacing the previous report: an interrupted or failed run leaves the previous report
 * as it was and no half-written file.
 */

/** True for a directory a sweep or merge wrote (it has a lic-dse sweep.json). */
export function isReportDir(dir: string): boolean {
  try {
    const doc = JSON.parse(readFileSync(path.join(dir, 'sweep.json'), 'utf8')) as { schema?: unknown };
    return doc.schema === 'lic-dse/sweep@1';
  } catch {
    return false;
  }
}

/** Check the destination (absent, empty, or a previous report) and create the staging directory. */
export function startStaging(out: string): string {
  const abs = path.resolve(out);
  if (existsSync(abs)) {
    if (!statSync(abs).isDirectory()) throw new UserError(`${out} exists and is not a directory`, { field: 'out' });
    if (readdirSync(abs).length && !isReportDir(abs)) {
      throw new UserError(`${out} exists and is not a lic-dse report (no sweep.json); choose another --out or remove it`, { field: 'out' });
    }
  }
  mkdirSync(path.dirname(abs), { recursive: true });
  const staging = path.join(path.dirname(abs), `.${path.basename(abs)}.staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  return staging;
}

/** Move the finished report into place (the previous one, if any, is removed). */
export function commitStaging(staging: string, out: string): void {
  const abs = path.resolve(out);
  if (existsSync(abs)) {
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
