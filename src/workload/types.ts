import type { OpKind } from './schema.js';

export type PadPolicy = 'stride' | 'same';

/** A layer after variant parameters, repeats and instances are resolved: every attribute concrete. */
export interface ResolvedLayer {
  /** Base part name (g_a, cc_mean_transforms, ...). */
  part: string;
  /** Instance index for parts with several instances (slice transforms), else undefined. */
  instance?: number;
  /** Name inside its part, prefixed with the instance index where there is one ("3.conv_0"). */
  name: string;
  op: OpKind;
  /** Names (same part) of the tensors read; "@input" is the part's input. */
  inputs: string[];
  cout?: number;
  kernel?: [number, number];
  stride?: [number, number];
  /** Explicit zero padding, or tensorflow's "same". */
  padding?: [number, number] | 'same';
  dilation?: [number, number];
  outputPadding?: [number, number];
  groups?: number;
  bias?: boolean;
  mask?: 'A' | 'B';
  slope?: number;
  start?: number;
  end?: number;
  factor?: number;
  form?: 'qk' | 'av';
  dim?: number;
  heads?: number;
  window?: number;
  relativePositionBias?: boolean;
  ceilMode?: boolean;
  filters?: number[];
  quantiles?: boolean;
}

export interface PartInput {
  from: string;
  offset: number;
  channels?: number;
}

export interface ResolvedPart {
  /** Instance name: "g_a", or "cc_mean_transforms.3". */
  id: string;
  base: string;
  instance?: number;
  input: PartInput[];
  schedule: 'parallel' | 'serial-decode';
  layers: ResolvedLayer[];
}

export interface ResolvedModel {
  file: string;
  name: string;
  title: string;
  variant: string | undefined;
  params: Record<string, number>;
  imageChannels: number;
  padMultiple: number;
  paths: { encode: string[]; decode: string[] };
  latents: string[];
  parts: ResolvedPart[];
}

export interface Shape {
  c: number;
  h: number;
  w: number;
}

/** Counts that depend only on the layer and its shapes (precision-free). */
export interface LayerCounts {
  out: Shape;
  /** Useful multiply-accumulates. */
  macs: number;
  /** MACs a naive lowering executes on top (zero-inserted inputs of a transposed conv, masked taps). */
  zeroMacs: number;
  /** Non-MAC element operations (activations, normalisation, pooling compares). */
  elemOps: number;
  params: number;
}

/** One layer of a workload: a resolved layer at a resolution. */
export interface WorkloadLayer extends LayerCounts {
  part: string;
  instance?: number;
  name: string;
  op: OpKind;
  layer: ResolvedLayer;
  cin: number;
  cout: number;
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  /** Elements read (sum over inputs) and written. */
  inElems: number;
  outElems: number;
  /** Which paths run this layer. */
  encode: boolean;
  decode: boolean;
  schedule: 'parallel' | 'serial-decode';
}

export interface Workload {
  model: string;
  title: string;
  variant: string | undefined;
  params: Record<string, number>;
  policy: PadPolicy;
  resolution: { width: number; height: number; paddedWidth: number; paddedHeight: number };
  layers: WorkloadLayer[];
  /** Elements the entropy coder codes per frame, per latent part (y, z). */
  latents: { part: string; elements: number; channels: number; positions: number }[];
}
