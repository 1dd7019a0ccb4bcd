import type { ResourceKind } from '../platform/schema.js';
import type { Arch, Point } from '../mapping/schema.js';

/** Why a layer or a design takes the time it takes. */
export type Bound = 'compute' | 'memory' | 'overhead' | 'serial' | 'fused' | 'cpu';

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

export interface Estimate {
  model: string;
  variant: string | null;
  platform: string;
  arch: Arch;
  path: 'encode' | 'decode';
  precision: string;
  clockMHz: number;
  resolution: { width: number; height: number; paddedWidth: number; paddedHeight: number };
  /** End-to-end frames per second (accelerator and entropy coder together). */
  fps: number;
  acceleratorFps: number;
  latencyMs: number;
  /** Useful GOP/s of the accelerator (2 ops per MAC). */
  gops: number;
  /** Compute roof of the whole design: 2 ops × every MAC lane × clock. */
  peakGops: number;
  bottleneck: string;
  feasible: boolean;
  violations: string[];
  resources: ResourceUse;
  bandwidth: { usedGBs: number; availableGBs: number };
  entropy: { symbols: number; seconds: number; symbolsPerSec: number };
  serial: { positions: number; seconds: number } | null;
  design: Point;
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
