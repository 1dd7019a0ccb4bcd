import { z } from 'zod';
import { inRange, RANGES } from '../util/range.js';

/**
 * A design point (mapping) is data, like FINN's folding_config.json or Timeloop's map.yaml: a user writes it
 * by hand, saves it from `explore --save`, edits it and feeds it back to `evaluate`.
 * Layer keys are "<part>/<name>" as `describe` prints them (e.g. "g_a/0", "cc_mean_transforms/3.0").
 */

/** Unrolls, tiles and parallelism: far beyond any device's DSP count, small enough that products stay exact. */
const pos = inRange(1, 1 << 20, { int: true });
/** Buffer and FIFO depths, overhead cycles and reuse counts. */
const depth = inRange(1, 2 ** 31, { int: true });
const nonneg = inRange(0, 2 ** 31, { int: true });

export const WorkloadRefSchema = z.object({
  /** Zoo name or path to a model .json. */
  model: z.string().min(1),
  variant: z.string().optional(),
  params: z.record(z.string(), inRange(0, Number.MAX_SAFE_INTEGER, { minExclusive: true })).optional(),
  /** "WIDTHxHEIGHT". */
  res: z.string().regex(/^\d+x\d+$/, 'WIDTHxHEIGHT, e.g. 1280x720'),
  pad: z.enum(['stride', 'same']).default('stride'),
  path: z.enum(['encode', 'decode']),
}).strict();
export type WorkloadRef = z.infer<typeof WorkloadRefSchema>;

export const CapsSchema = z.object({
  dsp: z.number().gt(0).max(1).optional(),
  bram18: z.number().gt(0).max(1).optional(),
  uram: z.number().gt(0).max(1).optional(),
  lut: z.number().gt(0).max(1).optional(),
  ff: z.number().gt(0).max(1).optional(),
}).strict();
export type CapsSpec = z.infer<typeof CapsSchema>;

export const EngineLayerSchema = z.object({
  tn: pos, tm: pos, tr: pos, tc: pos,
  /** How a transposed conv is lowered: s² phase convolutions (X-LIC) or a conv over the zero-inserted input. */
  deconv: z.enum(['subpixel', 'zero-insert']).optional(),
}).strict();
export type EngineLayer = z.infer<typeof EngineLayerSchema>;

export const EngineSchema = z.object({
  /** Unroll: input channels × output channels × output rows × output columns (Zhang'15 Tn×Tm, X-LIC). */
  pif: pos, pof: pos, poy: pos.default(1), pox: pos.default(1),
  /** Largest tn / tm any layer may use (channel capacity of the tile buffers). */
  tif: pos, tof: pos,
  /** Words per bank of each ping-pong buffer: input (pif banks), output (pof·poy·pox banks), weights (pif·pof banks). */
  inBufDepth: depth, outBufDepth: depth, wBufDepth: depth,
  /** Put the weight buffer in URAM (72×4096) instead of BRAM18. */
  weightsInUram: z.boolean().default(false),
  /** Put the input (activation) tile buffer in URAM. */
  actInUram: z.boolean().default(false),
  /** Channels per DRAM beat of the channel-blocked activation layout (default: a full port word). */
  layoutLanes: pos.optional(),
  ports: z.object({
    read: inRange(1, 64, { int: true }).default(1), weight: inRange(1, 64, { int: true }).default(1), write: inRange(1, 64, { int: true }).default(1),
    widthBits: z.union([z.literal(32), z.literal(64), z.literal(128), z.literal(256), z.literal(512)]).default(128),
  }).strict().default({ read: 1, weight: 1, write: 1, widthBits: 128 }),
  overheads: z.object({
    perTileCycles: nonneg.optional(),
    perLayerCycles: nonneg.optional(),
    prologueCycles: nonneg.optional(),
  }).strict().default({}),
  deconv: z.enum(['subpixel', 'zero-insert']).default('subpixel'),
  layers: z.record(z.string(), EngineLayerSchema).default({}),
}).strict();
export type EngineSpec = z.infer<typeof EngineSchema>;

export const PipelineLayerSchema = z.object({
  /** Input-channel, output-channel and kernel parallelism (FINN SIMD × PE; fpgaConvNet coarse-in/out, fine). */
  pin: pos, pout: pos, pk: pos.default(1),
  /** On chip (BRAM/URAM), or streamed from DRAM and held for `reuse` output pixels per fetch. */
  weights: z.enum(['onchip', 'stream']).default('onchip'),
  reuse: depth.default(1),
  /** Write this layer's output to DRAM and read it back (when its line buffers do not fit on chip). */
  spill: z.boolean().default(false),
  fifoDepth: depth.default(2),
}).strict();
export type PipelineLayer = z.infer<typeof PipelineLayerSchema>;

export const PipelineSchema = z.object({
  weightsInUram: z.boolean().default(false),
  /** Join buffers (residual skips, gating operands) and attention band buffers in URAM. */
  buffersInUram: z.boolean().default(false),
  deconv: z.enum(['subpixel', 'zero-insert']).default('subpixel'),
  layers: z.record(z.string(), PipelineLayerSchema).default({}),
}).strict();
export type PipelineSpec = z.infer<typeof PipelineSchema>;

/** The Vitis AI DPU as shipped on the board (platforms/baselines/dpu.json), optionally resized. */
export const DpuPointSchema = z.object({
  /** DPU size (DPUCZDX8G B512 … B4096, DPUCAHX8H 3PE); default: the board's shipped configuration. */
  size: z.string().min(1).optional(),
  cores: pos.optional(),
  /**
   * GDN/IGDN as the model is written ("cpu": no DPU operator, the whole layer is a CPU subgraph), or rewritten
   * by hand before quantisation ("decompose": x² and the final product as DPU element-wise multiplies, the C×C
   * normalisation as a DPU 1×1 conv, only rsqrt/reciprocal on the CPU).
   */
  gdn: z.enum(['cpu', 'decompose']).default('cpu'),
  /** Overrides of the board's CPU model that runs the layers the DPU cannot (CPU subgraphs). */
  cpu: z.object({
    cores: pos.optional(),
    gmacsPerCore: z.number().positive().optional(),
    elemOpsPerCorePerSec: z.number().positive().optional(),
    memGBs: z.number().positive().optional(),
    runnerOverheadUs: z.number().nonnegative().optional(),
  }).strict().default({}),
}).strict();
export type DpuPoint = z.infer<typeof DpuPointSchema>;

/** A GPU roofline target (platforms/baselines/gpus.json); `platform` stays the board it is compared with. */
export const GpuPointSchema = z.object({ device: z.string().min(1) }).strict();
export type GpuPoint = z.infer<typeof GpuPointSchema>;

export const ARCHS = ['engine', 'pipeline', 'dpu', 'gpu'] as const;
export type Arch = (typeof ARCHS)[number];

const PrecisionName = z.string().min(2);

export const PointSchema = z.object({
  schema: z.literal('lic-dse/point@1'),
  name: z.string().optional(),
  workload: WorkloadRefSchema,
  /** Built-in board name or path to a board .json. */
  platform: z.string().min(1),
  clockMHz: inRange(...RANGES.clockMHz),
  /** Default precision of every layer: int8, int16, w4a8, w8a16, fp16, fp32. */
  precision: PrecisionName,
  /** Hybrid quantisation: per-layer override, e.g. {"g_a/0": "int16"}. */
  layerPrecision: z.record(z.string(), PrecisionName).default({}),
  caps: CapsSchema.default({}),
  /** Entropy coder throughput on the board's CPU, symbols/s; default from the board file. */
  entropySymbolsPerSec: inRange(...RANGES.entropySymbolsPerSec).optional(),
  arch: z.enum(ARCHS),
  engine: EngineSchema.optional(),
  pipeline: PipelineSchema.optional(),
  dpu: DpuPointSchema.optional(),
  gpu: GpuPointSchema.optional(),
  source: z.string().optional(),
}).strict().superRefine((p, ctx) => {
  if (p.arch === 'engine' && !p.engine) ctx.addIssue({ code: 'custom', path: ['engine'], message: 'arch "engine" needs an "engine" section' });
  if (p.arch === 'pipeline' && !p.pipeline) ctx.addIssue({ code: 'custom', path: ['pipeline'], message: 'arch "pipeline" needs a "pipeline" section' });
  if (p.arch === 'gpu' && !p.gpu) ctx.addIssue({ code: 'custom', path: ['gpu'], message: 'arch "gpu" needs a "gpu" section ({"device": "a100"})' });
});
export type Point = z.infer<typeof PointSchema>;
