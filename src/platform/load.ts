import path from 'node:path';
import { builtinNames, locate, parseWith, PACKAGE_ROOT, readJson } from '../util/files.js';
import { PlatformFileSchema, toPlatform, type Platform } from './schema.js';
import { CoefficientsSchema, DspPackingSchema, type CostTables } from './tables.js';

const TABLE_FILES = ['dsp-packing', 'cost-coefficients'];

/** Load a built-in board by name or a user's board file. */
export function loadPlatform(nameOrFile: string): Platform {
  const abs = locate(nameOrFile, 'platforms', 'platform');
  const file = path.relative(process.cwd(), abs) || abs;
  return toPlatform(parseWith(PlatformFileSchema, readJson(abs), file), file);
}

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
  };
  return cached;
}
