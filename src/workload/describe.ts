import type { Precision } from '../platform/precision.js';
import { bytesOf } from '../platform/precision.js';
import type { Workload } from './types.js';
import { workloadTotals, type WorkloadTotals } from './shapes.js';

export interface DescribeLayer {
  part: string;
  name: string;
  op: string;
  cin: number;
  cout: number;
  kernel: string;
  stride: string;
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  macs: number;
  zeroMacs: number;
  params: number;
  weightBytes: number;
  actBytes: number;
}

export interface Description {
  model: string;
  variant: string | null;
  params: Record<string, number>;
  precision: string;
  padding: string;
  resolution: { width: number; height: number; paddedWidth: number; paddedHeight: number };
  layers: DescribeLayer[];
  totals: WorkloadTotals;
}

const dims = (x?: [number, number]) => (x ? (x[0] === x[1] ? String(x[0]) : `${x[0]}x${x[1]}`) : '');

/** The per-layer view of `lic-dse describe`: shapes, MACs, params and bytes at a precision. */
export function describeWorkload(w: Workload, precision: Precision): Description {
  return {
    model: w.model,
    variant: w.variant ?? null,
    params: w.params,
    precision: precision.name,
    padding: w.policy,
    resolution: w.resolution,
    layers: w.layers.map((l) => ({
      part: l.part,
      name: l.name,
      op: l.op,
      cin: l.cin,
      cout: l.cout,
      kernel: dims(l.layer.kernel),
      stride: dims(l.layer.stride),
      inH: l.inH,
      inW: l.inW,
      outH: l.outH,
      outW: l.outW,
      macs: l.macs,
      zeroMacs: l.zeroMacs,
      params: l.params,
      weightBytes: bytesOf(l.params, precision.weightBits),
      actBytes: bytesOf(l.outElems, precision.actBits),
    })),
    totals: workloadTotals(w),
  };
}
