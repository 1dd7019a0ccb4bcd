// lic-dse engine template: one shared MAC array of LIC_PIF x LIC_POF x LIC_POY x LIC_POX lanes runs every layer
// in turn (Zhang et al. FPGA'15 loop tiling, X-LIC sub-pixel transposed convolution). Per output tile the input
// tiles stream through ping-pong buffers (the next tile loads while the current one computes); accumulators
// live in ping-pong output buffers so a tile's store overlaps the next tile. The unroll, the buffer depths and
// the per-layer tiles come from tiling.h, which lic-dse generates from the design point.
//
// Buffers (all partitioned to match the unroll):
//   input   [LIC_POY*LIC_POX banks][LIC_IN_DEPTH words][LIC_PIF lanes]   act_t
//   weights [LIC_POF banks][LIC_W_DEPTH words][LIC_PIF lanes]            wgt_t
//   output  [LIC_POY*LIC_POX banks][LIC_OUT_DEPTH words][LIC_POF lanes]  acc_t
// An input tile is spread over the banks position by position (p mod banks), which needs exactly
// ceil(tn/PIF) * ceil(rows*cols/banks) words per bank, the depth the cost model sizes.
#ifndef LIC_ENGINE_H
#define LIC_ENGINE_H

#include "hls_compat.h"
#include "lic_layer.h"
#include "lic_quant.h"
#include "tiling.h"

namespace lic {

constexpr int PIF = LIC_PIF;
constexpr int POF = LIC_POF;
constexpr int POY = LIC_POY;
constexpr int POX = LIC_POX;
constexpr int NB_IN = LIC_POY * LIC_POX;
constexpr int NB_OUT = LIC_POY * LIC_POX;
constexpr int IN_DEPTH = LIC_IN_DEPTH;
constexpr int W_DEPTH = LIC_W_DEPTH;
constexpr int OUT_DEPTH = LIC_OUT_DEPTH;

typedef act_t in_buf_t[NB_IN][IN_DEPTH][PIF];
typedef wgt_t w_buf_t[POF][W_DEPTH][PIF];
typedef acc_t out_buf_t[NB_OUT][OUT_DEPTH][POF];

static inline int cdiv(int a, int b) { return (a + b - 1) / b; }
static inline bool is_gdn(int kind) { return kind >= K_GDN && kind <= K_IGDN_S; }

// Taps along one dimension: the kernel for a convolution (and a zero-inserted transposed one), s phases of
// ceil(k/s) taps for the sub-pixel form (taps past the kernel are skipped, so exactly k execute), 1 for GDN.
static inline int taps_1d(int kind, int k, int s) {
  if (kind == K_DECONV_SP) return s * cdiv(k, s);
  if (is_gdn(kind)) return 1;
  return k;
}

// Tap t along one dimension: the buffer coordinate it reads for absolute grid index g is g * mul + add; wk is
// the kernel index, ph the output phase (sub-pixel), ok whether the tap exists.
static inline void tap_1d(int kind, int t, int k, int s, int p, int g0, int& mul, int& add, int& wk, int& ph, bool& ok) {
  if (kind == K_CONV) {
    mul = s; add = t - p; wk = t; ph = 0; ok = true;
  } else if (kind == K_DECONV_SP) {
    const int j_count = cdiv(k, s);
    const int phase = t / j_count;
    const int j = t % j_count;
    mul = 1; add = g0 - j; wk = phase + s * j; ph = phase; ok = wk < k;
  } else if (kind == K_DECONV_ZI) {
    mul = 1; add = p - t; wk = t; ph = 0; ok = true;
  } else {
    mul = 1; add = 0; wk = 0; ph = 0; ok = true;
  }
}

// Buffer coordinates [lo, hi) that grid positions [g, g + n) read, clipped to the input (for the
// zero-inserted form: to the zero-inserted input, (extent - 1) * s + 1 long).
static inline void window_1d(int kind, int g, int n, int k, int s, int p, int g0, int extent, int& lo, int& hi) {
  if (kind == K_CONV) {
    lo = g * s - p; hi = (g + n - 1) * s - p + k;
  } else if (kind == K_DECONV_SP) {
    lo = g + g0 - cdiv(k, s) + 1; hi = g + g0 + n;
  } else if (kind == K_DECONV_ZI) {
    lo = g + p - (k - 1); hi = g + n + p;
  } else {
    lo = g; hi = g + n;
  }
  const int ext = kind == K_DECONV_ZI ? (extent - 1) * s + 1 : extent;
  if (lo < 0) lo = 0;
  if (hi > ext) hi = ext;
  if (hi < lo) hi = lo;
}

// Output coordinate of grid index g and phase ph: o = b*s + ph - P for the sub-pixel form (b = g + g0).
static inline int out_1d(int kind, int g, int ph, int s, int p, int g0) {
  return kind == K_DECONV_SP ? (g + g0) * s + ph - p : g;
}

static void load_input(const LayerCfg& L, int n0, int tn, int ylo, int hl, int xlo, int wl, in_buf_t buf, LIC_RD_PARAMS) {
  const int plane = cdiv(hl * wl, NB_IN);
  const bool zi = L.kind == K_DECONV_ZI;
LIC_LOOP(load_in)
  for (int n = 0; n < tn; ++n) {
    for (int y = 0; y < hl; ++y) {
      for (int x = 0; x < wl; ++x) {
        LIC_PRAGMA(HLS PIPELINE II=1)
        LIC_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=LIC_MAX_IN_COLS)
        const int u = ylo + y;
        const int v = xlo + x;
        const int port = n % LIC_RD_PORTS;
        act_t val = 0;
        if (!zi) {
          val = LIC_RD(port, L.in_off + ((n0 + n) * L.ih + u) * L.iw + v);
        } else if (u % L.sh == 0 && v % L.sw == 0) {
          val = LIC_RD(port, L.in_off + ((n0 + n) * L.ih + u / L.sh) * L.iw + v / L.sw);
        }
        const int p = y * wl + x;
        buf[p % NB_IN][(n / PIF) * plane + p / NB_IN][n % PIF] = val;
      }
    }
  }
}

static void load_weights(const LayerCfg& L, int m0, int tm, int n0, int tn, w_buf_t buf, LIC_W_PARAMS) {
  const int taps = is_gdn(L.kind) ? 1 : L.kh * L.kw;
  const int nbk = cdiv(tn, PIF);
  const bool deconv = L.kind == K_DECONV_SP || L.kind == K_DECONV_ZI;
LIC_LOOP(load_w)
  for (int m = 0; m < tm; ++m) {
    for (int n = 0; n < tn; ++n) {
      for (int t = 0; t < taps; ++t) {
        LIC_PRAGMA(HLS PIPELINE II=1)
        LIC_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=LIC_MAX_TAPS)
        // conv: [cout][cin][kh][kw]; transposed conv: [cin][cout][kh][kw]; GDN gamma: [c][c].
        const int a = deconv ? L.w_off + ((n0 + n) * L.cout + m0 + m) * taps + t
                             : L.w_off + ((m0 + m) * L.cin + n0 + n) * taps + t;
        buf[m % POF][((m / POF) * nbk + n / PIF) * taps + t][n % PIF] = LIC_W(m % LIC_W_PORTS, a);
      }
    }
  }
}

static void compute(const LayerCfg& L, int gy, int gx, int tr, int tc, int tn, int tm, int ylo, int hl, int xlo, int wl,
                    const in_buf_t ibuf, const w_buf_t wbuf, out_buf_t obuf) {
  const int ty_n = taps_1d(L.kind, L.kh, L.sh);
  const int tx_n = taps_1d(L.kind, L.kw, L.sw);
  const int taps = is_gdn(L.kind) ? 1 : L.kh * L.kw;
  const int opp = L.kind == K_DECONV_SP ? L.sh * L.sw : 1;
  const int nbk = cdiv(tn, PIF);
  const int mbk = cdiv(tm, POF);
  const int rb = cdiv(tr, POY);
  const int cb = cdiv(tc, POX);
  const int plane = cdiv(hl * wl, NB_IN);
  const bool gdn = is_gdn(L.kind);
  const int gdn_kind = L.kind - K_GDN;
LIC_LOOP(taps_y)
  for (int ty = 0; ty < ty_n; ++ty) {
  LIC_LOOP(taps_x)
    for (int tx = 0; tx < tx_n; ++tx) {
      LIC_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=LIC_MAX_TAPS)
      int muly, addy, wky, phy, mulx, addx, wkx, phx;
      bool oky, okx;
      tap_1d(L.kind, ty, L.kh, L.sh, L.pt, L.gy0, muly, addy, wky, phy, oky);
      tap_1d(L.kind, tx, L.kw, L.sw, L.pl, L.gx0, mulx, addx, wkx, phx, okx);
      if (!oky || !okx) continue;
      const int wt = gdn ? 0 : wky * L.kw + wkx;
      const int ph = L.kind == K_DECONV_SP ? phy * L.sw + phx : 0;
    LIC_LOOP(mac)
      for (int mb = 0; mb < mbk; ++mb) {
        for (int nb = 0; nb < nbk; ++nb) {
          for (int r = 0; r < rb; ++r) {
            for (int c = 0; c < cb; ++c) {
              LIC_PRAGMA(HLS PIPELINE II=1)
              LIC_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=LIC_MAX_COL_BLOCKS)
              for (int dy = 0; dy < POY; ++dy) {
                for (int dx = 0; dx < POX; ++dx) {
                  const int gyl = r * POY + dy;
                  const int gxl = c * POX + dx;
                  if (gyl >= tr || gxl >= tc) continue;
                  const int cy = (gy + gyl) * muly + addy;
                  const int cx = (gx + gxl) * mulx + addx;
                  const bool inside = cy >= ylo && cy < ylo + hl && cx >= xlo && cx < xlo + wl;
                  const int p = inside ? (cy - ylo) * wl + (cx - xlo) : 0;
                  const int obank = (gyl % POY) * POX + gxl % POX;
                  const int oaddr = ((mb * rb + gyl / POY) * cb + gxl / POX) * opp + ph;
                  for (int pm = 0; pm < POF; ++pm) {
                    acc_t s = 0;
                    for (int q = 0; q < PIF; ++q) {
                      const int n = nb * PIF + q;
                      const int32_t x = (inside && n < tn) ? (int32_t)ibuf[p % NB_IN][nb * plane + p / NB_IN][q] : 0;
                      const int32_t operand = gdn ? gdn_operand(gdn_kind, x) : x;
                      s += (acc_t)wbuf[pm][(mb * nbk + nb) * taps + wt][q] * operand;
                    }
                    if (mb * POF + pm < tm) obuf[obank][oaddr][pm] += s;
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}

static void init_out(const LayerCfg& L, int m0, int tr, int tc, int tm, out_buf_t obuf, const acc_t* bias) {
  const int opp = L.kind == K_DECONV_SP ? L.sh * L.sw : 1;
  const int rb = cdiv(tr, POY);
  const int cb = cdiv(tc, POX);
LIC_LOOP(init_out)
  for (int m = 0; m < tm; ++m) {
    const acc_t b = L.has_bias ? bias[L.b_off + m0 + m] : 0;
    for (int gyl = 0; gyl < tr; ++gyl) {
      for (int gxl = 0; gxl < tc; ++gxl) {
        for (int ph = 0; ph < opp; ++ph) {
          LIC_PRAGMA(HLS PIPELINE II=1)
          obuf[(gyl % POY) * POX + gxl % POX][(((m / POF) * rb + gyl / POY) * cb + gxl / POX) * opp + ph][m % POF] = b;
        }
      }
    }
  }
}

// Requantise (or finish the GDN), activate, place (pixel shuffle), add the residual, write.
static void store(const LayerCfg& L, int m0, int gy, int gx, int tr, int tc, int tm, const out_buf_t obuf, LIC_RD_PARAMS, LIC_WR_PARAMS) {
  const int opp = L.kind == K_DECONV_SP ? L.sh * L.sw : 1;
  const int rb = cdiv(tr, POY);
  const int cb = cdiv(tc, POX);
  const int r = L.shuffle;
LIC_LOOP(store)
  for (int m = 0; m < tm; ++m) {
    for (int gyl = 0; gyl < tr; ++gyl) {
      for (int gxl = 0; gxl < tc; ++gxl) {
        for (int ph = 0; ph < opp; ++ph) {
          LIC_PRAGMA(HLS PIPELINE II=1)
          const int phy = L.kind == K_DECONV_SP ? ph / L.sw : 0;
          const int phx = L.kind == K_DECONV_SP ? ph % L.sw : 0;
          const int oy = out_1d(L.kind, gy + gyl, phy, L.sh, L.pt, L.gy0);
          const int ox = out_1d(L.kind, gx + gxl, phx, L.sw, L.pl, L.gx0);
          if (oy < 0 || oy >= L.oh || ox < 0 || ox >= L.ow) continue;
          const acc_t acc = obuf[(gyl % POY) * POX + gxl % POX][(((m / POF) * rb + gyl / POY) * cb + gxl / POX) * opp + ph][m % POF];
          const int mm = m0 + m;
          int32_t v;
          if (is_gdn(L.kind)) {
            const int32_t x = LIC_RD(0, L.in_off + (mm * L.ih + oy) * L.iw + ox);  // GDN reads x again
            v = gdn_apply(L.kind - K_GDN, x, acc);
          } else {
            v = sat8(round_shift(acc, L.shift));
          }
          v = activate(v, L.act, L.slope);
          int c = mm, y = oy, x = ox;
          if (r > 1) {
            c = mm / (r * r);
            y = oy * r + (mm % (r * r)) / r;
            x = ox * r + mm % r;
          }
          const int o = (c * L.out_h + y) * L.out_w + x;
          if (L.add_off >= 0) v = sat8(v + LIC_RD(0, L.add_off + o));
          LIC_WR(mm % LIC_WR_PORTS, L.out_off + o, (act_t)v);
        }
      }
    }
  }
}

// Element-wise passes over memory (layers not folded into a producer).
static void eltwise(const LayerCfg& L, LIC_RD_PARAMS, LIC_WR_PARAMS) {
  const int size = L.out_c * L.out_h * L.out_w;
  const int r = L.shuffle;
LIC_LOOP(eltwise)
  for (int i = 0; i < size; ++i) {
    LIC_PRAGMA(HLS PIPELINE II=1)
    LIC_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=LIC_MAX_TENSOR)
    int32_t v;
    if (L.kind == K_ADD) {
      v = sat8((int32_t)LIC_RD(0, L.in_off + i) + (int32_t)LIC_RD(0, L.add_off + i));
    } else if (L.kind == K_UNARY) {
      v = activate(LIC_RD(0, L.in_off + i), L.act, L.slope);
    } else {
      const int x = i % L.out_w;
      const int y = (i / L.out_w) % L.out_h;
      const int c = i / (L.out_w * L.out_h);
      const int ic = c * r * r + (y % r) * r + x % r;
      v = LIC_RD(0, L.in_off + (ic * L.ih + y / r) * L.iw + x / r);
    }
    LIC_WR(0, L.out_off + i, (act_t)v);
  }
}

// One output tile: bias into the accumulators, input tiles through the ping-pong buffers, store.
static void output_tile(const LayerCfg& L, int m0, int gy, int gx, out_buf_t obuf, LIC_RD_PARAMS, LIC_W_PARAMS, const acc_t* bias, LIC_WR_PARAMS) {
  static in_buf_t in_a, in_b;
  static w_buf_t w_a, w_b;
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=in_a dim=1 complete)
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=in_a dim=3 complete)
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=in_b dim=1 complete)
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=in_b dim=3 complete)
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=w_a dim=1 complete)
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=w_a dim=3 complete)
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=w_b dim=1 complete)
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=w_b dim=3 complete)
  LIC_PRAGMA(HLS BIND_STORAGE variable=w_a type=ram_2p impl=LIC_W_IMPL)
  LIC_PRAGMA(HLS BIND_STORAGE variable=w_b type=ram_2p impl=LIC_W_IMPL)
  const int tm = L.cout - m0 < L.tm ? L.cout - m0 : L.tm;
  const int tr = L.gr - gy < L.tr ? L.gr - gy : L.tr;
  const int tc = L.gc - gx < L.tc ? L.gc - gx : L.tc;
  int ylo, yhi, xlo, xhi;
  window_1d(L.kind, gy, tr, L.kh, L.sh, L.pt, L.gy0, L.ih, ylo, yhi);
  window_1d(L.kind, gx, tc, L.kw, L.sw, L.pl, L.gx0, L.iw, xlo, xhi);
  const int hl = yhi - ylo;
  const int wl = xhi - xlo;
  init_out(L, m0, tr, tc, tm, obuf, bias);
  const int nt = cdiv(L.cin, L.tn);
  int prev_tn = 0;
LIC_LOOP(in_tiles)
  for (int t = 0; t <= nt; ++t) {
    LIC_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=LIC_MAX_IN_TILES)
    const int n0 = t * L.tn;
    const int tn = t < nt ? (L.cin - n0 < L.tn ? L.cin - n0 : L.tn) : 0;
    if (t % 2 == 0) {
      if (t < nt) {
        load_input(L, n0, tn, ylo, hl, xlo, wl, in_a, LIC_RD_ARGS);
        load_weights(L, m0, tm, n0, tn, w_a, LIC_W_ARGS);
      }
      if (t > 0) compute(L, gy, gx, tr, tc, prev_tn, tm, ylo, hl, xlo, wl, in_b, w_b, obuf);
    } else {
      if (t < nt) {
        load_input(L, n0, tn, ylo, hl, xlo, wl, in_b, LIC_RD_ARGS);
        load_weights(L, m0, tm, n0, tn, w_b, LIC_W_ARGS);
      }
      compute(L, gy, gx, tr, tc, prev_tn, tm, ylo, hl, xlo, wl, in_a, w_a, obuf);
    }
    prev_tn = tn;
  }
  store(L, m0, gy, gx, tr, tc, tm, obuf, LIC_RD_ARGS, LIC_WR_ARGS);
}

static void run_layer(const LayerCfg& L, LIC_RD_PARAMS, LIC_W_PARAMS, const acc_t* bias, LIC_WR_PARAMS) {
  static out_buf_t out_a, out_b;
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=out_a dim=1 complete)
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=out_a dim=3 complete)
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=out_b dim=1 complete)
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=out_b dim=3 complete)
  if (L.kind >= K_ADD) {
    eltwise(L, LIC_RD_ARGS, LIC_WR_ARGS);
    return;
  }
  int k = 0;
LIC_LOOP(tiles_m)
  for (int m0 = 0; m0 < L.cout; m0 += L.tm) {
  LIC_LOOP(tiles_r)
    for (int gy = 0; gy < L.gr; gy += L.tr) {
    LIC_LOOP(tiles_c)
      for (int gx = 0; gx < L.gc; gx += L.tc) {
        LIC_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=LIC_MAX_COL_TILES)
        if (k % 2 == 0) output_tile(L, m0, gy, gx, out_a, LIC_RD_ARGS, LIC_W_ARGS, bias, LIC_WR_ARGS);
        else output_tile(L, m0, gy, gx, out_b, LIC_RD_ARGS, LIC_W_ARGS, bias, LIC_WR_ARGS);
        ++k;
      }
    }
  }
}

}  // namespace lic

#endif  // LIC_ENGINE_H
