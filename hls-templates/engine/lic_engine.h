// lic-dse engine template: one shared MAC array of LIC_PIF x LIC_POF x LIC_POY x LIC_POX lanes runs every layer
// in turn (Zhang et al. FPGA'15 loop tiling, X-LIC sub-pixel transposed convolution). The structure is the one
// lic-dse's cost model counts (src/arch/engine.ts); `make perf` checks the two against each other.
//
// DRAM: every activation tensor is channel-blocked, [ceil(C/L)][H][W] beats of L = LIC_L int8 channels (one
// m_axi word); weights are pre-tiled by lic-dse in the order the loads read them (rows of POF x PIF weights,
// whole beats); biases are int32 words, LIC_BL per beat.
//
// Schedule of a layer: steps in which three processes run concurrently on disjoint ping-pong buffers (the step
// is a DATAFLOW region of independent processes): compute of input tile k, load of input tile k+1 (activations
// and weights), and, on the first input tile of an output tile, the store of the previous output tile.
//
// Buffers (ping-pong pairs):
//   input   [POY*POX banks][LIC_IN_DEPTH][PIF]  act_t  (channels reshaped into one PIF-wide word)
//   weights [POF banks][LIC_W_DEPTH][PIF]       wgt_t
//   output  [POY*POX banks][LIC_OUT_DEPTH][POF] acc_t
// Input banking is stride-aware: the pixel at local window coordinates (u, v) lives in bank
// ((u / my) % POY, (v / mx) % POX) where my, mx are the strides between neighbouring grid positions, so lane
// (dy, dx) at any tap reads bank ((dy + tap_y / my) % POY, (dx + tap_x / mx) % POX): the POY*POX lanes of a
// cycle always read distinct banks.
//
// Multipliers: two int8 products sharing the activation per DSP48E2 (WP486): (w_hi * 2^18 + w_lo) * a, the low
// 18 bits sign-extended give w_lo * a exactly and the high part, corrected by the low part's sign, w_hi * a.
// GDN's x^2 is split into x^2 >> 7 and x^2 & 127 (two passes, each an 8-bit operand) so it packs the same way.
#ifndef LIC_ENGINE_H
#define LIC_ENGINE_H

#include "hls_compat.h"
#include "lic_layer.h"
#include "lic_quant.h"
#include "tiling.h"
// After tiling.h: it defines the shim's coefficients.
#include "lic_perf.h"

#define LIC_STR2(x) #x
#define LIC_STR(x) LIC_STR2(x)

namespace lic {

constexpr int PIF = LIC_PIF;
constexpr int POF = LIC_POF;
constexpr int POY = LIC_POY;
constexpr int POX = LIC_POX;
constexpr int L = LIC_L;
constexpr int BL = LIC_BL;
constexpr int NB = LIC_POY * LIC_POX;
constexpr int ROW_BEATS = LIC_ROW_BEATS;
static_assert(L % PIF == 0, "PIF must divide the lanes of a beat");

struct beat_t {
  act_t v[LIC_L];
};
struct wbeat_t {
  wgt_t v[LIC_L];
};
struct bbeat_t {
  acc_t v[LIC_BL];
};

typedef act_t in_buf_t[NB][LIC_IN_DEPTH][PIF];
typedef wgt_t w_buf_t[POF][LIC_W_DEPTH][PIF];
typedef acc_t out_buf_t[NB][LIC_OUT_DEPTH][POF];
typedef acc_t b_buf_t[LIC_TOF];

static inline int cdiv(int a, int b) { return (a + b - 1) / b; }
static inline int imin(int a, int b) { return a < b ? a : b; }
static inline int imax(int a, int b) { return a > b ? a : b; }
static inline bool is_gdn(int kind) { return kind >= K_GDN && kind <= K_IGDN_S; }

// Buffer coordinates a tile of n grid positions from g reads along one dimension: unclipped origin, clipped
// [lo, lo + len) (for the zero-inserted form: clipped to the zero-inserted input).
static inline void window_1d(int kind, int g, int n, int k, int s, int p, int g0, int extent, int& org, int& lo, int& len) {
  int hi;
  if (kind == K_CONV) {
    org = g * s - p; hi = (g + n - 1) * s - p + k;
  } else if (kind == K_DECONV_SP) {
    org = g + g0 - cdiv(k, s) + 1; hi = g + g0 + n;
  } else if (kind == K_DECONV_ZI) {
    org = g + p - (k - 1); hi = g + n + p;
  } else {
    org = g; hi = g + n;
  }
  const int ext = kind == K_DECONV_ZI ? (extent - 1) * s + 1 : extent;
  lo = org < 0 ? 0 : org;
  if (hi > ext) hi = ext;
  len = hi > lo ? hi - lo : 0;
}

// Output range [lo, lo + len) of grid positions [g, g + n) along one dimension.
static inline void out_range(int kind, int g, int n, int s, int p, int g0, int extent, int& lo, int& len) {
  int hi;
  if (kind == K_DECONV_SP) {
    lo = (g + g0) * s - p; hi = (g + n + g0) * s - p;
  } else {
    lo = g; hi = g + n;
  }
  if (lo < 0) lo = 0;
  if (hi > extent) hi = extent;
  len = hi > lo ? hi - lo : 0;
}

// Bank and in-bank position of local window coordinates (u, v).
static inline void bank_of(const LayerCfg& Lc, int u, int v, int& bank, int& addr) {
  const int by = (u / Lc.my) % POY;
  const int bx = (v / Lc.mx) % POX;
  const int ry = (u / (Lc.my * POY)) * Lc.my + u % Lc.my;
  const int rx = (v / (Lc.mx * POX)) * Lc.mx + v % Lc.mx;
  bank = by * POX + bx;
  addr = ry * Lc.cols_pb + rx;
}

struct Tile {
  int m0, tm, gy, tr, gx, tc;  // output tile
  int n0, tn, mt, nt;          // input-channel tile
  int yorg, ylo, hl, xorg, xlo, wl;
};

inline void load_input(const LayerCfg& Lc, const Tile& t, in_buf_t buf, const beat_t* rd) {
  const int plane = Lc.rows_pb * Lc.cols_pb;
  const bool zi = Lc.kind == K_DECONV_ZI;
  LIC_PERF_ENTER("load_in", LIC_MOVE_DEPTH);
LIC_LOOP(load_in)
  for (int cb = 0; cb < cdiv(t.tn, L); ++cb) {
    const int words = cdiv(imin(L, t.tn - cb * L), PIF);
    for (int y = 0; y < t.hl; ++y) {
      for (int x = 0; x < t.wl; ++x) {
        beat_t b = {};
        for (int k = 0; k < words; ++k) {
          LIC_PRAGMA(HLS PIPELINE II=1)
          LIC_PERF_TRIP("load_in", "load_in");
          const int u = t.ylo + y;
          const int v = t.xlo + x;
          if (k == 0) {
            const bool real = !zi || (u % Lc.sh == 0 && v % Lc.sw == 0);
            if (real) {
              const int a = Lc.in_off + ((t.n0 / L + cb) * Lc.ih + (zi ? u / Lc.sh : u)) * Lc.iw + (zi ? v / Lc.sw : v);
              b = rd[a];
              LIC_PERF_BEAT("load_in", "rd", a, L);
            } else {
              b = beat_t{};
            }
          }
          int bank, addr;
          bank_of(Lc, u - t.yorg, v - t.xorg, bank, addr);
          const int word = cb * (L / PIF) + k;
          for (int q = 0; q < PIF; ++q) buf[bank][word * plane + addr][q] = b.v[k * PIF + q];
        }
      }
    }
  }
}

inline void load_weights(const LayerCfg& Lc, const Tile& t, w_buf_t buf, b_buf_t bb, const wbeat_t* w, const bbeat_t* bias) {
  const int rows = cdiv(t.tm, POF) * cdiv(t.tn, PIF) * Lc.wtaps;
  const int base = Lc.w_off + (t.mt * Lc.nt + t.nt) * Lc.wblock;
  wgt_t row[ROW_BEATS * L];
  LIC_PERF_ENTER("load_w", LIC_MOVE_DEPTH);
LIC_LOOP(load_w)
  for (int r = 0; r < rows; ++r) {
    for (int k = 0; k < ROW_BEATS; ++k) {
      LIC_PRAGMA(HLS PIPELINE II=1)
      LIC_PERF_TRIP("load_w", "load_w");
      const int a = base + r * ROW_BEATS + k;
      const wbeat_t b = w[a];
      LIC_PERF_BEAT("load_w", "w", a, L);
      for (int j = 0; j < L; ++j) row[k * L + j] = b.v[j];
      if (k == ROW_BEATS - 1) {
        for (int pm = 0; pm < POF; ++pm)
          for (int q = 0; q < PIF; ++q) buf[pm][r][q] = row[pm * PIF + q];
      }
    }
  }
  LIC_PERF_ENTER("load_w", LIC_MOVE_DEPTH);
LIC_LOOP(load_b)
  for (int i = 0; i < cdiv(t.tm, BL); ++i) {
    LIC_PRAGMA(HLS PIPELINE II=1)
    LIC_PERF_TRIP("load_w", "load_b");
    const int a = (Lc.b_off + t.m0) / BL + i;
    const bbeat_t b = bias[a];
    LIC_PERF_BEAT("load_w", "w", (long long)1 << 40 | a, L);
    for (int j = 0; j < BL; ++j)
      if (i * BL + j < LIC_TOF) bb[i * BL + j] = Lc.has_bias ? b.v[j] : 0;
  }
}

inline void compute(const LayerCfg& Lc, const Tile& t, bool first_n, const in_buf_t ib, const w_buf_t wb, const b_buf_t bb, out_buf_t ob) {
  const int nbk = cdiv(t.tn, PIF);
  const int mbk = cdiv(t.tm, POF);
  const int rb = cdiv(t.tr, POY);
  const int cbk = cdiv(t.tc, POX);
  const int opp = Lc.kind == K_DECONV_SP ? Lc.sh * Lc.sw : 1;
  const int plane = Lc.rows_pb * Lc.cols_pb;
  const bool gdn = is_gdn(Lc.kind);
  const int gk = Lc.kind - K_GDN;
  const long long total = (long long)Lc.passes * Lc.ntaps * mbk * nbk * rb * cbk;
  int c = 0, r = 0, nb = 0, mb = 0, ti = 0, pass = 0;
  LIC_PERF_ENTER("compute", LIC_MAC_DEPTH);
LIC_LOOP(mac)
  for (long long it = 0; it < total; ++it) {
    LIC_PRAGMA(HLS PIPELINE II=1)
    LIC_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=LIC_MAX_MAC_TRIPS)
    LIC_PERF_TRIP("compute", "mac");
    if (!LIC_PERF_COUNT_ONLY()) {
      const TapCfg tp = TAPS[Lc.tap_off + ti];
      const bool init = first_n && pass == 0 && tp.init && nb == 0;
      for (int dy = 0; dy < POY; ++dy) {
        for (int dx = 0; dx < POX; ++dx) {
          const int gyl = r * POY + dy;
          const int gxl = c * POX + dx;
          if (gyl >= t.tr || gxl >= t.tc) continue;
          const int cy = (t.gy + gyl) * Lc.my + tp.addy;
          const int cx = (t.gx + gxl) * Lc.mx + tp.addx;
          const bool inside = cy >= t.ylo && cy < t.ylo + t.hl && cx >= t.xlo && cx < t.xlo + t.wl;
          int bank = 0, addr = 0;
          if (inside) bank_of(Lc, cy - t.yorg, cx - t.xorg, bank, addr);
          int32_t a[PIF];
          for (int q = 0; q < PIF; ++q) {
            const int32_t x = (inside && nb * PIF + q < t.tn) ? (int32_t)ib[bank][nb * plane + addr][q] : 0;
            if (!gdn) a[q] = x;
            else if (gk == GDN || gk == IGDN) a[q] = pass == 0 ? (x * x) >> 7 : (x * x) & 127;
            else a[q] = x < 0 ? -x : x;
          }
          const int scale = gdn && (gk == GDN || gk == IGDN) && pass == 0 ? 128 : 1;
          const int obank = (gyl % POY) * POX + gxl % POX;
          const int oaddr = ((mb * rb + gyl / POY) * cbk + gxl / POX) * opp + tp.ph;
          const int row = (mb * nbk + nb) * Lc.wtaps + tp.wt;
          for (int pm = 0; pm < POF; pm += 2) {
            int32_t s_lo = 0, s_hi = 0;
            for (int q = 0; q < PIF; ++q) {
              int32_t hi, lo;
              mul2(pm + 1 < POF ? (int32_t)wb[pm + 1][row][q] : 0, wb[pm][row][q], a[q], hi, lo);
              s_lo += lo;
              s_hi += hi;
            }
            for (int h = 0; h < 2 && pm + h < POF; ++h) {
              const int m = mb * POF + pm + h;
              if (m >= t.tm) continue;
              const acc_t prev = init ? bb[m] : ob[obank][oaddr][pm + h];
              ob[obank][oaddr][pm + h] = prev + (h ? s_hi : s_lo) * scale;
            }
          }
        }
      }
    }
    if (++c == cbk) { c = 0;
      if (++r == rb) { r = 0;
        if (++nb == nbk) { nb = 0;
          if (++mb == mbk) { mb = 0;
            if (++ti == Lc.ntaps) { ti = 0; ++pass; } } } } }
  }
}

// Requantise (or finish the GDN), activate, add the residual; one value.
static inline act_t finish(const LayerCfg& Lc, acc_t acc, int32_t x, int32_t addv, bool has_add) {
  int32_t v = is_gdn(Lc.kind) ? gdn_apply(Lc.kind - K_GDN, x, acc) : sat8(round_shift(acc, Lc.shift));
  v = activate(v, Lc.act, Lc.slope);
  if (has_add) v = sat8(v + addv);
  return (act_t)v;
}

// Grid position and phase of output coordinate o along one dimension.
static inline void grid_of(int kind, int o, int g, int s, int p, int g0, int& gl, int& ph) {
  if (kind == K_DECONV_SP) {
    gl = (o + p) / s - g0 - g;
    ph = (o + p) % s;
  } else {
    gl = o - g;
    ph = 0;
  }
}

// Where output pixel (oy, ox) of tile t accumulates: the bank of its grid position, and the address of its
// accumulator word w at addr + w * stride (words, then grid rows and columns within the bank, then the sub-pixel
// phase; the layout compute() writes). Computed once per pixel by both stores.
struct AccPos {
  int bank, addr, stride;
};
static inline AccPos acc_pos(const LayerCfg& Lc, const Tile& t, int oy, int ox) {
  int gyl, phy, gxl, phx;
  grid_of(Lc.kind, oy, t.gy, Lc.sh, Lc.pt, Lc.gy0, gyl, phy);
  grid_of(Lc.kind, ox, t.gx, Lc.sw, Lc.pl, Lc.gx0, gxl, phx);
  const bool sp = Lc.kind == K_DECONV_SP;
  const int opp = sp ? Lc.sh * Lc.sw : 1;
  const int cbk = cdiv(t.tc, POX);
  AccPos a;
  a.bank = (gyl % POY) * POX + gxl % POX;
  a.addr = ((gyl / POY) * cbk + gxl / POX) * opp + (sp ? phy * Lc.sw + phx : 0);
  a.stride = cdiv(t.tr, POY) * cbk * opp;
  return a;
}

inline void store(const LayerCfg& Lc, const Tile& t, const out_buf_t ob, const beat_t* aux, beat_t* wr) {
  if (t.tm == 0) return;
  const bool gdn = is_gdn(Lc.kind);
  const bool has_add = Lc.add_off >= 0;
  int oy0, ny, ox0, nx;
  out_range(Lc.kind, t.gy, t.tr, Lc.sh, Lc.pt, Lc.gy0, Lc.oh, oy0, ny);
  out_range(Lc.kind, t.gx, t.tc, Lc.sw, Lc.pl, Lc.gx0, Lc.ow, ox0, nx);
  LIC_PERF_ENTER("store", LIC_MOVE_DEPTH);
  const int r = Lc.shuffle;
  if (r == 1) {
LIC_LOOP(store)
    for (int cb = 0; cb < cdiv(t.tm, L); ++cb) {
      const int c0 = cb * L;
      const int chans = imin(L, t.tm - c0);
      const int w0 = c0 / POF;
      const int words = (c0 + chans - 1) / POF - w0 + 1;
      const int blk = (t.m0 + c0) / L;
      for (int oy = oy0; oy < oy0 + ny; ++oy) {
        for (int ox = ox0; ox < ox0 + nx; ++ox) {
          const AccPos ap = acc_pos(Lc, t, oy, ox);
          const int oa = (blk * Lc.out_h + oy) * Lc.out_w + ox;
          beat_t xb = {}, out = {};
          for (int k = 0; k < words; ++k) {
            LIC_PRAGMA(HLS PIPELINE II=1)
            LIC_PERF_TRIP("store", "store");
            if (k == 0 && gdn) {
              const int xa = Lc.in_off + (blk * Lc.ih + oy) * Lc.iw + ox;
              xb = aux[xa];
              LIC_PERF_BEAT("store", "aux", xa, L);
            }
            if (k == 0 && has_add) {
              xb = aux[Lc.add_off + oa];
              LIC_PERF_BEAT("store", "aux", Lc.add_off + oa, L);
            }
            const int w = w0 + k;  // accumulator word = output-channel block of POF
            const acc_t* acc = ob[ap.bank][ap.addr + w * ap.stride];
            for (int pm = 0; pm < POF; ++pm) {
              const int m = w * POF + pm;
              if (m < c0 || m >= c0 + chans) continue;
              const int l = m - c0;
              out.v[l] = finish(Lc, acc[pm], gdn ? xb.v[l] : 0, has_add ? xb.v[l] : 0, has_add);
            }
            if (k == words - 1) {
              wr[Lc.out_off + oa] = out;
              LIC_PERF_BEAT("store", "wr", Lc.out_off + oa, L);
            }
          }
        }
      }
    }
    return;
  }
  // Pixel shuffle folded into the store: a position's channels are read first, then its r*r destination
  // pixels are written beat by beat (channel c of the result is channel c*r*r + dy*r + dx here).
  act_t pos[LIC_TOF];
  const int r2 = r * r;
  const int blocks = cdiv(t.tm / r2, L);
LIC_LOOP(store_shuffle)
  for (int oy = oy0; oy < oy0 + ny; ++oy) {
    for (int ox = ox0; ox < ox0 + nx; ++ox) {
      const AccPos ap = acc_pos(Lc, t, oy, ox);
      for (int w = 0; w < cdiv(t.tm, POF); ++w) {
        LIC_PRAGMA(HLS PIPELINE II=1)
        LIC_PERF_TRIP("store", "store_read");
        const acc_t* acc = ob[ap.bank][ap.addr + w * ap.stride];
        for (int pm = 0; pm < POF; ++pm)
          if (w * POF + pm < t.tm) pos[w * POF + pm] = finish(Lc, acc[pm], 0, 0, false);
      }
      for (int cb = 0; cb < blocks; ++cb) {
        for (int dy = 0; dy < r; ++dy) {
          for (int dx = 0; dx < r; ++dx) {
            LIC_PRAGMA(HLS PIPELINE II=1)
            LIC_PERF_TRIP("store", "store_write");
            const int blk = t.m0 / r2 / L + cb;
            const int oa = (blk * Lc.out_h + oy * r + dy) * Lc.out_w + ox * r + dx;
            beat_t ab = {}, out = {};
            if (has_add) {
              ab = aux[Lc.add_off + oa];
              LIC_PERF_BEAT("store", "aux", Lc.add_off + oa, L);
            }
            for (int l = 0; l < L; ++l) {
              const int m = (cb * L + l) * r2 + dy * r + dx;
              if (m >= t.tm) continue;
              int32_t v = pos[m];
              if (has_add) v = sat8(v + ab.v[l]);
              out.v[l] = (act_t)v;
            }
            wr[Lc.out_off + oa] = out;
            LIC_PERF_BEAT("store", "wr", Lc.out_off + oa, L);
          }
        }
      }
    }
  }
}

// Element-wise passes over memory (layers not folded into a producer), beat by beat.
inline void eltwise(const LayerCfg& Lc, const beat_t* rd, const beat_t* aux, beat_t* wr) {
  const int r = Lc.shuffle;
  LIC_PERF_ENTER("eltwise", LIC_MOVE_DEPTH);
  if (Lc.kind != K_SHUFFLE) {
    const int beats = cdiv(Lc.out_c, L) * Lc.out_h * Lc.out_w;
LIC_LOOP(eltwise)
    for (int i = 0; i < beats; ++i) {
      LIC_PRAGMA(HLS PIPELINE II=1)
      LIC_PERF_TRIP("eltwise", "eltwise");
      const beat_t a = rd[Lc.in_off + i];
      LIC_PERF_BEAT("eltwise", "rd", Lc.in_off + i, L);
      beat_t b = {}, out = {};
      if (Lc.kind == K_ADD) {
        b = aux[Lc.add_off + i];
        LIC_PERF_BEAT("eltwise", "aux", Lc.add_off + i, L);
      }
      for (int l = 0; l < L; ++l)
        out.v[l] = (act_t)(Lc.kind == K_ADD ? sat8((int32_t)a.v[l] + (int32_t)b.v[l]) : activate(a.v[l], Lc.act, Lc.slope));
      wr[Lc.out_off + i] = out;
      LIC_PERF_BEAT("eltwise", "wr", Lc.out_off + i, L);
    }
    return;
  }
  const int r2 = r * r;
LIC_LOOP(shuffle)
  for (int cb = 0; cb < cdiv(Lc.out_c, L); ++cb) {
    for (int y = 0; y < Lc.out_h; ++y) {
      for (int x = 0; x < Lc.out_w; ++x) {
        beat_t out = {};
        const int k0 = (y % r) * r + x % r;
        for (int j = 0; j < r2; ++j) {
          LIC_PRAGMA(HLS PIPELINE II=1)
          LIC_PERF_TRIP("eltwise", "shuffle");
          if (cb * r2 + j >= cdiv(Lc.cin, L)) continue;  // past the input's channel blocks
          const int a = Lc.in_off + ((cb * r2 + j) * Lc.ih + y / r) * Lc.iw + x / r;
          const beat_t b = rd[a];
          LIC_PERF_BEAT("eltwise", "rd", a, L);
          for (int l = 0; l < L; ++l) {
            const int ic = (cb * L + l) * r2 + k0;
            if (ic / L == cb * r2 + j) out.v[l] = b.v[ic % L];
          }
        }
        const int o = Lc.out_off + (cb * Lc.out_h + y) * Lc.out_w + x;
        wr[o] = out;
        LIC_PERF_BEAT("eltwise", "wr", o, L);
      }
    }
  }
}

// One step: the three processes touch disjoint buffers, so they run concurrently. Every process is called on
// every step (HLS guarantees the overlap of a DATAFLOW region only for unconditionally called processes); the
// prologue, the epilogue and the last input tile pass zero-size tiles, whose loops run no trip.
inline void step(const LayerCfg& Lc, const Tile& cur, bool first_n, const Tile& nxt, const Tile& prev,
                 in_buf_t in_c, w_buf_t w_c, b_buf_t b_c, in_buf_t in_l, w_buf_t w_l, b_buf_t b_l, out_buf_t o_c, out_buf_t o_s,
                 const beat_t* rd, const wbeat_t* w, const bbeat_t* bias, const beat_t* aux, beat_t* wr) {
  LIC_PRAGMA(HLS DATAFLOW)
  compute(Lc, cur, first_n, in_c, w_c, b_c, o_c);
  load_input(Lc, nxt, in_l, rd);
  load_weights(Lc, nxt, w_l, b_l, w, bias);
  store(Lc, prev, o_s, aux, wr);
  LIC_PERF_STEP();
  LIC_PERF_ADD(LIC_STEP_CYCLES);
}

// A step on the ping-pong halves its parities select: compute reads input half k and accumulates into output
// half o, the load fills the other input half and the store drains the other output half. Four call sites
// with fixed buffers: HLS binds every DATAFLOW process to its memories at compile time.
inline void step_pp(const LayerCfg& Lc, bool k_odd, bool o_odd, const Tile& cur, bool first_n, const Tile& nxt, const Tile& prev,
                    in_buf_t in_a, in_buf_t in_b, w_buf_t w_a, w_buf_t w_b, b_buf_t b_a, b_buf_t b_b, out_buf_t out_a, out_buf_t out_b,
                    const beat_t* rd, const wbeat_t* w, const bbeat_t* bias, const beat_t* aux, beat_t* wr) {
  if (!k_odd && !o_odd) step(Lc, cur, first_n, nxt, prev, in_a, w_a, b_a, in_b, w_b, b_b, out_a, out_b, rd, w, bias, aux, wr);
  else if (!k_odd) step(Lc, cur, first_n, nxt, prev, in_a, w_a, b_a, in_b, w_b, b_b, out_b, out_a, rd, w, bias, aux, wr);
  else if (!o_odd) step(Lc, cur, first_n, nxt, prev, in_b, w_b, b_b, in_a, w_a, b_a, out_a, out_b, rd, w, bias, aux, wr);
  else step(Lc, cur, first_n, nxt, prev, in_b, w_b, b_b, in_a, w_a, b_a, out_b, out_a, rd, w, bias, aux, wr);
}

// A tile with no channels: every loop over it runs no trip.
static inline Tile empty_tile(Tile t) {
  t.tm = 0; t.tn = 0; t.tr = 0; t.tc = 0; t.hl = 0; t.wl = 0;
  return t;
}

inline Tile make_tile(const LayerCfg& Lc, int m0, int gy, int gx, int n0) {
  Tile t;
  t.m0 = m0; t.gy = gy; t.gx = gx; t.n0 = n0;
  t.tm = imin(Lc.tm, Lc.cout - m0);
  t.tr = imin(Lc.tr, Lc.gr - gy);
  t.tc = imin(Lc.tc, Lc.gc - gx);
  t.tn = imin(Lc.tn, Lc.cin - n0);
  t.mt = m0 / Lc.tm;
  t.nt = n0 / Lc.tn;
  window_1d(Lc.kind, gy, t.tr, Lc.kh, Lc.sh, Lc.pt, Lc.gy0, Lc.ih, t.yorg, t.ylo, t.hl);
  window_1d(Lc.kind, gx, t.tc, Lc.kw, Lc.sw, Lc.pl, Lc.gx0, Lc.iw, t.xorg, t.xlo, t.wl);
  return t;
}

inline void run_layer(const LayerCfg& Lc, const char* name, const beat_t* rd, const wbeat_t* w, const bbeat_t* bias, const beat_t* aux, beat_t* wr) {
  static in_buf_t in_a, in_b;
  static w_buf_t w_a, w_b;
  static b_buf_t b_a, b_b;
  static out_buf_t out_a, out_b;
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=in_a dim=1 complete)
  LIC_PRAGMA(HLS ARRAY_RESHAPE variable=in_a dim=3 complete)
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=in_b dim=1 complete)
  LIC_PRAGMA(HLS ARRAY_RESHAPE variable=in_b dim=3 complete)
  LIC_PRAGMA(HLS BIND_STORAGE variable=in_a type=ram_s2p impl=LIC_IN_IMPL)
  LIC_PRAGMA(HLS BIND_STORAGE variable=in_b type=ram_s2p impl=LIC_IN_IMPL)
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=w_a dim=1 complete)
  LIC_PRAGMA(HLS ARRAY_RESHAPE variable=w_a dim=3 complete)
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=w_b dim=1 complete)
  LIC_PRAGMA(HLS ARRAY_RESHAPE variable=w_b dim=3 complete)
  LIC_PRAGMA(HLS BIND_STORAGE variable=w_a type=ram_s2p impl=LIC_W_IMPL)
  LIC_PRAGMA(HLS BIND_STORAGE variable=w_b type=ram_s2p impl=LIC_W_IMPL)
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=b_a complete)
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=b_b complete)
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=out_a dim=1 complete)
  LIC_PRAGMA(HLS ARRAY_RESHAPE variable=out_a dim=3 complete)
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=out_b dim=1 complete)
  LIC_PRAGMA(HLS ARRAY_RESHAPE variable=out_b dim=3 complete)
  LIC_PERF_BUFFER("in", 2 * NB, PIF * 8, LIC_IN_DEPTH, LIC_STR(LIC_IN_IMPL));
  LIC_PERF_BUFFER("w", 2 * POF, PIF * 8, LIC_W_DEPTH, LIC_STR(LIC_W_IMPL));
  LIC_PERF_BUFFER("out", 2 * NB, POF * 32, LIC_OUT_DEPTH, "bram");
  LIC_PERF_BUFFER("bias", 2 * LIC_TOF, 32, 1, "reg");
  LIC_PERF_MULT("dsp_mac_packed2", PIF * POY * POX * ((POF + 1) / 2));
  LIC_PERF_MULT("dsp_post", POF < L ? POF : L);
  LIC_PERF_LAYER(name, Lc.est);
  LIC_PERF_ADD(LIC_LAYER_CYCLES);
  (void)name;
  if (Lc.kind >= K_ADD) {
    eltwise(Lc, rd, aux, wr);
    LIC_PERF_STEP();
    LIC_PERF_ADD(LIC_STEP_CYCLES);
    return;
  }
  // Output tiles m -> rows -> columns, input tiles inside; step k computes input tile k. The prologue loads
  // the first tile into in_a (a step of odd input parity whose compute and store are empty), the epilogue
  // stores the last.
  const Tile none = empty_tile(make_tile(Lc, 0, 0, 0, 0));
  Tile prev = none;
  step_pp(Lc, true, false, none, false, make_tile(Lc, 0, 0, 0, 0), none, in_a, in_b, w_a, w_b, b_a, b_b, out_a, out_b, rd, w, bias, aux, wr);
  long long k = 0, o = 0;
LIC_LOOP(tiles)
  for (int m0 = 0; m0 < Lc.cout; m0 += Lc.tm) {
    for (int gy = 0; gy < Lc.gr; gy += Lc.tr) {
      for (int gx = 0; gx < Lc.gc; gx += Lc.tc) {
        for (int n0 = 0; n0 < Lc.cin; n0 += Lc.tn) {
          LIC_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=LIC_MAX_STEPS)
          const Tile cur = make_tile(Lc, m0, gy, gx, n0);
          // The next input tile: this output tile's next, or the next output tile's first (none after the last).
          int nn0 = n0 + Lc.tn, nm0 = m0, ngy = gy, ngx = gx;
          if (nn0 >= Lc.cin) {
            nn0 = 0;
            ngx += Lc.tc;
            if (ngx >= Lc.gc) { ngx = 0; ngy += Lc.tr; }
            if (ngy >= Lc.gr) { ngy = 0; nm0 += Lc.tm; }
          }
          const bool has_next = nm0 < Lc.cout;
          const Tile nt = make_tile(Lc, has_next ? nm0 : 0, ngy, ngx, nn0);
          const Tile nxt = has_next ? nt : empty_tile(nt);
          const Tile& sto = n0 == 0 ? prev : none;
          step_pp(Lc, k % 2 == 1, o % 2 == 1, cur, n0 == 0, nxt, sto, in_a, in_b, w_a, w_b, b_a, b_b, out_a, out_b, rd, w, bias, aux, wr);
          ++k;
        }
        prev = make_tile(Lc, m0, gy, gx, 0);
        ++o;
      }
    }
  }
  // Epilogue: output tile o - 1 went to half (o - 1) % 2, which a step of parity o drains.
  step_pp(Lc, k % 2 == 1, o % 2 == 1, none, false, none, prev, in_a, in_b, w_a, w_b, b_a, b_b, out_a, out_b, rd, w, bias, aux, wr);
}

}  // namespace lic

#endif  // LIC_ENGINE_H
