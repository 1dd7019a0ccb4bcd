import { renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { loadCostTables, loadPlatform } from '../platform/load.js';
import type { Platform } from '../platform/schema.js';
import type { CostTables } from '../platform/tables.js';
import { locate, parseWith, readJson } from '../util/files.js';
import { deepFreeze, fileVersion, Lru } from '../util/memo.js';
import { loadModel } from '../workload/load.js';
import { resolveModel } from '../workload/resolve.js';
import { inferWorkload } from '../workload/shapes.js';
import { LIMITS } from '../workload/limits.js';
import type { Workload } from '../workload/types.js';
import { PointSchema, type Point, type WorkloadRef } from './schema.js';

export function loadPoint(file: string): Point {
  return parseWith(PointSchema, readJson(file), path.relative(process.cwd(), path.resolve(file)) || file);
}

/** The one default resolution of every command and library call: 720p, what the published LIC accelerators report. */
export const DEFAULT_RES = '1280x720';

export function parseResString(res: string, field = 'res', file?: string): { width: number; height: number } {
  const text = String(res).trim();
  const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text);
  const m = /^(\d+)[x×](\d+)$/i.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new UserError(`${shown} is not a resolution (allowed: WIDTHxHEIGHT, e.g. 1280x720)`, { file, field });
  const width = Number(m[1]);
  const height = Number(m[2]);
  if (width > LIMITS.resolution || height > LIMITS.resolution) {
    throw new UserError(`${shown} is too large (allowed: 1 to ${LIMITS.resolution} pixels per side)`, { file, field });
  }
  return { width, height };
}

const workloads = new Lru<string, Workload>(16);

/**
 * The workload a design point refers to (model file → variant → shapes at the resolution). Cached per
 * model file version and reference (frozen: shared by every caller), since a sweep asks for each many times.
 */
export function workloadFor(ref: WorkloadRef): Workload {
  const key = `${fileVersion(locate(ref.model, 'models', 'model'))}|${JSON.stringify([ref.model, ref.variant ?? null, ref.params ?? null, ref.res, ref.pad ?? null])}`;
  return workloads.get(key, () => {
    const { file, spec } = loadModel(ref.model);
    const resolved = resolveModel(spec, file, { variant: ref.variant, params: ref.params });
    return deepFreeze(inferWorkload(resolved, parseResString(ref.res), ref.pad));
  });
}

/** Everything evaluate/explore need for a point, loaded at the edge. */
export function contextFor(point: Point): { workload: Workload; platform: Platform; tables: CostTables } {
  return { workload: workloadFor(point.workload), platform: loadPlatform(point.platform), tables: loadCostTables() };
}

/** Write a file atomically: a temporary sibling, then rename (no half-written file on failure or Ctrl-C). */
export function writeAtomic(file: string, data: string | Buffer) {
  if (!file) throw new UserError('cannot write a file with an empty name');
  const dir = path.dirname(file);
  const kind = (p: string) => { try { return statSync(p); } catch { return undefined; } };
  const d = kind(dir);
  if (!d) throw new UserError(`cannot write: folder ${dir} does not exist`, { file });
  if (!d.isDirectory()) throw new UserError(`cannot write: ${dir} is not a folder`, { file });
  const f = kind(file);
  if (f && !f.isFile()) throw new UserError(`cannot write: it exists and is ${f.isDirectory() ? 'a folder' : 'not a regular file'}`, { file });
  const tmp = path.join(dir, `.${path.basename(file).slice(0, 100)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code) throw new UserError(`cannot write (${code})`, { file });
    throw e;
  }
}

/** A design point as saved by `explore --save`: stable key order, no derived figures. */
export function pointJson(p: Point): string {
  return `${JSON.stringify(p, null, 2)}\n`;
}
