import { GAMMA_MAX, GDN_KINDS, GDN_ONE, GDNS_ONE } from './quant.js';
import type { RefLayer, TensorShape } from './ir.js';
import { mulberry32 } from '../util/prng.js';

/**
 * Seeded random weights and input: mulberry32 streams keyed by FNV-1a of "seed:layer:role", so each tensor
 * is reproducible on its own and adding a layer does not change the others.
 */

export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}


/** Integers uniform in [lo, hi] (hi − lo < 2^32). */
function uniform(seed: number, key: string, n: number, lo: number, hi: number): number[] {
  const next = mulberry32(fnv1a(`${seed}:${key}`));
  const span = hi - lo + 1;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = lo + (next() % span);
  return out;
}

export interface LayerParams {
  /** conv: [cout][cin][kh][kw]; deconv: [cin][cout][kh][kw] (PyTorch layouts); GDN: gamma [c][c]. */
  weights?: Int8Array;
  /** conv/deconv bias (zeros without bias); GDN beta. */
  bias?: Int32Array;
}

/** Largest random gamma for C channels: Σ_j gamma·x² stays near x² whatever the width (GAMMA_MAX at most). */
export const gammaMax = (c: number) => Math.max(1, Math.min(GAMMA_MAX, Math.floor(256 / c)));

export function inputTensor(seed: number, s: TensorShape): Int8Array {
  return Int8Array.from(uniform(seed, 'input', s.c * s.h * s.w, -128, 127));
}

export function layerParams(seed: number, l: RefLayer): LayerParams {
  if (l.op === 'conv' || l.op === 'deconv') {
    const n = l.in.c * l.out.c * l.kh * l.kw;
    const weights = Int8Array.from(uniform(seed, `${l.id}:w`, n, -127, 127));
    const b = 2 ** (l.shift + 1);
    const bias = l.bias ? Int32Array.from(uniform(seed, `${l.id}:b`, l.out.c, -b, b)) : new Int32Array(l.out.c);
    return { weights, bias };
  }
  if ((GDN_KINDS as string[]).includes(l.op)) {
    const c = l.in.c;
    const one = l.op.endsWith('simplified') ? GDNS_ONE : GDN_ONE;
    return {
      weights: Int8Array.from(uniform(seed, `${l.id}:gamma`, c * c, 0, gammaMax(c))),
      bias: Int32Array.from(uniform(seed, `${l.id}:beta`, c, one, 2 * one - 1)),
    };
  }
  return {};
}
