import { z } from 'zod';

/**
 * The baselines a user would pick instead of a custom accelerator: the Vitis AI DPU on each board and a GPU
 * (platforms/baselines/dpu.json, gpus.json). Data with sources, parsed once; the cost model reads it.
 */
const src = z.string().min(3, 'every figure needs a public source');
const pos = z.number().positive();
const range = z.tuple([z.number().int().positive(), z.number().int().positive()]);

export const DpuSizeSchema = z.object({
  /** Pixel, input-channel and output-channel parallelism: MACs per cycle = pp × icp × ocp. */
  pp: z.number().int().positive(), icp: z.number().int().positive(), ocp: z.number().int().positive(),
  peakOpsPerCycle: z.number().int().positive(),
  lut: z.number().int().nonnegative(), ff: z.number().int().nonnegative(), bram36: z.number().nonnegative(), dsp: z.number().int().nonnegative(),
  uram: z.number().int().nonnegative().default(0),
  /** Batch engines per core (DPUCAHX8H): each runs its own frame. */
  engines: z.number().int().positive().default(1),
}).strict().refine((s) => s.peakOpsPerCycle === 2 * s.pp * s.icp * s.ocp, { message: 'peakOpsPerCycle must be 2 × pp × icp × ocp' });
export type DpuSize = z.infer<typeof DpuSizeSchema>;

export const DpuFamilySchema = z.object({
  title: z.string(),
  channelParallelIsIcp: z.literal(true),
  bankDepth: z.number().int().positive(),
  convKernel: range, convStride: range, deconvKernel: range, deconvStride: range, poolKernel: range,
  outChannelsPerCp: z.number().int().positive(),
  leakyReluSlope: z.number().positive(),
  depthwisePixelFactor: z.number().gt(0).max(1),
  limitsSource: src,
  sizes: z.record(z.string(), DpuSizeSchema),
  sizesSource: src,
}).strict();
export type DpuFamily = z.infer<typeof DpuFamilySchema>;

export const DpuDeploymentSchema = z.object({
  family: z.string(), size: z.string(), cores: z.number().int().positive(), clockMHz: pos,
  ram: z.enum(['bram', 'uram']),
  /** With ram "uram": BRAM36 of each core's buffers moved into URAM (8 BRAM36 per URAM by capacity). */
  bram36InUram: z.number().nonnegative().default(0),
  portBytesPerCycle: pos,
  source: src,
}).strict();
export type DpuDeployment = z.infer<typeof DpuDeploymentSchema>;

export const CpuModelSchema = z.object({
  name: z.string(),
  cores: z.number().int().positive(),
  /** Sustained float MACs per second per core on convolution-like work, in units of 1e9. */
  gmacsPerCore: pos,
  /** Element-wise operations (rsqrt, div, exp, compare) per second per core. */
  elemOpsPerCorePerSec: pos,
  /** Sustained CPU ↔ DRAM bandwidth, GB/s. */
  memGBs: pos,
  /** Fixed cost of one DPU ↔ CPU hand-over (runner call, cache maintenance), microseconds. */
  runnerOverheadUs: z.number().nonnegative(),
  source: src,
}).strict();
export type CpuModel = z.infer<typeof CpuModelSchema>;

export const DpuCatalogueSchema = z.object({
  schema: z.literal('lic-dse/dpu@1'),
  description: z.string().optional(),
  families: z.record(z.string(), DpuFamilySchema),
  deployments: z.record(z.string(), DpuDeploymentSchema),
  cpu: z.record(z.string(), CpuModelSchema),
}).strict();
export type DpuCatalogue = z.infer<typeof DpuCatalogueSchema>;

export const GPU_PRECISIONS = ['int8', 'fp16', 'fp32'] as const;

export const GpuDeviceSchema = z.object({
  title: z.string(),
  clockMHz: pos,
  /** Dense peak per precision (tensor cores where they apply), 1e12 ops/s. */
  peakTops: z.object({ int8: pos, fp16: pos, fp32: pos }).strict(),
  /** CUDA-core fp32 rate for element-wise work, 1e12 flop/s. */
  vectorTflops: pos,
  memGBs: pos,
  /** Launch overhead per kernel (one kernel per layer), microseconds. */
  launchUs: z.number().nonnegative(),
  hostEntropySymbolsPerSec: pos,
  source: src,
}).strict();
export type GpuDevice = z.infer<typeof GpuDeviceSchema>;

export const GpuCatalogueSchema = z.object({
  schema: z.literal('lic-dse/gpus@1'),
  description: z.string().optional(),
  devices: z.record(z.string(), GpuDeviceSchema),
  counterparts: z.record(z.string(), z.string()),
}).strict();
export type GpuCatalogue = z.infer<typeof GpuCatalogueSchema>;

export interface Baselines {
  dpu: DpuCatalogue;
  gpus: GpuCatalogue;
}
