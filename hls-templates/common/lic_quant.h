// The quantised arithmetic of a lic-dse HLS project (the TypeScript reference, src/emit/quant.ts in lic-dse,
// computes exactly the same integer operations; the testbench's golden vectors come from it).
//
//  - int8 activations and weights, int32 accumulation started from an int32 bias.
//  - Requantisation: per-layer power-of-two shift with round-half-up, then saturation to [-128, 127].
//  - Activation after saturation: ReLU; LeakyReLU v < 0 ? (v * slope_q8) >> 8 : v (slope in Q0.8); |v|.
//  - GDN/IGDN: activations read as Q3.4, gamma as Q0.8 (0..127), beta with 16 fractional bits (65536 = 1.0);
//    n = beta + sum_j gamma_ij * x_j^2 is normalised to a mantissa m in [128, 512) and an even exponent e,
//    then GDN y = x * RSQRT[m] >> (7 + e/2), IGDN y = x * SQRT[m] >> (16 - e/2) (tables in lic_tables.h;
//    the scale factor's relative error stays below 2^-7). Simplified forms use |x| and 12 fractional bits
//    (4096 = 1.0): GDN-simplified y = x * RECIP[m] >> (11 + e) with m in [256, 512); IGDN-simplified
//    y = x * n >> 12.
//    Every shift rounds half up; every result saturates to int8.
#ifndef LIC_QUANT_H
#define LIC_QUANT_H

#include <cstdint>

#include "hls_compat.h"
#include "lic_tables.h"

namespace lic {

typedef int8_t act_t;
typedef int8_t wgt_t;
typedef int32_t acc_t;

enum Act { ACT_NONE = 0, ACT_RELU = 1, ACT_LEAKY = 2, ACT_ABS = 3 };
enum GdnKind { GDN = 0, IGDN = 1, GDN_S = 2, IGDN_S = 3 };

static inline int32_t sat8(int64_t v) { return v > 127 ? 127 : (v < -128 ? -128 : (int32_t)v); }

// v * 2^-sh, rounded half up for sh > 0 (arithmetic shift: floor).
static inline int64_t round_shift(int64_t v, int sh) {
  if (sh > 0) return (v + ((int64_t)1 << (sh - 1))) >> sh;
  if (sh < 0) return v * ((int64_t)1 << (-sh));
  return v;
}

static inline int32_t activate(int32_t v, int act, int slope_q8) {
  if (act == ACT_RELU) return v < 0 ? 0 : v;
  if (act == ACT_LEAKY) return v < 0 ? (v * slope_q8) >> 8 : v;
  if (act == ACT_ABS) return v < 0 ? (v == -128 ? 127 : -v) : v;
  return v;
}

static inline act_t requant(acc_t acc, int shift, int act, int slope_q8) {
  return (act_t)activate(sat8(round_shift(acc, shift)), act, slope_q8);
}

// The operand of the GDN's C x C product: x^2, or |x| for the simplified forms.
static inline int32_t gdn_operand(int kind, int32_t x) {
  return (kind == GDN || kind == IGDN) ? x * x : (x < 0 ? -x : x);
}

// Bit length of n > 0 (a priority encoder in hardware).
static inline int bit_length(uint32_t n) {
  int b = 0;
  for (int i = 0; i < 32; ++i) {
    LIC_PRAGMA(HLS UNROLL)
    if ((n >> i) != 0) b = i + 1;
  }
  return b;
}

static inline act_t gdn_apply(int kind, int32_t x, int64_t norm) {
  uint32_t n = norm < 1 ? 1u : (norm > 0x7fffffff ? 0x7fffffffu : (uint32_t)norm);
  if (kind == IGDN_S) return (act_t)sat8(round_shift((int64_t)x * (int64_t)n, 12));
  int e = bit_length(n) - 9;
  if (kind == GDN_S) {
    uint32_t m = e >= 0 ? (n >> e) : (n << (-e));
    return (act_t)sat8(round_shift((int64_t)x * LIC_RECIP[m - 256], 11 + e));
  }
  e += e & 1;
  uint32_t m = e >= 0 ? (n >> e) : (n << (-e));
  if (kind == GDN) return (act_t)sat8(round_shift((int64_t)x * LIC_RSQRT[m - 128], 7 + e / 2));
  return (act_t)sat8(round_shift((int64_t)x * LIC_SQRT[m - 128], 16 - e / 2));
}

// Two products sharing the activation in one DSP48E2 (WP486), bit-exact (the engine and the pipeline).
static inline void mul2(int32_t w_hi, int32_t w_lo, int32_t a, int32_t& p_hi, int32_t& p_lo) {
  const int64_t packed = (int64_t)w_hi * (1 << 18) + w_lo;  // the 27-bit pre-adder
  const int64_t p = packed * a;                             // the 27 x 18 multiplier
  p_lo = (int32_t)((p & 0x3ffff) ^ 0x20000) - 0x20000;      // low 18 bits, sign-extended
  p_hi = (int32_t)((p - p_lo) >> 18);                       // high part + the low part's sign
}

}  // namespace lic

#endif  // LIC_QUANT_H
