import { PointSchema, type Point } from '../../src/mapping/schema.js';
import { loadCostTables, loadPlatform } from '../../src/platform/load.js';
import { PlatformFileSchema, toPlatform, type Platform } from '../../src/platform/schema.js';
import { evaluate } from '../../src/cost/evaluate.js';
import { workloadFromDoc } from '../helpers.js';

export const tables = loadCostTables();

/** A board derived from zcu102 with some figures replaced (for hand-worked and property tests). */
export function board(over: { dsp?: number; bram18?: number; uram?: number; lut?: number; ff?: number; gbs?: number; eff?: number; sps?: number; maxMHz?: number; latency?: number }): Platform {
  const s = structuredClone(loadPlatform('zcu102').spec);
  s.name = 'testboard';
  for (const k of ['dsp', 'bram18', 'uram', 'lut', 'ff'] as const) if (over[k] !== undefined) s.resources[k] = over[k]!;
  if (over.gbs !== undefined) s.memory.peakGBs = over.gbs;
  if (over.eff !== undefined) s.memory.efficiency = over.eff;
  if (over.sps !== undefined) s.cpu.entropySymbolsPerSec = over.sps;
  if (over.latency !== undefined) s.axi = { ...s.axi!, latencyCycles: over.latency };
  if (over.maxMHz !== undefined) {
    s.clock.maxMHz = over.maxMHz;
    s.clock.typicalMHz = Math.min(s.clock.typicalMHz, over.maxMHz);
  }
  return toPlatform(PlatformFileSchema.parse(s), 'testboard.json');
}

/** A one-part model document from a list of layers. */
export function modelDoc(layers: object[], extra: object = {}) {
  return {
    schema: 'lic-dse/model@1', name: 'tiny', title: 'tiny', reference: { repo: 'me/mine', path: 'x.py', commit: 'abc' },
    params: {}, padMultiple: 1, paths: { encode: ['g_a'], decode: ['g_a'] },
    parts: [{ name: 'g_a', input: [{ from: 'image' }], layers }],
    ...extra,
  };
}

export function point(p: object): Point {
  return PointSchema.parse({
    schema: 'lic-dse/point@1', workload: { model: 'x', res: '16x16', path: 'encode' }, platform: 'testboard',
    clockMHz: 100, precision: 'int8', ...p,
  });
}

export function evalDoc(doc: object, w: number, h: number, pl: Platform, pt: Point, image = 3) {
  void image;
  return evaluate(workloadFromDoc(doc, w, h), pl, pt, tables);
}
