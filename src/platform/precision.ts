import { UserError } from '../errors.js';

export interface Precision {
  /** Canonical name: int8, int16, fp32, fp16 or wXaY. */
  name: string;
  kind: 'int' | 'float';
  weightBits: number;
  actBits: number;
  accBits: number;
}

const FLOATS: Record<string, Precision> = {
  fp32: { name: 'fp32', kind: 'float', weightBits: 32, actBits: 32, accBits: 32 },
  float32: { name: 'fp32', kind: 'float', weightBits: 32, actBits: 32, accBits: 32 },
  fp16: { name: 'fp16', kind: 'float', weightBits: 16, actBits: 16, accBits: 16 },
  float16: { name: 'fp16', kind: 'float', weightBits: 16, actBits: 16, accBits: 16 },
};

/**
 * Accumulator wide enough for a sum of 2^16 products without overflow (w + a + 16 bits, at least 32 for int8).
 * A K=9, C=192 layer sums 15,552 products, below 2^14.
 */
const acc = (w: number, a: number) => Math.max(32, w + a + 16);

export const PRECISION_HELP = 'int4, int8, int16, wXaY (X,Y in 2..32, e.g. w8a16), fp16, fp32';

/** Parse a precision name: int8 (=w8a8), int16, w4a8, w8a16, fp16, fp32. */
export function parsePrecision(name: string, field = 'precision'): Precision {
  const n = name.trim().toLowerCase();
  if (FLOATS[n]) return { ...FLOATS[n] };
  let m = /^int(\d+)$/.exec(n);
  if (m) {
    const b = Number(m[1]);
    if (b >= 2 && b <= 32) return { name: `int${b}`, kind: 'int', weightBits: b, actBits: b, accBits: acc(b, b) };
  }
  m = /^w(\d+)a(\d+)$/.exec(n);
  if (m) {
    const w = Number(m[1]);
    const a = Number(m[2]);
    if (w >= 2 && w <= 32 && a >= 2 && a <= 32) {
      const canon = w === a ? `int${w}` : `w${w}a${a}`;
      return { name: canon, kind: 'int', weightBits: w, actBits: a, accBits: acc(w, a) };
    }
  }
  throw new UserError(`unknown precision "${name}" (allowed: ${PRECISION_HELP})`, { field });
}

export const bytesOf = (elems: number, bits: number) => (elems * bits) / 8;
