import { z } from 'zod';
import { UserError } from '../errors.js';
import { ARCHS, CapsSchema, type Arch, type CapsSpec } from '../mapping/schema.js';
import { parseResString } from '../mapping/load.js';
import { loadPlatform, platformNames } from '../platform/load.js';
import { parsePrecision } from '../platform/precision.js';
import { parseWith, readJson } from '../util/files.js';
import { inRange, RANGES } from '../util/range.js';
import { loadModel, zooNames } from '../workload/load.js';
import { variantScope } from '../workload/resolve.js';
import { gpuFor } from '../mapping/baseline-point.js';

/**
 * A sweep file (`lic-dse sweep --config sweep.json`): lists whose cross product is explored, one
 * `explore` per combination. The zod schema is the single source of truth of the format.
 *
 * ```json
 * { "schema": "lic-dse/sweep@1", "models": "all", "platforms": ["zcu102", "kv260"],
 *   "precisions": ["int8"], "res": ["1280x720"], "arch": ["engine", "pipeline"], "path": ["encode"] }
 * ```
 * A model entry is a zoo name or a model file ("mbt2018"), a name with a variant ("mbt2018@q1"), or an
 * object `{ "model": "mbt2018", "variants": ["q1", "q3"], "params": { "N": 96 } }`.
 */
export const SWEEP_SCHEMA = 'lic-dse/sweep@1';

const ModelEntrySchema = z.union([
  z.string().min(1),
  z.object({
    model: z.string().min(1),
    variant: z.string().min(1).optional(),
    variants: z.array(z.string().min(1)).min(1).optional(),
    params: z.record(z.string(), inRange(0, Number.MAX_SAFE_INTEGER, { minExclusive: true })).optional(),
  }).strict(),
]);
export type ModelEntry = z.infer<typeof ModelEntrySchema>;

const RES_RE = /^(\d+)x(\d+)$/;
const nonEmptyUnique = <T extends z.ZodTypeAny>(item: T) => z.array(item).min(1, 'give at least one value')
  .refine((a) => new Set(a.map((x) => JSON.stringify(x))).size === a.length, { message: 'values repeat' });

/** The default sweep (what `npm run demo` runs): every zoo model (default variant) on zcu102, kv260 and u50,
 * int8 and int16, 1280x720 and 1920x1080, both templates, encode and decode. */
export const DEFAULT_LISTS = {
  models: 'all' as const,
  platforms: ['zcu102', 'kv260', 'u50'],
  precisions: ['int8', 'int16'],
  res: ['1280x720', '1920x1080'],
  arch: ['engine', 'pipeline'] as Arch[],
  path: ['encode', 'decode'] as ('encode' | 'decode')[],
};

export const SweepFileSchema = z.object({
  schema: z.literal(SWEEP_SCHEMA).default(SWEEP_SCHEMA),
  /** Zoo names / model files / "name@variant" / {model, variants, params}, or "all" for every zoo model (default variant). */
  models: z.union([z.literal('all'), nonEmptyUnique(ModelEntrySchema)]).default(DEFAULT_LISTS.models),
  /** Built-in board names or board files, or "all". */
  platforms: z.union([z.literal('all'), nonEmptyUnique(z.string().min(1))]).default(DEFAULT_LISTS.platforms),
  precisions: nonEmptyUnique(z.string().min(2)).default(DEFAULT_LISTS.precisions),
  res: nonEmptyUnique(z.string().regex(RES_RE, 'WIDTHxHEIGHT, e.g. 1280x720')).default(DEFAULT_LISTS.res),
  /** engine and pipeline are searched; dpu (Vitis AI DPU as the board ships it) and gpu (the board's GPU counterpart, or `gpu`) are baselines. */
  arch: nonEmptyUnique(z.enum(ARCHS)).default(DEFAULT_LISTS.arch),
  /** The GPU of every "gpu" job; default: each board's counterpart (platforms/baselines/gpus.json). */
  gpu: z.string().min(1).optional(),
  path: nonEmptyUnique(z.enum(['encode', 'decode'])).default(DEFAULT_LISTS.path),
  pad: z.enum(['stride', 'same']).default('stride'),
  /** MHz for every board; default: each board's typical kernel clock. */
  clockMHz: inRange(...RANGES.clockMHz).optional(),
  caps: CapsSchema.default({}),
  entropySymbolsPerSec: inRange(...RANGES.entropySymbolsPerSec).optional(),
  /** Written by `sweep --shard k/n` into a shard's sweep.json; ignored on input. */
  shard: z.string().optional(),
}).strict();
export type SweepFile = z.input<typeof SweepFileSchema>;

/** One model of a resolved sweep: a concrete variant (or none) and parameter overrides. */
export interface SweepModel {
  model: string;
  variant?: string;
  params?: Record<string, number>;
}

/** A sweep with every default filled in and every name checked; what sweep.json records. */
export interface ResolvedSweep {
  schema: typeof SWEEP_SCHEMA;
  models: SweepModel[];
  platforms: string[];
  precisions: string[];
  res: string[];
  arch: Arch[];
  gpu?: string;
  path: ('encode' | 'decode')[];
  pad: 'stride' | 'same';
  clockMHz?: number;
  caps: CapsSpec;
  entropySymbolsPerSec?: number;
}

function expandModels(models: z.infer<typeof SweepFileSchema>['models'], where: string): SweepModel[] {
  const entries: ModelEntry[] = models === 'all' ? zooNames() : models;
  const out: SweepModel[] = [];
  entries.forEach((e, i) => {
    const field = `models[${i}]`;
    let name: string;
    let variants: (string | undefined)[];
    let params: Record<string, number> | undefined;
    if (typeof e === 'string') {
      const at = e.lastIndexOf('@');
      name = at > 0 ? e.slice(0, at) : e;
      variants = [at > 0 ? e.slice(at + 1) : undefined];
    } else {
      if (e.variant && e.variants) throw new UserError('give "variant" or "variants", not both', { file: where, field });
      name = e.model;
      variants = e.variants ?? [e.variant];
      params = e.params && Object.keys(e.params).length ? e.params : undefined;
    }
    const { file, spec } = loadModel(name);
    for (const v of variants) {
      // The variant the model resolves to (its default when none is given), checked now rather than mid-sweep.
      const { variant } = variantScope(spec, file, { variant: v, params });
      out.push({ model: name, ...(variant !== undefined ? { variant } : {}), ...(params ? { params } : {}) });
    }
  });
  const keys = out.map((m) => JSON.stringify(m));
  const dup = keys.find((k, i) => keys.indexOf(k) !== i);
  if (dup) throw new UserError(`model ${dup} appears twice`, { file: where, field: 'models' });
  return out;
}

/**
 * Validate a sweep file and fill in its defaults: "all" expanded, each model's default variant named,
 * every model, board and precision loaded once, so that a bad sweep fails before any work starts.
 */
export function resolveSweep(data: unknown, where = 'sweep'): ResolvedSweep {
  const f = parseWith(SweepFileSchema, data, where);
  const models = expandModels(f.models, where);
  const platforms = f.platforms === 'all' ? platformNames() : f.platforms;
  for (const p of platforms) loadPlatform(p);
  for (const [i, p] of f.precisions.entries()) parsePrecision(p, `precisions[${i}]`);
  for (const [i, r] of f.res.entries()) parseResString(r, `res[${i}]`, where);
  if (f.arch.includes('gpu')) for (const p of platforms) gpuFor(p, f.gpu);
  if (f.clockMHz !== undefined) {
    for (const p of platforms) {
      const max = loadPlatform(p).spec.clock.maxMHz;
      if (f.clockMHz > max) throw new UserError(`clock ${f.clockMHz} MHz is above the board's limit of ${max} MHz (${p})`, { file: where, field: 'clockMHz' });
    }
  }
  return {
    schema: SWEEP_SCHEMA,
    models,
    platforms,
    precisions: f.precisions,
    res: f.res,
    arch: f.arch,
    ...(f.gpu !== undefined ? { gpu: f.gpu } : {}),
    path: f.path,
    pad: f.pad,
    ...(f.clockMHz !== undefined ? { clockMHz: f.clockMHz } : {}),
    caps: f.caps,
    ...(f.entropySymbolsPerSec !== undefined ? { entropySymbolsPerSec: f.entropySymbolsPerSec } : {}),
  };
}

/** Read and resolve a sweep file. */
export function loadSweep(file: string): ResolvedSweep {
  return resolveSweep(readJson(file), file);
}

/** sweep.json: the resolved configuration (stable key order), so that `sweep --config sweep.json` repeats the run. */
export function sweepJson(s: ResolvedSweep, shard?: string): string {
  const doc: Record<string, unknown> = {
    schema: s.schema, models: s.models, platforms: s.platforms, precisions: s.precisions, res: s.res, arch: s.arch, ...(s.gpu !== undefined ? { gpu: s.gpu } : {}), path: s.path, pad: s.pad,
    ...(s.clockMHz !== undefined ? { clockMHz: s.clockMHz } : {}),
    caps: s.caps,
    ...(s.entropySymbolsPerSec !== undefined ? { entropySymbolsPerSec: s.entropySymbolsPerSec } : {}),
    ...(shard ? { shard } : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
