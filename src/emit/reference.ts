import { INPUT, type RefLayer } from './ir.js';
import type { LayerParams } from './params.js';
import { ACT_ABS, ACT_LEAKY, ACT_NONE, ACT_RELU, activate, gdnApply, gdnOperand, requant, sat8, type GdnKind } from './quant.js';

/**
 * The TypeScript reference of the emitted hardware: the quantised forward pass of a part's layers on int8
 * tensors in C×H×W order, one model layer at a time (quant.ts defines the arithmetic). Pure: the same layers,
 * parameters and input give the same tensors, which become the golden vectors of the emitted testbench.
 */

export type Tensors = Map<string, Int8Array>;

function conv(l: RefLayer, x: Int8Array, p: LayerParams): Int8Array {
  const { c: N, h: IH, w: IW } = l.in;
  const { c: M, h: OH, w: OW } = l.out;
  const { kh: KH, kw: KW, sh: SH, sw: SW, padT, padL } = l;
  const W = p.weights!;
  const B = p.bias!;
  const y = new Int8Array(M * OH * OW);
  const acc = new Float64Array(OW);
  for (let m = 0; m < M; m++) {
    for (let oy = 0; oy < OH; oy++) {
      acc.fill(B[m]);
      for (let n = 0; n < N; n++) {
        for (let ky = 0; ky < KH; ky++) {
          const iy = oy * SH - padT + ky;
          if (iy < 0 || iy >= IH) continue;
          const row = (n * IH + iy) * IW;
          for (let kx = 0; kx < KW; kx++) {
            const wv = W[((m * N + n) * KH + ky) * KW + kx];
            if (wv === 0) continue;
            // ox with 0 <= ox·SW − padL + kx < IW
            const lo = Math.max(0, Math.ceil((padL - kx) / SW));
            const hi = Math.min(OW - 1, Math.floor((IW - 1 + padL - kx) / SW));
            let ix = row + lo * SW - padL + kx;
            for (let ox = lo; ox <= hi; ox++, ix += SW) acc[ox] += wv * x[ix];
          }
        }
      }
      const o = (m * OH + oy) * OW;
      for (let ox = 0; ox < OW; ox++) y[o + ox] = requant(acc[ox], l.shift, ACT_NONE, 0);
    }
  }
  return y;
}

/** Transposed conv: out[m][o] += W[n][m][k]·x[n][i] wherever o = i·s + k − P, in both dimensions. */
function deconv(l: RefLayer, x: Int8Array, p: LayerParams): Int8Array {
  const { c: N, h: IH, w: IW } = l.in;
  const { c: M, h: OH, w: OW } = l.out;
  const { kh: KH, kw: KW, sh: SH, sw: SW, padT, padL } = l;
  const W = p.weights!;
  const B = p.bias!;
  const acc = new Float64Array(M * OH * OW);
  for (let m = 0; m < M; m++) acc.fill(B[m], m * OH * OW, (m + 1) * OH * OW);
  for (let n = 0; n < N; n++) {
    for (let iy = 0; iy < IH; iy++) {
      for (let ky = 0; ky < KH; ky++) {
        const oy = iy * SH + ky - padT;
        if (oy < 0 || oy >= OH) continue;
        for (let kx = 0; kx < KW; kx++) {
          for (let m = 0; m < M; m++) {
            const wv = W[((n * M + m) * KH + ky) * KW + kx];
            if (wv === 0) continue;
            const orow = (m * OH + oy) * OW;
            const irow = (n * IH + iy) * IW;
            // ix with 0 <= ix·SW + kx − padL < OW
            const lo = Math.max(0, Math.ceil((padL - kx) / SW));
            const hi = Math.min(IW - 1, Math.floor((OW - 1 + padL - kx) / SW));
            let ox = orow + lo * SW + kx - padL;
            for (let ix = lo; ix <= hi; ix++, ox += SW) acc[ox] += wv * x[irow + ix];
          }
        }
      }
    }
  }
  const y = new Int8Array(M * OH * OW);
  for (let i = 0; i < y.length; i++) y[i] = requant(acc[i], l.shift, ACT_NONE, 0);
  return y;
}

/** y_i = f(x_i, beta_i + Σ_j gamma_ij·op(x_j)) at every pixel. */
function gdn(l: RefLayer, x: Int8Array, p: LayerParams): Int8Array {
  const kind = l.op as GdnKind;
  const { c: C, h: H, w: Wd } = l.in;
  const HW = H * Wd;
  const G = p.weights!;
  const beta = p.bias!;
  const op = new Float64Array(C * HW);
  for (let i = 0; i < op.length; i++) op[i] = gdnOperand(kind, x[i]);
  const y = new Int8Array(C * HW);
  const norm = new Float64Array(HW);
  for (let i = 0; i < C; i++) {
    norm.fill(beta[i]);
    for (let j = 0; j < C; j++) {
      const g = G[i * C + j];
      if (g === 0) continue;
      const base = j * HW;
      for (let q = 0; q < HW; q++) norm[q] += g * op[base + q];
    }
    for (let q = 0; q < HW; q++) y[i * HW + q] = gdnApply(kind, x[i * HW + q], norm[q]);
  }
  return y;
}

function pixelShuffle(l: RefLayer, x: Int8Array): Int8Array {
  const r = l.factor;
  const { c: C, h: H, w: Wd } = l.out;
  const IH = l.in.h;
  const IW = l.in.w;
  const y = new Int8Array(C * H * Wd);
  for (let c = 0; c < C; c++) {
    for (let oy = 0; oy < H; oy++) {
      for (let ox = 0; ox < Wd; ox++) {
        const ic = c * r * r + (oy % r) * r + (ox % r);
        y[(c * H + oy) * Wd + ox] = x[(ic * IH + Math.floor(oy / r)) * IW + Math.floor(ox / r)];
      }
    }
  }
  return y;
}

const UNARY: Record<string, number> = { relu: ACT_RELU, leaky_relu: ACT_LEAKY, abs: ACT_ABS };

/** One layer on its input tensors. */
export function refLayerForward(l: RefLayer, xs: Int8Array[], p: LayerParams): Int8Array {
  switch (l.op) {
    case 'conv':
      return conv(l, xs[0], p);
    case 'deconv':
      return deconv(l, xs[0], p);
    case 'gdn':
    case 'igdn':
    case 'gdn_simplified':
    case 'igdn_simplified':
      return gdn(l, xs[0], p);
    case 'add': {
      const [a, b] = xs;
      const y = new Int8Array(a.length);
      for (let i = 0; i < a.length; i++) y[i] = sat8(a[i] + b[i]);
      return y;
    }
    case 'pixel_shuffle':
      return pixelShuffle(l, xs[0]);
    default: {
      const act = UNARY[l.op];
      const x = xs[0];
      const y = new Int8Array(x.length);
      for (let i = 0; i < x.length; i++) y[i] = activate(x[i], act, l.slopeQ8);
      return y;
    }
  }
}

/** Every layer's output (and the input under INPUT), in model order. */
export function referenceForward(layers: RefLayer[], input: Int8Array, params: Map<string, LayerParams>, onLayer?: (done: number, id: string) => void): Tensors {
  const t: Tensors = new Map([[INPUT, input]]);
  layers.forEach((l, k) => {
    t.set(l.id, refLayerForward(l, l.inputs.map((r) => t.get(r)!), params.get(l.id) ?? {}));
    onLayer?.(k + 1, l.id);
  });
  return t;
}
