import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import type { Files } from './common.js';

export const EMIT_SCHEMA = 'lic-dse/emit@1';

/** A folder lic-dse emitted: it holds a tiling.json of our schema. */
function isEmitted(dir: string): boolean {
  try {
    const j = JSON.parse(readFileSync(path.join(dir, 'tiling.json'), 'utf8')) as { schema?: unknown };
    return j.schema === EMIT_SCHEMA;
  } catch {
    return false;
  }
}

const inside = (dir: string, p: string) => p.startsWith(dir + path.sep);

/**
 * Write a project atomically: every file into a temporary sibling folder, then one rename into place, so a
 * failure or Ctrl-C never leaves half a project. An existing non-empty folder is replaced only with `force`,
 * and only if lic-dse emitted it (a folder of other files is never deleted). Returns the folder written.
 */
export function writeProject(out: string, files: Files, force: boolean): string {
  const dir = path.resolve(out);
  const rel = path.relative(process.cwd(), dir) || '.';
  for (const f of files.keys()) {
    const abs = path.resolve(dir, f);
    if (!inside(dir, abs) || path.isAbsolute(f) || f.split('/').includes('..')) throw new UserError(`refusing to write ${f} outside ${rel}`, { field: 'out' });
  }
  let replace = false;
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UserError(`${rel} exists and is not a folder`, { field: 'out' });
    if (readdirSync(dir).length > 0) {
      if (!force) throw new UserError(`${rel} is not empty (give --force to replace a project emitted there before)`, { field: 'out' });
      const cwd = process.cwd();
      if (dir === cwd || inside(dir, cwd) || dir === path.parse(dir).root) throw new UserError(`refusing to replace ${rel}: it holds the current folder`, { field: 'out' });
      if (!isEmitted(dir)) throw new UserError(`refusing to replace ${rel}: it is not a project lic-dse emitted (no tiling.json of ${EMIT_SCHEMA}); remove it yourself`, { field: 'out' });
    }
    replace = true;
  }
  const parent = path.dirname(dir);
  mkdirSync(parent, { recursive: true });
  const tmp = path.join(parent, `.${path.basename(dir)}.emit-${process.pid}.tmp`);
  const old = path.join(parent, `.${path.basename(dir)}.emit-${process.pid}.old`);
  rmSync(tmp, { recursive: true, force: true });
  try {
    mkdirSync(tmp);
    for (const f of [...files.keys()].sort()) {
      const abs = path.join(tmp, f);
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, files.get(f)!);
    }
    if (replace) {
      rmSync(old, { recursive: true, force: true });
      renameSync(dir, old);
      try {
        renameSync(tmp, dir);
      } catch (e) {
        renameSync(old, dir);
        throw e;
      }
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, dir);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}
