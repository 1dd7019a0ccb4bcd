import { z } from 'zod';

/**
 * A design point (mapping) is data, like FINN's folding_config.json or Timeloop's map.yaml: a user writes it
 * by hand, saves it from `explore --save`, edits it and feeds it back to `evaluate`.
 * Layer keys are "<part>/<name>" as `describe` prints them (e.g. "g_a/0", "cc_mean_transforms/3.0").
 */

const pos = z.number().int().positive();
const nonneg = z.number().int().nonnegative();

export const WorkloadRefSchema = z.object({
  /** Zoo name or path to a model .json. */
  model: z.string().min(1),
  variant: z.string().optional(),
  params: z.record(z.string(), z.number()).optional(),
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
  inBufDepth: pos, outBufDepth: pos, wBufDepth: pos,
  /** Put the weight buffer in URAM (72×4096) instead of BRAM18. */
  weightsInUram: z.boolean().default(false),
  /** Put the input (activation) tile buffer in URAM. */
  actInUram: z.boolean().default(false),
  /** Channels per DRAM beat of the channel-blocked activation layout (default: a full port word). */
  layoutLanes: pos.optional(),
  ports: z.object({
    read: pos.default(1), weight: pos.default(1), write: pos.default(1),
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
  reuse: pos.default(1),
  /** Write this layer's output to DRAM and read it back (when its line buffers do not fit on chip). */
  spill: z.boolean().default(false),
  fifoDepth: pos.default(2),
}).strict();
export type PipelineLayer = z.infer<typeof PipelineLayerSchema>;

export const PipelineSchema = z.object({
  weightsInUram: z.boolean().default(false),
  deconv: z.enum(['subpixel', 'zero-insert']).default('subpixel'),
  layers: z.record(z.string(), PipelineLayerSchema).default({}),
}).strict();
export type PipelineSpec = z.infer<typeof PipelineSchema>;

const PrecisionName = z.string().min(2);

export const PointSchema = z.object({
  schema: z.literal('lic-dse/point@1'),
  name: z.string().optional(),
  workload: WorkloadRefSchema,
  /** Built-in board name or path to a board .json. */
  platform: z.string().min(1),
  clockMHz: z.number().positive(),
  /** Default precision of every layer: int8, int16, w4a8, w8a16, fp16, fp32. */
  precision: PrecisionName,
  /** Hybrid quantisation: per-layer override, e.g. {"g_a/0": "int16"}. */
  layerPrecision: z.record(z.string(), PrecisionName).default({}),
  caps: CapsSchema.default({}),
  /** Entropy coder throughput on the board's CPU, symbols/s; default from the board file. */
  entropySymbolsPerSec: z.number().positive().optional(),
  arch: z.enum(['engine', 'pipeline']),
  engine: EngineSchema.optional(),
  pipeline: PipelineSchema.optional(),
  source: z.string().optional(),
}).strict().superRefine((p, ctx) => {
  if (p.arch === 'engine' && !p.engine) ctx.addIssue({ code: 'custom', path: ['engine'], message: 'arch "engine" needs an "engine" section' });
  if (p.arch === 'pipeline' && !p.pipeline) ctx.addIssue({ code: 'custom', path: ['pipeline'], message: 'arch "pipeline" needs a "pipeline" section' });
});
export type Point = z.infer<typeof PointSchema>;
