import type { DpuFamily, DpuSize } from '../platform/baselines.js';
import type { PathLayer } from './plan.js';

/** Where a layer runs when the model is compiled for the DPU, and why (quoted in the report). */
export type Placement =
  | { where: 'dpu'; how: 'conv' | 'depthwise' | 'deconv' | 'fc' | 'eltwise' | 'pool' }
  | { where: 'fused'; reason: string }
  | { where: 'cpu'; reason: string }
  | { where: 'entropy' }
  /** A GDN rewritten by hand: x², the C×C 1×1 conv and the product on the DPU, rsqrt (or 1/x) on the CPU. */
  | { where: 'split'; reason: string };

const inRange = (x: number, [lo, hi]: [number, number]) => x >= lo && x <= hi;
const UG = 'UG1414 v3.0 supported-operator table';

/**
 * The compiler's operator support (UG1414 v3.0 'Currently Supported Operators'; PG338/PG367 limits in
 * platforms/baselines/dpu.json). Anything outside it becomes a CPU subgraph, as xcompiler partitions it.
 * `prev` is where the previous layer of the path went: activations and layout ops follow their producer.
 */
export function placeLayer(pl: PathLayer, fam: DpuFamily, size: DpuSize, prev: Placement | undefined, gdn: 'cpu' | 'decompose' = 'cpu'): Placement {
  const l = pl.layer;
  const L = l.layer;
  const cp = size.icp;
  const followProducer = (what: string): Placement => (prev && prev.where === 'cpu' ? { where: 'cpu', reason: `${what} after a CPU layer stays on the CPU` } : { where: 'fused', reason: `${what} fused into the DPU producer` });
  if (pl.serial) return { where: 'cpu', reason: 'autoregressive context loop at decode: one DPU call per latent position is impractical, the loop runs on the CPU' };
  switch (l.op) {
    case 'conv':
    case 'masked_conv':
    case 'deconv': {
      const [kh, kw] = L.kernel!;
      const [sh, sw] = L.stride!;
      const g = L.groups ?? 1;
      const dec = l.op === 'deconv';
      const kr = dec ? fam.deconvKernel : fam.convKernel;
      const sr = dec ? fam.deconvStride : fam.convStride;
      if (!inRange(kh, kr) || !inRange(kw, kr)) return { where: 'cpu', reason: `kernel ${kh}x${kw} outside [${kr.join(', ')}] (${UG})` };
      if (!inRange(sh, sr) || !inRange(sw, sr)) return { where: 'cpu', reason: `stride ${sh}x${sw} outside [${sr.join(', ')}] (${UG})` };
      if (l.cout / g > fam.outChannelsPerCp * cp) return { where: 'cpu', reason: `output channels ${l.cout} > ${fam.outChannelsPerCp}·channel_parallel (${UG})` };
      if (!dec && kh * kw * Math.ceil(l.cin / g / cp) > fam.bankDepth) return { where: 'cpu', reason: `kernel_w·kernel_h·ceil(C_in/${cp}) > bank_depth ${fam.bankDepth} (${UG})` };
      const depthwise = g > 1 && g === l.cin && g === l.cout;
      return { where: 'dpu', how: dec ? 'deconv' : depthwise ? 'depthwise' : 'conv' };
    }
    case 'linear':
      return { where: 'dpu', how: 'conv' };
    case 'fc':
      return { where: 'dpu', how: 'fc' };
    case 'gdn':
    case 'igdn':
    case 'gdn_simplified':
    case 'igdn_simplified':
      if (gdn === 'decompose') return { where: 'split', reason: `${l.op.toUpperCase()} decomposed: x², γ·x² + β (1×1 conv) and the product on the DPU; ${l.op.startsWith('i') ? 'sqrt' : 'rsqrt'} has no DPU operator (${UG})` };
      return { where: 'cpu', reason: `${l.op.toUpperCase()}: no DPU operator for x², the C×C normalisation and rsqrt/division (${UG})` };
    case 'matmul':
      return { where: 'cpu', reason: `attention ${L.form === 'qk' ? 'Q·Kᵀ' : 'scores·V'}: activation × activation matmul is not a DPU operator (${UG})` };
    case 'softmax':
    case 'layer_norm':
    case 'gelu':
      return { where: 'cpu', reason: `${l.op}: not a DPUCZDX8G/DPUCAHX8H operator (${UG})` };
    case 'sigmoid':
      return { where: 'cpu', reason: `sigmoid: only hard-sigmoid is a DPU activation (${UG})` };
    case 'abs':
      return { where: 'cpu', reason: `abs: not a DPU operator (${UG})` };
    case 'leaky_relu':
      if (Math.abs((L.slope ?? 0.01) - fam.leakyReluSlope) > 1e-9) return { where: 'cpu', reason: `LeakyReLU slope ${L.slope ?? 0.01}: the DPU fixes alpha = 26/256 (${UG})` };
      return followProducer('LeakyReLU');
    case 'relu':
      return followProducer('ReLU');
    case 'concat':
    case 'slice':
      return followProducer(l.op);
    case 'pixel_unshuffle':
      return followProducer('reorg (pixel unshuffle)');
    case 'pixel_shuffle':
      return { where: 'cpu', reason: `pixel shuffle (depth-to-space): not in PG338's feature list (Reorg is space-to-depth)` };
    case 'add':
    case 'mul':
      return { where: 'dpu', how: 'eltwise' };
    case 'maxpool':
    case 'avgpool': {
      const [kh, kw] = L.kernel!;
      if (!inRange(kh, fam.poolKernel) || !inRange(kw, fam.poolKernel)) return { where: 'cpu', reason: `pool ${kh}x${kw} outside [${fam.poolKernel.join(', ')}] (PG367 Table 1)` };
      return { where: 'dpu', how: 'pool' };
    }
    case 'factorized_density':
      return { where: 'entropy' };
  }
}

/**
 * Cycles of one layer on one DPU core (engine): the array computes PP output pixels of a row × ICP input
 * channels × OCP output channels per cycle, so every dimension is rounded up to its parallelism
 * (PG338 'Architecture of the DPUCZDX8G'); depthwise runs at half the pixel parallelism (PG338 'DepthwiseConv');
 * a transposed conv runs as s² phase convolutions of ceil(K/s)² taps (the phase kernels padded to one size).
 */
export function dpuComputeCycles(pl: PathLayer, how: Extract<Placement, { where: 'dpu' }>['how'], fam: DpuFamily, size: DpuSize): number {
  const l = pl.layer;
  const L = l.layer;
  const { pp, icp, ocp } = size;
  const c = Math.ceil;
  switch (how) {
    case 'conv': {
      const g = L.groups ?? 1;
      const [kh, kw] = l.op === 'linear' ? [1, 1] : L.kernel!;
      return g * l.outH * c(l.outW / pp) * c(l.cin / g / icp) * c(l.cout / g / ocp) * kh * kw;
    }
    case 'depthwise': {
      const [kh, kw] = L.kernel!;
      const dwPixels = Math.max(1, Math.floor(pp * fam.depthwisePixelFactor));
      return l.outH * c(l.outW / dwPixels) * c(l.cout / icp) * kh * kw;
    }
    case 'deconv': {
      const g = L.groups ?? 1;
      const [kh, kw] = L.kernel!;
      const [sh, sw] = L.stride!;
      return sh * sw * g * l.inH * c(l.inW / pp) * c(l.cin / g / icp) * c(l.cout / g / ocp) * c(kh / sh) * c(kw / sw);
    }
    case 'fc':
      return c(l.cin / icp) * c(l.cout / ocp);
    case 'eltwise':
    case 'pool': {
      const taps = how === 'pool' ? L.kernel![0] * L.kernel![1] : 1;
      return l.outH * c(l.outW / pp) * c(l.cout / icp) * taps;
    }
  }
}
