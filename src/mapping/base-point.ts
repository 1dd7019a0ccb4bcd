import { loadPlatform } from '../platform/load.js';
import { parsePrecision } from '../platform/precision.js';
import { parseWith } from '../util/files.js';
import { PointSchema, type CapsSpec, type Point } from './schema.js';

export interface ExploreRequest {
  model: string;
  variant?: string;
  params?: Record<string, number>;
  platform: string;
  precision: string;
  res: string;
  pad?: 'stride' | 'same';
  arch: 'engine' | 'pipeline';
  path: 'encode' | 'decode';
  /** MHz; default: the board's typical kernel clock. */
  clockMHz?: number;
  caps?: CapsSpec;
  entropySymbolsPerSec?: number;
}

/**
 * The design point a search starts from: workload, board, clock, precision and caps, with an empty
 * engine/pipeline section for the search to fill. Validated like a user's point file.
 */
export function basePoint(r: ExploreRequest, where = 'request'): Point {
  parsePrecision(r.precision);
  const clk = loadPlatform(r.platform).spec.clock;
  const clockMHz = r.clockMHz ?? clk.hlsMHz ?? clk.typicalMHz;
  const draft = {
    schema: 'lic-dse/point@1',
    workload: {
      model: r.model,
      ...(r.variant ? { variant: r.variant } : {}),
      ...(r.params && Object.keys(r.params).length ? { params: r.params } : {}),
      res: r.res, pad: r.pad ?? 'stride', path: r.path,
    },
    platform: r.platform,
    clockMHz,
    precision: r.precision,
    caps: r.caps ?? {},
    ...(r.entropySymbolsPerSec ? { entropySymbolsPerSec: r.entropySymbolsPerSec } : {}),
    arch: r.arch,
    ...(r.arch === 'engine'
      ? { engine: { pif: 1, pof: 1, tif: 1, tof: 1, inBufDepth: 1, outBufDepth: 1, wBufDepth: 1 } }
      : { pipeline: { layers: {} } }),
  };
  return parseWith(PointSchema, draft, where);
}
