import { loadPlatform } from '../platform/load.js';
import { parsePrecision } from '../platform/precision.js';
import { parseWith } from '../util/files.js';
import { PointSchema, type Arch, type CapsSpec, type Point } from './schema.js';
import { baselineClockMHz, gpuFor } from './baseline-point.js';

export interface ExploreRequest {
  model: string;
  variant?: string;
  params?: Record<string, number>;
  platform: string;
  precision: string;
  res: string;
  pad?: 'stride' | 'same';
  arch: Arch;
  /** arch "gpu": the GPU (platforms/baselines/gpus.json); default: the board's counterpart. */
  gpu?: string;
  /** arch "dpu": another DPU size or core count than the board ships with. */
  dpuSize?: string;
  dpuCores?: number;
  /** arch "dpu": GDN/IGDN as written ("cpu") or decomposed by hand ("decompose"). */
  dpuGdn?: 'cpu' | 'decompose';
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
  const gpu = r.arch === 'gpu' ? gpuFor(r.platform, r.gpu) : undefined;
  const clockMHz = r.clockMHz ?? baselineClockMHz(r.arch, r.platform, gpu) ?? loadPlatform(r.platform).spec.clock.typicalMHz;
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
      : r.arch === 'pipeline' ? { pipeline: { layers: {} } }
        : r.arch === 'dpu' ? { dpu: { ...(r.dpuSize ? { size: r.dpuSize } : {}), ...(r.dpuCores ? { cores: r.dpuCores } : {}), ...(r.dpuGdn ? { gdn: r.dpuGdn } : {}) } }
          : { gpu: { device: gpu } }),
  };
  return parseWith(PointSchema, draft, where);
}
