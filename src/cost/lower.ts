import type { WorkloadLayer } from '../workload/types.js';

/**
 * Every MAC layer lowered to one loop nest the templates understand (Zhang'15's conv loop):
 * `groups` independent nests of M output × N input channels over an R×C output grid with `taps` kernel
 * taps per output; the input tile of a tr×tc output tile spans ((tr−1)·S+kh)×((tc−1)·S+kw).
 */
export interface Lowered {
  groups: number;
  M: number;
  N: number;
  R: number;
  C: number;
  kh: number;
  kw: number;
  S: number;
  /** Taps executed per output position and channel pair. */
  taps: number;
  /** Input grid (for clamping tiles). */
  inH: number;
  inW: number;
  /** Elements of the second operand per group: weights, or an activation (attention's K and V). */
  weightElems: number;
  secondIsActivation: boolean;
  /** For an activation second operand: its elements per output position scale with tn ('N') or tm ('M'). */
  secondDim?: 'N' | 'M';
  /** How often the input is read (GDN reads x for x² and again for the scaling: DESIGN.md §3). */
  inputReads: number;
  /** Output elements per computed grid position and output channel (s² for a sub-pixel deconv). */
  outPerPosition: number;
  usefulMacs: number;
  /** Attention: the activation operand of one row of windows, held on chip by a pipeline stage. */
  rowBufferElems?: number;
  /** GDN kind whose normalisation unit (squarer or |x|, scale table) the stage carries (cost/norm.ts). */
  norm?: 'gdn' | 'igdn' | 'gdn_simplified' | 'igdn_simplified';
}

export type DeconvLowering = 'subpixel' | 'zero-insert';

/** The op kinds that run on the MAC array; everything else is fused into its producer or runs on the CPU. */
export const MAC_OPS = new Set(['conv', 'masked_conv', 'deconv', 'gdn', 'igdn', 'gdn_simplified', 'igdn_simplified', 'linear', 'matmul', 'fc']);
export const CPU_OPS = new Set(['factorized_density']);

/** Lower a MAC layer; undefined for fused element-wise layers and CPU-side layers. */
export function lower(l: WorkloadLayer, deconv: DeconvLowering, opts: { maskedSkip?: boolean } = {}): Lowered | undefined {
  const L = l.layer;
  switch (l.op) {
    case 'conv':
    case 'masked_conv': {
      const g = L.groups ?? 1;
      const [kh, kw] = L.kernel!;
      const taps = l.op === 'masked_conv' && opts.maskedSkip ? l.macs / (l.outH * l.outW * l.cout * (l.cin / g)) : kh * kw;
      return {
        groups: g, M: l.cout / g, N: l.cin / g, R: l.outH, C: l.outW, kh, kw, S: L.stride![0], taps,
        inH: l.inH, inW: l.inW, weightElems: (l.cout / g) * (l.cin / g) * kh * kw, secondIsActivation: false,
        inputReads: 1, outPerPosition: 1, usefulMacs: l.macs,
      };
    }
    case 'deconv': {
      const g = L.groups ?? 1;
      const [kh, kw] = L.kernel!;
      const [sh, sw] = L.stride!;
      const base = { groups: g, M: l.cout / g, N: l.cin / g, weightElems: (l.cout / g) * (l.cin / g) * kh * kw, secondIsActivation: false, inputReads: 1, usefulMacs: l.macs };
      if (deconv === 'subpixel') {
        // s² phase convolutions on the input grid whose taps add up to K² (X-LIC): exactly the useful MACs.
        return { ...base, R: l.inH, C: l.inW, kh: Math.ceil(kh / sh), kw: Math.ceil(kw / sw), S: 1, taps: kh * kw, inH: l.inH, inW: l.inW, outPerPosition: sh * sw };
      }
      // A stride-1 conv over the zero-inserted map: K² taps at every output position, s² × the useful MACs.
      return { ...base, R: l.outH, C: l.outW, kh, kw, S: 1, taps: kh * kw, inH: l.outH, inW: l.outW, outPerPosition: 1 };
    }
    case 'gdn':
    case 'igdn':
    case 'gdn_simplified':
    case 'igdn_simplified':
      return {
        groups: 1, M: l.cout, N: l.cin, R: l.outH, C: l.outW, kh: 1, kw: 1, S: 1, taps: 1, inH: l.inH, inW: l.inW,
        weightElems: l.cin * l.cout, secondIsActivation: false, inputReads: 2, outPerPosition: 1, usefulMacs: l.macs, norm: l.op,
      };
    case 'linear':
      return {
        groups: 1, M: l.cout, N: l.cin, R: l.outH, C: l.outW, kh: 1, kw: 1, S: 1, taps: 1, inH: l.inH, inW: l.inW,
        weightElems: l.cin * l.cout, secondIsActivation: false, inputReads: 1, outPerPosition: 1, usefulMacs: l.macs,
      };
    case 'fc':
      return {
        groups: 1, M: l.cout, N: l.cin, R: 1, C: 1, kh: 1, kw: 1, S: 1, taps: 1, inH: 1, inW: 1,
        weightElems: l.cin * l.cout, secondIsActivation: false, inputReads: 1, outPerPosition: 1, usefulMacs: l.macs,
      };
    case 'matmul': {
      // Per head and window: qk is (N×d)·(d×N), av is (N×N)·(N×d), N = window², d = dim/heads.
      const heads = L.heads!;
      const n = L.window! * L.window!;
      const d = L.dim! / heads;
      const tokens = Math.ceil(l.inH / L.window!) * L.window! * Math.ceil(l.inW / L.window!) * L.window!;
      const [M, N] = L.form === 'qk' ? [n, d] : [d, n];
      const rowBufferElems = L.window! * Math.ceil(l.inW / L.window!) * L.window! * L.dim!;
      return {
        groups: heads, M, N, R: tokens, C: 1, kh: 1, kw: 1, S: 1, taps: 1, inH: tokens, inW: 1,
        weightElems: tokens * d, secondIsActivation: true, secondDim: L.form === 'qk' ? 'N' : 'M', inputReads: 1, outPerPosition: 1, usefulMacs: l.macs, rowBufferElems,
      };
    }
    default:
      return undefined;
  }
}
