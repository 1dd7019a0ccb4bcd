import { UserError } from '../errors.js';
import type { Point } from '../mapping/schema.js';
import { GPU_PRECISIONS, type GpuDevice } from '../platform/baselines.js';
import { bytesOf, parsePrecision, type Precision } from '../platform/precision.js';
import type { Platform } from '../platform/schema.js';
import type { CostTables } from '../platform/tables.js';
import type { Workload } from '../workload/types.js';
import { baselineResources, decodeChain } from './baseline-common.js';
import { layerRow, passive, pathPlan, type PathLayer } from './plan.js';
import { roofline } from './roofline.js';
import type { Estimate, LayerEstimate } from './types.js';

/** Activations a GPU runtime (TensorRT, cuDNN epilogues) fuses into the kernel of the layer before. */
const FUSED_ACTIVATIONS = new Set(['relu', 'leaky_relu', 'sigmoid', 'gelu', 'abs']);
/** Layout-only ops: views or concatenation written in place by the producers. */
const FREE_OPS = new Set(['concat', 'slice']);

export function gpuDevice(point: Point, tables: CostTables): { name: string; device: GpuDevice } {
  const g = tables.baselines?.gpus;
  if (!g) throw new Error('cost tables carry no GPU catalogue');
  const name = point.gpu?.device ?? '';
  const device = g.devices[name];
  if (!device) throw new UserError(`unknown GPU "${name}" (built-in: ${Object.keys(g.devices).sort().join(', ')})`, { field: 'gpu.device' });
  return { name, device };
}

function gpuPrecision(p: Precision, field: string): 'int8' | 'fp16' | 'fp32' {
  if ((GPU_PRECISIONS as readonly string[]).includes(p.name)) return p.name as 'int8' | 'fp16' | 'fp32';
  throw new UserError(`a GPU target runs ${GPU_PRECISIONS.join(', ')}, not ${p.name}`, { field });
}

/**
 * One kernel per layer on a roofline: max(ops / peak at the layer's precision, DRAM bytes / bandwidth) plus a
 * launch overhead. MAC layers use the tensor-core peak; element-wise work the CUDA-core fp32 rate. An
 * upper bound: real kernels reach a fraction of the peak, which the launch overhead only partly reflects.
 */
function layerSeconds(pl: PathLayer, d: GpuDevice, prec: 'int8' | 'fp16' | 'fp32'): { seconds: number; bytes: number; ops: number; bound: 'compute' | 'memory'; kernels: number } {
  const l = pl.layer;
  const p = pl.precision;
  const act = (e: number) => bytesOf(e, p.actBits);
  const executed = l.op === 'masked_conv' ? l.macs + l.zeroMacs : l.macs;
  const reads = pl.lowered?.inputReads ?? 1;
  const bytes = act(l.inElems * reads + l.outElems) + bytesOf(l.params, p.weightBits);
  const ops = 2 * executed;
  const mac = ops / (d.peakTops[prec] * 1e12);
  const elem = l.elemOps / (d.vectorTflops * 1e12);
  const mem = bytes / (d.memGBs * 1e9);
  // GDN/IGDN in CompressAI is a conv on x² plus an element-wise kernel: two launches.
  const kernels = l.op.includes('gdn') ? 2 : 1;
  const compute = mac + elem;
  return { seconds: Math.max(compute, mem) + kernels * d.launchUs * 1e-6, bytes, ops, bound: mem > compute ? 'memory' : 'compute', kernels };
}

/** Evaluate a model on a GPU roofline (pure); `platform` is the board the row is compared with. */
export function evaluateGpu(w: Workload, platform: Platform, point: Point, tables: CostTables): Estimate {
  const { name, device: d } = gpuDevice(point, tables);
  const base = gpuPrecision(parsePrecision(point.precision), 'precision');
  const plan = pathPlan(w, point, 'subpixel');
  const f = point.clockMHz * 1e6;
  const layers: LayerEstimate[] = [];
  let frameSec = 0;
  let serialSec = 0;
  let sliceSec = 0;
  let dramBytes = 0;
  let slowest: { id: string; seconds: number; bound: string } | undefined;
  let prevKernel = false;
  for (const pl of plan) {
    const l = pl.layer;
    if (pl.kind === 'cpu') { layers.push(passive(pl, 'cpu')); prevKernel = false; continue; }
    if ((FUSED_ACTIVATIONS.has(l.op) && prevKernel) || FREE_OPS.has(l.op)) {
      layers.push({ ...passive(pl, 'fused'), mapping: FREE_OPS.has(l.op) ? 'layout only' : 'fused into the previous kernel' });
      continue;
    }
    const prec = gpuPrecision(pl.precision, `layerPrecision.${pl.id}`);
    const t = layerSeconds(pl, d, prec);
    const positions = pl.serial ? l.outH * l.outW : 1;
    // At decode the context model runs one position at a time: every position launches its kernel.
    const seconds = pl.serial ? positions * (Math.max(t.seconds - t.kernels * d.launchUs * 1e-6, 0) / positions + t.kernels * d.launchUs * 1e-6) : t.seconds;
    if (pl.serial) serialSec += seconds; else frameSec += seconds;
    if (l.instance !== undefined) sliceSec += seconds;
    dramBytes += t.bytes;
    const peak = (l.macs > 0 ? d.peakTops[prec] : d.vectorTflops) * 1e12;
    const r = roofline(t.ops, t.bytes, peak, d.memGBs * 1e9);
    layers.push(layerRow(pl, t.ops / 2, Math.round(seconds * f), seconds * 1e3, pl.serial ? 'serial' : t.bound, r,
      seconds > 0 ? (2 * l.macs) / (seconds * peak) : 0, 0, 0, 0,
      `${name} ${l.macs > 0 ? `${prec} tensor` : 'CUDA cores'}, ${t.kernels * positions} kernel launch${t.kernels * positions > 1 ? 'es' : ''}`));
    if (!pl.serial && (!slowest || seconds > slowest.seconds)) slowest = { id: pl.id, seconds, bound: t.bound };
    prevKernel = true;
  }
  const sps = point.entropySymbolsPerSec ?? d.hostEntropySymbolsPerSec;
  const symbols = w.latents.reduce((s, x) => s + x.elements, 0);
  const entropySec = symbols / sps;
  const dec = decodeChain(w, plan, serialSec, sliceSec, sps, point.workload.path);
  const accel = Math.max(frameSec + (dec.serial ? 0 : serialSec), 1e-12);
  const period = Math.max(accel, entropySec, dec.chain);
  let bottleneck: string;
  if (dec.chain > 0 && period === dec.chain) bottleneck = dec.name;
  else if (period === entropySec && entropySec > accel) bottleneck = `entropy coder on the host CPU (${symbols} symbols at ${sps.toExponential(2)}/s)`;
  else bottleneck = slowest ? `layer ${slowest.id} (${slowest.bound})` : 'none';
  const usefulMacs = plan.filter((p) => p.kind === 'mac').reduce((s, p) => s + p.layer.macs, 0);
  const { resources, violations } = baselineResources({ dsp: 0, bram18: 0, uram: 0, lut: 0, ff: 0 }, null);
  return {
    model: w.model,
    variant: w.variant ?? null,
    platform: name,
    arch: 'gpu',
    path: point.workload.path,
    precision: base,
    clockMHz: point.clockMHz,
    resolution: w.resolution,
    fps: 1 / period,
    acceleratorFps: 1 / accel,
    latencyMs: (frameSec + (dec.serial ? dec.serial.seconds : serialSec) + entropySec) * 1e3,
    gops: (2 * usefulMacs) / accel / 1e9,
    peakGops: d.peakTops[base] * 1e3,
    bottleneck,
    feasible: violations.length === 0,
    violations,
    resources,
    bandwidth: { usedGBs: dramBytes / accel / 1e9, availableGBs: d.memGBs },
    entropy: { symbols, seconds: entropySec, symbolsPerSec: sps },
    serial: dec.serial,
    design: point,
    layers,
  };
}
