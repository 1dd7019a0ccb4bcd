import type { CpuModel } from '../platform/baselines.js';
import type { WorkloadLayer } from '../workload/types.js';

/** What a layer costs a CPU: float MACs, element operations, bytes to and from DRAM. */
export interface CpuWork {
  macs: number;
  elemOps: number;
  bytes: number;
}

/**
 * A layer run in float on the CPU, as the CPU subgraphs of a Vitis AI model are: every tap a plain
 * convolution executes (masked taps too), its element-wise operations, fp32 tensors and weights.
 */
export function cpuLayerWork(l: WorkloadLayer): CpuWork {
  const macs = l.op === 'masked_conv' ? l.macs + l.zeroMacs : l.macs;
  return { macs, elemOps: l.elemOps + (l.macs === 0 ? l.outElems : 0), bytes: 4 * (l.inElems + l.outElems + l.params) };
}

/**
 * Seconds on `threads` cores: the MACs at the sustained GMAC/s per core or the traffic at the CPU's DRAM
 * bandwidth, whichever is longer (a roofline), plus element-wise work at its own rate.
 */
export function cpuSeconds(w: CpuWork, cpu: CpuModel, threads = 1): number {
  const mac = w.macs / (cpu.gmacsPerCore * 1e9 * threads);
  const mem = w.bytes / (cpu.memGBs * 1e9);
  return Math.max(mac, mem) + w.elemOps / (cpu.elemOpsPerCorePerSec * threads);
}

/**
 * One DPU ↔ CPU hand-over of a tensor of `elems` elements: the runner call, the int8 tensor read (or written)
 * and its float copy written (or read) through DRAM, and the (de)quantisation of every element.
 */
export function handoverSeconds(elems: number, cpu: CpuModel): number {
  return cpu.runnerOverheadUs * 1e-6 + (elems * (1 + 4)) / (cpu.memGBs * 1e9) + elems / cpu.elemOpsPerCorePerSec;
}
