/**
 * The quantised arithmetic of the emitted HLS projects, defined once. The C++ in hls-templates/common/lic_quant.h
 * implements exactly these integer operations; the golden vectors of every emitted testbench come from here.
 *
 * - Activations and weights are int8, products are accumulated in int32 (a 32-bit bias starts the sum).
 * - Requantisation after a convolution: a per-layer power-of-two right shift with round-half-up
 *   (add 2^(shift-1), then an arithmetic shift), then saturation to [-128, 127]. The shift is chosen from the
 *   layer's fan-in F (see `requantShift`), so that random int8 data stays in range from layer to layer.
 * - Activations after saturation: ReLU max(v, 0); LeakyReLU v < 0 ? (v·s) >> 8 : v with the slope in Q0.8
 *   (s = round(slope·256), 3 for PyTorch's 0.01; the shift floors); abs saturates |−128| to 127.
 * - Residual add: saturate(a + b). Pixel shuffle: a permutation (PyTorch's order).
 * - GDN / IGDN (Ballé 2016) in integers: activations are read as Q3.4 (x/16), gamma as Q0.8, so
 *   n = beta + Σ_j gamma_ij·x_j² carries 16 fractional bits (beta = 65536 is 1.0). n is normalised to a
 *   mantissa m ∈ [128, 512) and an even exponent e (n ≈ m·2^e); then
 *     GDN:  y = x·RSQRT[m] >> (7 + e/2),  RSQRT[m] = ⌊2^15/√m⌋   (≈ x/√n_real)
 *     IGDN: y = x·SQRT[m]  >> (16 − e/2), SQRT[m]  = ⌊256·√m⌋     (≈ x·√n_real)
 *   The simplified forms (Johnston et al. 2019) use |x| instead of x² and 12 fractional bits (beta = 4096 is 1.0):
 *     GDN-simplified:  y = x·RECIP[m] >> (11 + e), m ∈ [256, 512), RECIP[m] = ⌊2^23/m⌋  (≈ x/n_real)
 *     IGDN-simplified: y = x·n >> 12                                                    (exact x·n_real)
 *   Truncating n to its mantissa and flooring the tables keeps the relative error of the scale factor below
 *   2^-7 (then the result is rounded to an integer).
 *   Every shift rounds half up and every result saturates to int8. The tables are built with integer square
 *   roots (BigInt), so they are exact and identical wherever they are built.
 * Everything here stays below 2^53, so JavaScript numbers compute it exactly.
 */

export const ACT_NONE = 0;
export const ACT_RELU = 1;
export const ACT_LEAKY = 2;
export const ACT_ABS = 3;
export type ActCode = typeof ACT_NONE | typeof ACT_RELU | typeof ACT_LEAKY | typeof ACT_ABS;

/** Fractional bits: activations as GDN reads them, gamma, and the resulting norm. */
export const GDN_XF = 4;
export const GDN_GF = 8;
/** beta that means 1.0: 2^(GF+2·XF) for GDN/IGDN, 2^(GF+XF) for the simplified forms. */
export const GDN_ONE = 2 ** (GDN_GF + 2 * GDN_XF);
export const GDNS_ONE = 2 ** (GDN_GF + GDN_XF);
/** Largest gamma the emitter generates (keeps Σ gamma·x² within int32 for up to 2048 channels). */
export const GAMMA_MAX = 31;

export const sat8 = (v: number) => (v > 127 ? 127 : v < -128 ? -128 : v);

/** v·2^-sh rounded half up (sh > 0), v·2^-sh exactly (sh ≤ 0): the arithmetic shift of the C++. */
export function roundShift(v: number, sh: number): number {
  if (sh > 0) return Math.floor((v + 2 ** (sh - 1)) / 2 ** sh);
  if (sh < 0) return v * 2 ** -sh;
  return v;
}

/** Q0.8 slope of a LeakyReLU. */
export const leakySlopeQ8 = (slope: number) => Math.max(0, Math.min(256, Math.round(slope * 256)));

export function activate(v: number, act: number, slopeQ8: number): number {
  switch (act) {
    case ACT_RELU:
      return v < 0 ? 0 : v;
    case ACT_LEAKY:
      return v < 0 ? Math.floor((v * slopeQ8) / 256) : v;
    case ACT_ABS:
      return v < 0 ? Math.min(127, -v) : v;
    default:
      return v;
  }
}

/** Conv / deconv output: round-half-up shift, saturate, activation. */
export const requant = (acc: number, shift: number, act: number, slopeQ8: number) => activate(sat8(roundShift(acc, shift)), act, slopeQ8);

/**
 * Requantisation shift from the fan-in F (products per output): random int8 operands give an accumulator of
 * standard deviation ≈ √F·2^12.4; 6 + ⌈log2(F)/2⌉ brings it back to ≈ 2^5 or a little below.
 */
export const requantShift = (fanIn: number) => 6 + Math.ceil(Math.log2(Math.max(1, fanIn)) / 2);

/** Bit length of a positive integer below 2^32. */
export const bitLength = (n: number) => 32 - Math.clz32(n);

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = n;
  let y = (x + 1n) >> 1n;
  while (y < x) {
    x = y;
    y = (x + n / x) >> 1n;
  }
  return x;
}

export interface GdnTables {
  /** Index m − 128, m ∈ [128, 512): ⌊2^15/√m⌋ and ⌊256·√m⌋. */
  rsqrt: number[];
  sqrt: number[];
  /** Index m − 256, m ∈ [256, 512): ⌊2^23/m⌋. */
  recip: number[];
}

let tables: GdnTables | undefined;
export function gdnTables(): GdnTables {
  if (tables) return tables;
  const rsqrt: number[] = [];
  const sqrt: number[] = [];
  const recip: number[] = [];
  for (let m = 128; m < 512; m++) {
    rsqrt.push(Number(isqrt((1n << 30n) / BigInt(m))));
    sqrt.push(Number(isqrt(BigInt(m) << 16n)));
  }
  for (let m = 256; m < 512; m++) recip.push(Math.floor(2 ** 23 / m));
  tables = { rsqrt, sqrt, recip };
  return tables;
}

export type GdnKind = 'gdn' | 'igdn' | 'gdn_simplified' | 'igdn_simplified';
export const GDN_KINDS: GdnKind[] = ['gdn', 'igdn', 'gdn_simplified', 'igdn_simplified'];

/** The operand the C×C product of a GDN sees: x² (GDN/IGDN) or |x| (simplified forms). */
export const gdnOperand = (kind: GdnKind, x: number) => (kind === 'gdn' || kind === 'igdn' ? x * x : x < 0 ? -x : x);

/** y from x and its norm n = beta + Σ gamma·operand (n ≥ 1; smaller values are treated as 1). */
export function gdnApply(kind: GdnKind, x: number, norm: number): number {
  const n = norm < 1 ? 1 : norm;
  const t = gdnTables();
  if (kind === 'igdn_simplified') return sat8(roundShift(x * n, GDN_GF + GDN_XF));
  let e = bitLength(n) - 9;
  if (kind === 'gdn_simplified') {
    const m = e >= 0 ? Math.floor(n / 2 ** e) : n * 2 ** -e;
    return sat8(roundShift(x * t.recip[m - 256], 11 + e));
  }
  e += e & 1;
  const m = e >= 0 ? Math.floor(n / 2 ** e) : n * 2 ** -e;
  if (kind === 'gdn') return sat8(roundShift(x * t.rsqrt[m - 128], 7 + e / 2));
  return sat8(roundShift(x * t.sqrt[m - 128], 16 - e / 2));
}
