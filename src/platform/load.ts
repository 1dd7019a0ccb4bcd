import path from 'node:path';
import { builtinNames, locate, parseWith, PACKAGE_ROOT, readJson } from '../util/files.js';
import { deepFreeze, fileVersion, Lru } from '../util/memo.js';
import { PlatformFileSchema, toPlatform, type Platform } from './schema.js';
import { CoefficientsSchema, DspPackingSchema, type CostTables } from './tables.js';
import { DpuCatalogueSchema, GpuCatalogueSchema } from './baselines.js';

// Tables beside the boards (not boards): the cost tables, and the cluster's links and masters (src/cluster).
const TABLE_FILES = ['dsp-packing', 'cost-coefficients', 'links', 'masters'];

/** Load a built-in board by name or a user's board file. */
export function loadPlatform(nameOrFile: string): Platform {
  const abs = locate(nameOrFile, 'platforms', 'platform', TABLE_FILES);
  const file = path.relative(process.cwd(), abs) || abs;
  // Cached per file version and the name it is reported under (frozen: shared by every caller).
  return platforms.get(`${fileVersion(abs)}|${file}`, () => deepFreeze(toPlatform(parseWith(PlatformFileSchema, readJson(abs), file), file)));
}
const platforms = new Lru<string, Platform>(16);

export function platformNames(): string[] {
  // <board>.calib.json files written by `lic-dse calibrate --out platforms/...` are not boards.
  return builtinNames('platforms', TABLE_FILES).filter((n) => !n.endsWith('.calib'));
}

let cached: CostTables | undefined;
/** The DSP packing table and the LUT/FF/memory coefficients (platforms/*.json, data with sources). */
export function loadCostTables(): CostTables {
  if (cached) return cached;
  const f = (n: string) => path.join(PACKAGE_ROOT, 'platforms', `${n}.json`);
  cached = {
    packing: parseWith(DspPackingSchema, readJson(f('dsp-packing')), 'platforms/dsp-packing.json'),
    coefficients: parseWith(CoefficientsSchema, readJson(f('cost-coefficients')), 'platforms/cost-coefficients.json'),
    baselines: {
      dpu: parseWith(DpuCatalogueSchema, readJson(f('baselines/dpu')), 'platforms/baselines/dpu.json'),
      gpus: parseWith(GpuCatalogueSchema, readJson(f('baselines/gpus')), 'platforms/baselines/gpus.json'),
    },
  };
  return cached;
}
