import { loadPlatform } from '../platform/load.js';
import { parsePrecision } from '../platform/precision.js';
import { parseWith } from '../util/files.js';
import { PointSchema, type Arch, type CapsSpec, type Point } from './schema.js';
import { baselineClockMHz, gpuFor } from './baseline-point.js';

/** One design question, as `lic-dse explore` asks it: which design runs this model best on this board? */
export interface ExploreRequest {
  /** Zoo name (`zooNames()`, e.g. "mbt2018-mean") or the path of a model .json file. */
  model: string;
  /** Model variant, e.g. "q3" (default: the model's own default variant). */
  variant?: string;
  /** Channel parameters overriding the variant's, e.g. {N: 96, M: 128}: a pruned or distilled student. */
  params?: Record<string, number>;
  /** Board name (`platformNames()`: "zcu102", "kv260", "u50") or the path of a board .json file. */
  platform: string;
  /** Default precision of every layer: "int8", "int16", "wXaY" (e.g. "w4a8"), "fp16" or "fp32". */
  precision: string;
  /** Input resolution "WIDTHxHEIGHT", e.g. "1280x720" (DEFAULT_RES). */
  res: string;
  /** "stride" pads the image to a multiple of the total stride (CompressAI); "same" rounds up per strided layer (tensorflow-compression). Default "stride". */
  pad?: 'stride' | 'same';
  /** "engine": one shared MAC array running the layers in turn (Zhang'15, X-LIC); "pipeline": one stage per layer (FINN, fpgaConvNet); "dpu", "gpu": the baselines (Vitis AI DPU, GPU roofline). */
  arch: Arch;
  /** arch "gpu": the GPU (platforms/baselines/gpus.json); default: the board's counterpart. */
  gpu?: string;
  /** arch "dpu": another DPU size or core count than the board ships with. */
  dpuSize?: string;
  dpuCores?: number;
  /** arch "dpu": GDN/IGDN as written ("cpu") or decomposed by hand ("decompose"). */
  dpuGdn?: 'cpu' | 'decompose';
  /** "encode": analysis and hyper-analysis transforms; "decode": synthesis, hyper-synthesis and the context model. */
  path: 'encode' | 'decode';
  /** Design clock in MHz; default: the board's typical HLS kernel clock. */
  clockMHz?: number;
  /** Fraction (0, 1] of each resource the design may use; default FINN's: DSP/BRAM18/URAM 0.8, LUT 0.7, FF 0.5. */
  caps?: CapsSpec;
  /** Entropy coder throughput on the board's CPU, symbols/s; default: the board file's figure. */
  entropySymbolsPerSec?: number;
}

/**
 * The design point a search starts from: workload, board, clock, precision and caps, with an empty
 * engine/pipeline section for the search to fill. Validated like a user's point file.
 */
export function basePoint(r: ExploreRequest, where = 'request'): Point {
  parsePrecision(r.precision);
  const gpu = r.arch === 'gpu' ? gpuFor(r.platform, r.gpu) : undefined;
  const clk = loadPlatform(r.platform).spec.clock;
  const clockMHz = r.clockMHz ?? baselineClockMHz(r.arch, r.platform, gpu) ?? clk.hlsMHz ?? clk.typicalMHz;
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
