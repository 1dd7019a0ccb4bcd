import { z } from 'zod';
import { CapsSchema } from '../mapping/schema.js';

/**
 * File formats of the cluster model: the link and master tables (platforms/links.json, masters.json) and
 * the user's cluster file (`lic-dse/cluster@1`). Types are inferred from the schemas.
 */
const positive = z.number().positive();
const src = z.string().min(3, 'every figure needs a public source');
const id = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case id (a-z, 0-9, . _ -)');

export const LinkSchema = z.object({
  name: id,
  title: z.string(),
  /** Line rate after line coding, Gb/s per direction (links are full duplex). */
  rateGbps: positive,
  /** Fraction of the rate that carries payload in a long transfer (framing, headers, flow control). */
  efficiency: z.number().gt(0).max(1),
  /** Fixed one-way cost of a message at each end (NIC, driver, stack), µs. */
  latencyUs: z.number().nonnegative(),
  source: src,
}).strict();
export type LinkSpec = z.infer<typeof LinkSchema>;

export const LinksFileSchema = z.object({
  schema: z.literal('lic-dse/links@1'),
  notes: z.array(z.string()).optional(),
  links: z.array(LinkSchema).min(1),
}).strict();

export const MasterCpuSchema = z.object({
  name: z.string(),
  cores: z.number().int().positive(),
  /** Entropy coder rate of one core (symbols/s), when the master codes. */
  entropySymbolsPerSec: positive,
  /** CPU time per message sent or received (syscall, stack bookkeeping, scheduling decision), µs. */
  messageCpuUs: z.number().nonnegative(),
  /** One core's copy rate, for stitching tiles into one output. */
  copyBytesPerSec: positive,
}).strict();

export const MasterSchema = z.object({
  name: id,
  title: z.string(),
  link: z.string(),
  cpu: MasterCpuSchema,
  source: src,
  cpuSource: src,
}).strict();
export type MasterSpec = z.infer<typeof MasterSchema>;

export const MastersFileSchema = z.object({
  schema: z.literal('lic-dse/masters@1'),
  masters: z.array(MasterSchema).min(1),
}).strict();

const Reliability = {
  /** Mean time between failures and to repair of one board, hours (steady-state availability MTBF/(MTBF+MTTR)). */
  mtbfHours: positive.optional(),
  mttrHours: positive.optional(),
};

const BoardCommon = {
  /** A label for tables; default: the board's platform and index. */
  name: id.optional(),
  /** This many identical boards. */
  count: z.number().int().positive().default(1),
  /** The board's network link (platforms/links.json name); default: the master's link. */
  link: z.string().optional(),
  ...Reliability,
};

const ExploreSpec = z.object({
  platform: z.string(),
  precision: z.string().default('int8'),
  arch: z.enum(['engine', 'pipeline']).default('engine'),
  clockMHz: positive.optional(),
  caps: CapsSchema.optional(),
  entropySymbolsPerSec: positive.optional(),
}).strict();

export const BoardEntrySchema = z.union([
  z.object({ ...BoardCommon, point: z.string().min(1) }).strict(),
  z.object({ ...BoardCommon, explore: ExploreSpec }).strict(),
], { error: 'a board is {"point": "file.json"} or {"explore": {"platform": ...}} (plus count, link, name, mtbfHours, mttrHours)' });
export type BoardEntry = z.infer<typeof BoardEntrySchema>;

export const SplitSchema = z.object({
  /** Whole frames per board, or strips of one image across the boards. */
  policy: z.enum(['frame', 'tile']),
  /**
   * Tile parallel: which layers the halo must cover — "path" every layer of the coding path (strips then
   * give exactly the whole image's latents and hyper-latents), "analysis" only the image-facing transform,
   * or a number of pixel rows. Frame parallel: the halo of the "what if" strip figures.
   */
  halo: z.union([z.enum(['path', 'analysis']), z.number().int().nonnegative()]).default('path'),
}).strict();
export type Split = z.infer<typeof SplitSchema>;

export const ClusterFileSchema = z.object({
  schema: z.literal('lic-dse/cluster@1'),
  name: id,
  /** What every board runs: one model at one resolution on one path. */
  workload: z.object({
    model: z.string(),
    variant: z.string().optional(),
    params: z.record(z.string(), z.number()).optional(),
    res: z.string(),
    pad: z.enum(['stride', 'same']).default('stride'),
    path: z.enum(['encode', 'decode']).default('encode'),
    /** Bytes per input pixel sent to a board (3 for 8-bit RGB). */
    bytesPerPixel: positive.default(3),
    /** Rate of the compressed output (bits per pixel) — what comes back when the boards entropy-code. */
    bitsPerPixel: positive,
  }).strict(),
  master: z.object({
    /** A platforms/masters.json name. */
    board: z.string(),
    /** Override the master's link. */
    link: z.string().optional(),
  }).strict(),
  boards: z.array(BoardEntrySchema).min(1),
  /** Where entropy coding runs: on each board's CPU (the boards return bitstreams) or on the master (the boards return quantised latents). */
  entropy: z.enum(['board', 'master']).default('board'),
  split: SplitSchema.default({ policy: 'frame', halo: 'path' }),
  /** Defaults for boards that give none. */
  reliability: z.object({ ...Reliability, source: z.string().optional() }).strict().optional(),
  /** Targets for the availability question: P(cluster FPS ≥ targetFps) and the N to reach probability. */
  target: z.object({ fps: positive, probability: z.number().gt(0).lt(1).default(0.999) }).strict().optional(),
  simulation: z.object({
    /** Poisson arrivals (frames/s) or "saturate" (the master always has a frame ready). */
    arrivalFps: z.union([positive, z.literal('saturate')]).default('saturate'),
    heartbeatMs: positive.default(100),
    missedBeats: z.number().int().positive().default(3),
    redispatch: z.boolean().default(true),
    /**
     * Frames outstanding at one board (sent and not yet answered): 2 double-buffers transfer and compute.
     * The master raises it where a frame's round trip is longer than the board's period (throughput.ts boardWindow).
     */
    window: z.number().int().positive().default(2),
    /** Frames waiting at the master beyond which arrivals are turned away (counted as rejected). */
    queueLimit: z.number().int().positive().default(64),
    warmupSeconds: z.number().nonnegative().default(1),
  }).strict().default({ arrivalFps: 'saturate', heartbeatMs: 100, missedBeats: 3, redispatch: true, window: 2, queueLimit: 64, warmupSeconds: 1 }),
}).strict();
export type ClusterFile = z.infer<typeof ClusterFileSchema>;
export type SimulationSpec = ClusterFile['simulation'];
