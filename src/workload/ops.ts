import type { LayerCounts, ResolvedLayer, Shape } from './types.js';

/** A shape error inside one layer; the caller adds the file and the layer name. */
export class ShapeError extends Error {}

const elems = (s: Shape) => s.c * s.h * s.w;

function convOut(n: number, k: number, s: number, p: number, d: number): number {
  return Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1;
}

function spatialConv(l: ResolvedLayer, x: Shape): { h: number; w: number } {
  const [kh, kw] = l.kernel!;
  const [sh, sw] = l.stride!;
  const [dh, dw] = l.dilation!;
  if (l.padding === 'same') return { h: Math.ceil(x.h / sh), w: Math.ceil(x.w / sw) };
  const [ph, pw] = l.padding!;
  const effH = dh * (kh - 1) + 1;
  const effW = dw * (kw - 1) + 1;
  if (x.h + 2 * ph < effH || x.w + 2 * pw < effW) {
    throw new ShapeError(`kernel ${kh}×${kw} is larger than the padded input ${x.h + 2 * ph}×${x.w + 2 * pw}`);
  }
  return { h: convOut(x.h, kh, sh, ph, dh), w: convOut(x.w, kw, sw, pw, dw) };
}

function checkGroups(l: ResolvedLayer, cin: number) {
  const g = l.groups ?? 1;
  if (cin % g !== 0 || l.cout! % g !== 0) {
    throw new ShapeError(`groups ${g} must divide C_in ${cin} and C_out ${l.cout}`);
  }
  return g;
}

function sameSpatial(xs: Shape[], what: string) {
  const [a] = xs;
  for (const b of xs) {
    if (b.h !== a.h || b.w !== a.w) throw new ShapeError(`${what} inputs differ in size: ${a.h}×${a.w} vs ${b.h}×${b.w}`);
  }
}

/** Masked-convolution taps that are not zero: the raster-scan causal half of the kernel (Minnen 2018). */
export function maskedTaps(kh: number, kw: number, mask: 'A' | 'B'): number {
  const centre = Math.floor(kh / 2) * kw + Math.floor(kw / 2);
  return centre + (mask === 'B' ? 1 : 0);
}

/**
 * Output shape and counts of one layer. Each op owns its own formula (DESIGN.md §3):
 * conv MACs = Hout·Wout·Cout·(Cin/g)·K²; a transposed conv counts its useful MACs over input positions
 * (Hin·Win·Cin·Cout·K²/g) and reports the zero-insertion lowering's extra (s²−1)× separately.
 */
export function layerCounts(l: ResolvedLayer, xs: Shape[]): LayerCounts {
  const x = xs[0];
  const same = (out: Shape, elemOpsPer = 1, params = 0): LayerCounts => ({
    out, macs: 0, zeroMacs: 0, elemOps: elemOpsPer * elems(out), params,
  });
  switch (l.op) {
    case 'conv':
    case 'masked_conv': {
      const g = checkGroups(l, x.c);
      const { h, w } = spatialConv(l, x);
      const [kh, kw] = l.kernel!;
      const taps = l.op === 'masked_conv' ? maskedTaps(kh, kw, l.mask ?? 'A') : kh * kw;
      const perOut = (x.c / g) * taps;
      const macs = h * w * l.cout! * perOut;
      const dense = h * w * l.cout! * (x.c / g) * kh * kw;
      const params = l.cout! * (x.c / g) * kh * kw + (l.bias ? l.cout! : 0);
      return { out: { c: l.cout!, h, w }, macs, zeroMacs: dense - macs, elemOps: 0, params };
    }
    case 'deconv': {
      const g = checkGroups(l, x.c);
      const [kh, kw] = l.kernel!;
      const [sh, sw] = l.stride!;
      let h: number;
      let w: number;
      if (l.padding === 'same') {
        h = x.h * sh;
        w = x.w * sw;
      } else {
        const [ph, pw] = l.padding!;
        const [dh, dw] = l.dilation!;
        const [oh, ow] = l.outputPadding!;
        h = (x.h - 1) * sh - 2 * ph + dh * (kh - 1) + oh + 1;
        w = (x.w - 1) * sw - 2 * pw + dw * (kw - 1) + ow + 1;
        if (h < 1 || w < 1) throw new ShapeError(`output ${h}×${w} is empty`);
      }
      const macs = x.h * x.w * x.c * (l.cout! / g) * kh * kw;
      const params = x.c * (l.cout! / g) * kh * kw + (l.bias ? l.cout! : 0);
      return { out: { c: l.cout!, h, w }, macs, zeroMacs: (sh * sw - 1) * macs, elemOps: 0, params };
    }
    case 'gdn':
    case 'igdn':
    case 'gdn_simplified':
    case 'igdn_simplified': {
      // y = x / sqrt(beta + gamma·x²): a C×C 1×1 product on x² (|x| for the simplified form) plus
      // per-element square, rsqrt (or division) and multiply.
      const perElem = l.op.endsWith('simplified') ? 2 : 3;
      return { out: x, macs: x.h * x.w * x.c * x.c, zeroMacs: 0, elemOps: perElem * elems(x), params: x.c + x.c * x.c };
    }
    case 'relu':
    case 'leaky_relu':
    case 'sigmoid':
    case 'abs':
      return same(x);
    case 'gelu':
      return same(x, 8);
    case 'softmax':
      return same(x, 3);
    case 'layer_norm':
      return same(x, 5, 2 * x.c);
    case 'add':
    case 'mul': {
      const [a, b] = xs;
      if (a.c !== b.c || a.h !== b.h || a.w !== b.w) {
        throw new ShapeError(`${l.op} of ${a.c}×${a.h}×${a.w} and ${b.c}×${b.h}×${b.w}: shapes must match`);
      }
      return same(a);
    }
    case 'concat': {
      sameSpatial(xs, 'concat');
      return { out: { c: xs.reduce((s, t) => s + t.c, 0), h: x.h, w: x.w }, macs: 0, zeroMacs: 0, elemOps: 0, params: 0 };
    }
    case 'slice': {
      const { start, end } = l as Required<Pick<ResolvedLayer, 'start' | 'end'>>;
      if (!(start >= 0 && end > start && end <= x.c)) throw new ShapeError(`channels [${start}, ${end}) outside 0..${x.c}`);
      return { out: { c: end - start, h: x.h, w: x.w }, macs: 0, zeroMacs: 0, elemOps: 0, params: 0 };
    }
    case 'pixel_shuffle': {
      const r = l.factor!;
      if (x.c % (r * r) !== 0) throw new ShapeError(`pixel shuffle ×${r} needs C_in divisible by ${r * r}, got ${x.c}`);
      return { out: { c: x.c / (r * r), h: x.h * r, w: x.w * r }, macs: 0, zeroMacs: 0, elemOps: 0, params: 0 };
    }
    case 'pixel_unshuffle': {
      const r = l.factor!;
      if (x.h % r !== 0 || x.w % r !== 0) throw new ShapeError(`pixel unshuffle ×${r} needs H and W divisible by ${r}, got ${x.h}×${x.w}`);
      return { out: { c: x.c * r * r, h: x.h / r, w: x.w / r }, macs: 0, zeroMacs: 0, elemOps: 0, params: 0 };
    }
    case 'linear': {
      const params = x.c * l.cout! + (l.bias ? l.cout! : 0);
      return { out: { c: l.cout!, h: x.h, w: x.w }, macs: x.h * x.w * x.c * l.cout!, zeroMacs: 0, elemOps: 0, params };
    }
    case 'matmul': {
      const { dim, heads, window: ws } = l as Required<Pick<ResolvedLayer, 'dim' | 'heads' | 'window'>>;
      if (dim % heads !== 0) throw new ShapeError(`dim ${dim} is not divisible by heads ${heads}`);
      const want = l.form === 'qk' ? 3 * dim : heads * ws * ws;
      if (x.c !== want) throw new ShapeError(`${l.form} matmul expects ${want} input channels, got ${x.c}`);
      // Windows tile the map after padding it up to a multiple of the window (Swin's habit).
      const hp = Math.ceil(x.h / ws) * ws;
      const wp = Math.ceil(x.w / ws) * ws;
      const macs = hp * wp * ws * ws * dim;
      const c = l.form === 'qk' ? heads * ws * ws : dim;
      const params = l.relativePositionBias ? (2 * ws - 1) * (2 * ws - 1) * heads : 0;
      return { out: { c, h: x.h, w: x.w }, macs, zeroMacs: (hp * wp - x.h * x.w) * ws * ws * dim, elemOps: 0, params };
    }
    case 'maxpool':
    case 'avgpool': {
      const [kh, kw] = l.kernel!;
      const [sh, sw] = l.stride!;
      const [ph, pw] = l.padding === 'same' ? [0, 0] : l.padding!;
      const round = l.ceilMode ? Math.ceil : Math.floor;
      if (x.h + 2 * ph < kh || x.w + 2 * pw < kw) throw new ShapeError(`pool ${kh}×${kw} is larger than the input ${x.h}×${x.w}`);
      const h = l.padding === 'same' ? Math.ceil(x.h / sh) : round((x.h + 2 * ph - kh) / sh) + 1;
      const w = l.padding === 'same' ? Math.ceil(x.w / sw) : round((x.w + 2 * pw - kw) / sw) + 1;
      return { out: { c: x.c, h, w }, macs: 0, zeroMacs: 0, elemOps: x.c * h * w * kh * kw, params: 0 };
    }
    case 'factorized_density': {
      // Per channel: matrices d_k×d_{k+1}, biases d_{k+1}, factors for every hidden layer, over dims [1, ...filters, 1].
      const d = [1, ...l.filters!, 1];
      let per = 0;
      for (let k = 0; k + 1 < d.length; k++) per += d[k] * d[k + 1] + d[k + 1] + (k + 2 < d.length ? d[k + 1] : 0);
      if (l.quantiles) per += 3;
      // At inference the coder looks each symbol up in a CDF table: one operation per element.
      return same(x, 1, x.c * per);
    }
    case 'fc': {
      const cin = elems(x);
      return { out: { c: l.cout!, h: 1, w: 1 }, macs: cin * l.cout!, zeroMacs: 0, elemOps: 0, params: cin * l.cout! + (l.bias ? l.cout! : 0) };
    }
  }
}

/** Spatial down-sampling factor of one layer (>1 shrinks, <1 grows); used to find the model's total stride. */
export function strideFactor(l: ResolvedLayer): number {
  switch (l.op) {
    case 'conv':
    case 'masked_conv':
    case 'maxpool':
    case 'avgpool':
      return l.stride![0];
    case 'deconv':
      return 1 / l.stride![0];
    case 'pixel_shuffle':
      return 1 / l.factor!;
    case 'pixel_unshuffle':
      return l.factor!;
    default:
      return 1;
  }
}
