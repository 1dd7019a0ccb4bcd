import { z } from 'zod';
import { inRange, RANGES } from '../util/range.js';
import { DEFAULT_AXI, type AxiParams } from '../arch/axi.js';

/** The largest devices hold ~14k DSPs, ~10k BRAM18, ~1.3k URAM, ~9M LUTs (Versal Premium, DS950): 1e6 / 1e8 leave room. */
const blocks = inRange(0, 1e6, { int: true });
const cells = inRange(0, 1e8, { int: true });
const src = z.string().min(3, 'every figure needs a public source').max(2000);

export const ResourcesSchema = z.object({ dsp: blocks, bram18: blocks, uram: blocks, lut: cells, ff: cells, source: src }).strict();

export const PlatformFileSchema = z.object({
  schema: z.literal('lic-dse/platform@1'),
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case id'),
  title: z.string().max(200),
  part: z.string().regex(/^x[a-z0-9-]+$/i, 'a Vitis part string such as xczu9eg-ffvb1156-2-e'),
  partSource: src,
  dspFamily: z.enum(['DSP48E1', 'DSP48E2', 'DSP58']),
  resources: ResourcesSchema,
  /** Taken by the platform shell (the U50's static region); zeros on embedded boards. */
  reserved: ResourcesSchema,
  memory: z.object({
    kind: z.string().max(100),
    channels: inRange(1, 64, { int: true }),
    busBits: inRange(8, 8192, { int: true }).optional(),
    peakGBs: inRange(...RANGES.peakGBs),
    efficiency: inRange(0, 1, { minExclusive: true }),
    source: src,
    efficiencySource: src,
  }).strict(),
  /** AXI/DRAM transaction coefficients (src/arch/axi.ts); the HLS m_axi defaults when absent. */
  axi: z.object({
    maxBurstBeats: z.number().int().positive(),
    outstanding: z.number().int().positive(),
    latencyCycles: z.number().nonnegative(),
    granuleBytes: z.number().int().positive(),
    portBits: z.number().int().positive(),
    source: src,
  }).strict().optional(),
  /**
   * typicalMHz: the platform's default kernel clock; hlsMHz: what an HLS engine of this kind realistically closes
   * at (the default of explore/sweep; --clock overrides); maxMHz: the DSP limit.
   */
  clock: z.object({ typicalMHz: inRange(...RANGES.clockMHz), hlsMHz: inRange(...RANGES.clockMHz).optional(), hlsSource: src.optional(), maxMHz: inRange(...RANGES.clockMHz), source: src }).strict(),
  cpu: z.object({ name: z.string().max(200), entropySymbolsPerSec: inRange(...RANGES.entropySymbolsPerSec), source: src }).strict(),
  notes: z.array(z.string()).optional(),
}).strict()
  .refine((p) => p.clock.typicalMHz <= p.clock.maxMHz, { message: 'typicalMHz exceeds maxMHz', path: ['clock', 'typicalMHz'] })
  .superRefine((p, ctx) => {
    for (const k of ['dsp', 'bram18', 'uram', 'lut', 'ff'] as const) {
      if (p.reserved[k] > p.resources[k]) {
        ctx.addIssue({ code: 'custom', path: ['reserved', k], message: `reserved ${p.reserved[k]} exceeds the device's ${p.resources[k]}` });
      }
    }
  });
export type PlatformFile = z.infer<typeof PlatformFileSchema>;

export type ResourceKind = 'dsp' | 'bram18' | 'uram' | 'lut' | 'ff';
export const RESOURCE_KINDS: ResourceKind[] = ['dsp', 'bram18', 'uram', 'lut', 'ff'];

/** A board as the cost model sees it: what a kernel may use, after the shell's share. */
export interface Platform {
  file: string;
  spec: PlatformFile;
  name: string;
  available: Record<ResourceKind, number>;
  /** Realistic sustained off-chip bandwidth, bytes per second. */
  bandwidthBytesPerSec: number;
  /** AXI ports and DRAM at transaction level (src/arch/axi.ts). */
  axi: AxiParams;
}

export function toPlatform(spec: PlatformFile, file: string): Platform {
  const available = Object.fromEntries(
    RESOURCE_KINDS.map((k) => [k, spec.resources[k] - spec.reserved[k]]),
  ) as Record<ResourceKind, number>;
  const { source: _source, ...axi } = spec.axi ?? { ...DEFAULT_AXI, source: '' };
  return { file, spec, name: spec.name, available, bandwidthBytesPerSec: spec.memory.peakGBs * 1e9 * spec.memory.efficiency, axi };
}
