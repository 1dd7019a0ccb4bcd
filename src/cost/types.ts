import type { ResourceKind } from '../platform/schema.js';
import type { Arch, Point } from '../mapping/schema.js';

/**
 * Why a layer or a design takes the time it takes: its MAC loop (compute), off-chip bandwidth (memory), transfer
 * latency not hidden behind compute (latency: round trips, short bursts, a port's beat rate, unoverlapped loads
 * and stores), control and pipeline fills (overhead), a serial per-position chain, fused into its producer, or
 * run on the CPU.
 */
export type Bound = 'compute' | 'memory' | 'latency' | 'overhead' | 'serial' | 'fused' | 'cpu';

export interface LayerEstimate {
  /** "<part>/<name>", the key design points use. */
  id: string;
  name: string;
  part: string;
  op: string;
  precision: string;
  macs: number;
  /** MACs the hardware executes (incl. zero-insertion, masked taps, unroll waste is NOT included). */
  executedMacs: number;
  cycles: number;
  timeMs: number;
  bound: Bound;
  /** Roofline: ops (2/MAC), off-chip bytes, ops per byte, attainable GOP/s under min(compute roof, CTC·BW). */
  ops: number;
  offchipBytes: number;
  ctc: number | null;
  attainableGops: number;
  rooflineBound: 'compute' | 'memory';
  /** Useful MACs per cycle over the MAC lanes available to the layer. */
  utilization: number;
  /** MAC lanes the layer runs on: the engine's whole array, or its pipeline stage's (0 when fused or on the CPU). */
  lanes: number;
  /** The engine layer, or the pipeline stage (shared slice stages are "<part>/*.<name>") it runs on. */
  stage: string;
  dsp: number;
  bram18: number;
  /** Engine: chosen tiles; pipeline: parallelism (for the tables). */
  mapping: string;
}

export type ResourceUse = Record<ResourceKind, { used: number; available: number; cap: number }>;

/** What the cost model says of one design point: the answer of `evaluate` and the `best` of `explore`. */
export interface Estimate {
  /** Model name (zoo name or the model file's `name`). */
  model: string;
  /** Model variant, or null when the model has none or parameters override it. */
  variant: string | null;
  /** Board name. */
  platform: string;
  /** Template: one shared MAC array (engine), one stage per layer (pipeline), or a baseline: the Vitis AI DPU (dpu), a GPU roofline (gpu). */
  arch: Arch;
  path: 'encode' | 'decode';
  /** Default precision of the design (layers may differ: `LayerEstimate.precision`). */
  precision: string;
  /** Design clock, MHz. */
  clockMHz: number;
  /** Input resolution and the padded one the layers run at. */
  resolution: { width: number; height: number; paddedWidth: number; paddedHeight: number };
  /** End-to-end frames per second (accelerator and entropy coder together). */
  fps: number;
  acceleratorFps: number;
  latencyMs: number;
  /** Useful GOP/s of the accelerator (2 ops per MAC). */
  gops: number;
  /** Compute roof of the whole design: 2 ops × every MAC lane × clock. */
  peakGops: number;
  /** What limits the design, in words: a layer and its bound, off-chip bandwidth, the entropy coder or a serial chain. */
  bottleneck: string;
  /** True when every resource is within its cap. */
  feasible: boolean;
  /** The resources over their cap, e.g. "bram18 1,900 > 1,459 (cap 0.8 of 1,824)". */
  violations: string[];
  /** Per resource (dsp, bram18, uram, lut, ff): used by the design, available to kernels on the board, the cap fraction. */
  resources: ResourceUse;
  /** Off-chip traffic at the accelerator's frame rate against the board's sustained bandwidth, GB/s. */
  bandwidth: { usedGBs: number; availableGBs: number };
  /** The entropy coder on the board's CPU: symbols per frame, seconds per frame, throughput. */
  entropy: { symbols: number; seconds: number; symbolsPerSec: number };
  /** The serial chain at decode (Minnen 2018's context model): latent positions and seconds per frame; null when none. */
  serial: { positions: number; seconds: number } | null;
  /** The design point this estimate is of. */
  design: Point;
  /** Every layer of the path, in model order. */
  layers: LayerEstimate[];
  /** DPU target: the layers the DPU cannot run, as CPU subgraphs on the board's Arm cores (never silent). */
  offload?: Offload;
}

/** One maximal run of layers that leaves the DPU for the CPU, and why. */
export interface CpuSubgraph {
  index: number;
  layers: string[];
  reasons: string[];
  /** One CPU thread, per frame, including its two DPU ↔ CPU hand-overs. */
  ms: number;
}

export interface Offload {
  subgraphs: CpuSubgraph[];
  /** DPU ↔ CPU hand-overs per frame (frame input and output included when they touch the DPU). */
  boundaries: number;
  /** CPU time per frame on one thread: subgraph layers + hand-overs. */
  cpuMs: number;
  /** Of which hand-overs (runner overhead, DDR round trip, (de)quantisation). */
  boundaryMs: number;
  /** DPU time per frame on one core. */
  dpuMs: number;
  /** Frames processed concurrently: DPU cores × engines; CPU threads for subgraphs. */
  dpuUnits: number;
  cpuThreads: number;
}
