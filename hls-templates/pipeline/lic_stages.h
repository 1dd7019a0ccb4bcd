// lic-dse pipeline template: one stage per layer, connected by hls::stream under DATAFLOW (FINN / fpgaConvNet
// style). Tensors stream in raster order, channels fastest (H x W x C), one int8 value per stream word.
// A convolution stage keeps the last rows of its input in a line buffer and computes each output pixel with
// PIN x POUT (x PK kernel taps) MACs per cycle; its weights are a read-only memory (on chip) or are fetched from
// DRAM for every REUSE output pixels (streamed), as the design point says. The layer's shape and arithmetic
// come from its configuration struct in network.h; the parallelism is a template parameter at the call site.
#ifndef LIC_STAGES_H
#define LIC_STAGES_H

#include "hls_compat.h"
#include "lic_quant.h"

namespace lic {

// How a stage computes its taps.
enum StageKind {
  S_CONV = 0,       // convolution
  S_DECONV_SP = 1,  // transposed convolution, sub-pixel: each output pixel uses its phase's ceil(k/s)^2 taps
  S_DECONV_ZI = 2   // transposed convolution, zero-inserted input: all k^2 taps, zeros where nothing lands
};

constexpr int cdiv_c(int a, int b) { return (a + b - 1) / b; }

// Tap t of output coordinate o along one dimension: input coordinate i, kernel index k, whether it exists.
template <int KIND, int K, int S, int P, int IN>
inline void stage_tap(int o, int t, int& i, int& k, bool& ok) {
  if (KIND == S_CONV) {
    k = t;
    i = o * S - P + t;
    ok = i >= 0 && i < IN;
  } else if (KIND == S_DECONV_SP) {
    const int phase = (o + P) % S;
    k = phase + S * t;
    i = (o + P) / S - t;
    ok = k < K && i >= 0 && i < IN;
  } else {
    k = t;
    const int u = o + P - t;
    i = u / S;
    ok = u >= 0 && u % S == 0 && i < IN;
  }
}

// Input rows an output row needs up to: the window ends at row o*S - P + K - 1 (conv) or (o + P) / S (transposed).
template <int KIND, int K, int S, int P, int IN>
inline int stage_last_row(int o) {
  const int r = KIND == S_CONV ? o * S - P + K - 1 : (o + P) / S;
  return r < IN ? r : IN - 1;
}

// POUT output channels (block mb) of one output pixel: bias, then every tap and input-channel block.
template <class C, int PIN, int POUT, int PK, int LB>
void conv_pixel(const act_t lb[][C::IW][cdiv_c(C::CIN, PIN) * PIN], int oy, int ox, int mb, const wgt_t* wb, const acc_t* bias, acc_t* acc) {
  constexpr int TY = C::KIND == S_DECONV_SP ? cdiv_c(C::KH, C::SH) : C::KH;
  constexpr int TX = C::KIND == S_DECONV_SP ? cdiv_c(C::KW, C::SW) : C::KW;
  constexpr int TAPS = TY * TX;
  constexpr int NB = cdiv_c(C::CIN, PIN);
  acc_t a[POUT];
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=a complete)
  for (int p = 0; p < POUT; ++p) {
    const int m = mb * POUT + p;
    a[p] = (C::HAS_BIAS && m < C::COUT) ? bias[m] : 0;
  }
  LIC_LOOP(mac)
  for (int t0 = 0; t0 < TAPS; t0 += PK) {
    for (int nb = 0; nb < NB; ++nb) {
      LIC_PRAGMA(HLS PIPELINE II=1)
      for (int k = 0; k < PK; ++k) {
        const int t = t0 + k;
        if (t >= TAPS) continue;
        int iy, ky, ix, kx;
        bool oky, okx;
        stage_tap<C::KIND, C::KH, C::SH, C::PT, C::IH>(oy, t / TX, iy, ky, oky);
        stage_tap<C::KIND, C::KW, C::SW, C::PL, C::IW>(ox, t % TX, ix, kx, okx);
        const bool ok = oky && okx;
        const int wt = ((ok ? ky * C::KW + kx : 0) * NB + nb) * POUT * PIN;
        for (int p = 0; p < POUT; ++p) {
          acc_t s = 0;
          for (int q = 0; q < PIN; ++q) {
            const int32_t xv = ok ? (int32_t)lb[iy % LB][ix][nb * PIN + q] : 0;
            s += (acc_t)wb[wt + p * PIN + q] * xv;
          }
          a[p] += s;
        }
      }
    }
  }
  for (int p = 0; p < POUT; ++p) acc[mb * POUT + p] = a[p];
}

// Convolution / transposed convolution stage (with an optional residual added from `skip` after the activation).
template <class C, int PIN, int POUT, int PK, bool ADD>
void conv_core(hls::stream<act_t>& in, hls::stream<act_t>& out, hls::stream<act_t>& skip, const wgt_t* w, const acc_t* bias) {
  constexpr bool DE = C::KIND != S_CONV;
  constexpr int LB = DE ? cdiv_c(C::KH, C::SH) : C::KH;  // line-buffer rows
  constexpr int NB = cdiv_c(C::CIN, PIN);
  constexpr int MB = cdiv_c(C::COUT, POUT);
  constexpr int CP = NB * PIN;
  constexpr int WBLOCK = C::KH * C::KW * NB * POUT * PIN;  // weights of one block of POUT output channels
  constexpr int G = C::STREAM ? C::REUSE : 1;              // output pixels per weight fetch
  static act_t lb[LB][C::IW][CP];
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=lb dim=1 complete)
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=lb dim=3 cyclic factor=PIN)
  static wgt_t wloc[C::STREAM ? WBLOCK : 1];
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=wloc dim=1 cyclic factor=PIN*POUT)
  static acc_t acc[G][MB * POUT];
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=acc dim=2 cyclic factor=POUT)
  int next = 0;  // next input row to read
  LIC_LOOP(rows)
  for (int oy = 0; oy < C::OH; ++oy) {
    const int need = stage_last_row<C::KIND, C::KH, C::SH, C::PT, C::IH>(oy);
    LIC_LOOP(fill)
    for (; next <= need; ++next) {
      for (int x = 0; x < C::IW; ++x) {
        for (int c = 0; c < C::CIN; ++c) {
          LIC_PRAGMA(HLS PIPELINE II=1)
          lb[next % LB][x][c] = in.read();
        }
      }
    }
    LIC_LOOP(cols)
    for (int ox0 = 0; ox0 < C::OW; ox0 += G) {
      LIC_LOOP(out_blocks)
      for (int mb = 0; mb < MB; ++mb) {
        if (C::STREAM) {
          LIC_LOOP(fetch)
          for (int i = 0; i < WBLOCK; ++i) {
            LIC_PRAGMA(HLS PIPELINE II=1)
            wloc[i] = w[mb * WBLOCK + i];
          }
        }
        LIC_LOOP(pixels)
        for (int g = 0; g < G; ++g) {
          const int ox = ox0 + g;
          if (ox >= C::OW) break;
          if (C::STREAM) {
            conv_pixel<C, PIN, POUT, PK, LB>(lb, oy, ox, mb, wloc, bias, acc[g]);
          } else {
            conv_pixel<C, PIN, POUT, PK, LB>(lb, oy, ox, mb, w + mb * WBLOCK, bias, acc[g]);
          }
        }
      }
      LIC_LOOP(emit)
      for (int g = 0; g < G; ++g) {
        if (ox0 + g >= C::OW) break;
        for (int m = 0; m < C::COUT; ++m) {
          LIC_PRAGMA(HLS PIPELINE II=1)
          int32_t v = requant(acc[g][m], C::SHIFT, C::ACT, C::SLOPE);
          if (ADD) v = sat8(v + (int32_t)skip.read());
          out.write((act_t)v);
        }
      }
    }
  }
  LIC_LOOP(drain)
  for (; next < C::IH; ++next) {
    for (int i = 0; i < C::IW * C::CIN; ++i) {
      LIC_PRAGMA(HLS PIPELINE II=1)
      (void)in.read();
    }
  }
}

template <class C, int PIN, int POUT, int PK>
void conv_stage(hls::stream<act_t>& in, hls::stream<act_t>& out, const wgt_t* w, const acc_t* bias) {
  static hls::stream<act_t> none("none");
  conv_core<C, PIN, POUT, PK, false>(in, out, none, w, bias);
}

template <class C, int PIN, int POUT, int PK>
void conv_add_stage(hls::stream<act_t>& in, hls::stream<act_t>& skip, hls::stream<act_t>& out, const wgt_t* w, const acc_t* bias) {
  conv_core<C, PIN, POUT, PK, true>(in, out, skip, w, bias);
}

// GDN / IGDN (and simplified) stage: per pixel, n_i = beta_i + sum_j gamma_ij * op(x_j) with PIN x POUT MACs per
// cycle, then y_i = gdn_apply(x_i, n_i) (lic_quant.h).
template <class C, int PIN, int POUT, bool ADD>
void gdn_core(hls::stream<act_t>& in, hls::stream<act_t>& out, hls::stream<act_t>& skip, const wgt_t* gamma, const acc_t* beta) {
  constexpr int NB = cdiv_c(C::CIN, PIN);
  constexpr int MB = cdiv_c(C::CIN, POUT);
  static act_t x[NB * PIN];
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=x dim=1 cyclic factor=PIN)
  LIC_LOOP(pixels)
  for (int i = 0; i < C::IH * C::IW; ++i) {
    for (int c = 0; c < C::CIN; ++c) {
      LIC_PRAGMA(HLS PIPELINE II=1)
      x[c] = in.read();
    }
    LIC_LOOP(out_blocks)
    for (int mb = 0; mb < MB; ++mb) {
      acc_t a[POUT];
      LIC_PRAGMA(HLS ARRAY_PARTITION variable=a complete)
      for (int p = 0; p < POUT; ++p) {
        const int m = mb * POUT + p;
        a[p] = m < C::CIN ? beta[m] : 0;
      }
      LIC_LOOP(mac)
      for (int nb = 0; nb < NB; ++nb) {
        LIC_PRAGMA(HLS PIPELINE II=1)
        for (int p = 0; p < POUT; ++p) {
          acc_t s = 0;
          for (int q = 0; q < PIN; ++q) {
            s += (acc_t)gamma[((mb * NB + nb) * POUT + p) * PIN + q] * gdn_operand(C::GDN_KIND, x[nb * PIN + q]);
          }
          a[p] += s;
        }
      }
      LIC_LOOP(emit)
      for (int p = 0; p < POUT; ++p) {
        LIC_PRAGMA(HLS PIPELINE II=1)
        const int m = mb * POUT + p;
        if (m >= C::CIN) break;
        int32_t v = activate(gdn_apply(C::GDN_KIND, x[m], a[p]), C::ACT, C::SLOPE);
        if (ADD) v = sat8(v + (int32_t)skip.read());
        out.write((act_t)v);
      }
    }
  }
}

template <class C, int PIN, int POUT>
void gdn_stage(hls::stream<act_t>& in, hls::stream<act_t>& out, const wgt_t* gamma, const acc_t* beta) {
  static hls::stream<act_t> none("none");
  gdn_core<C, PIN, POUT, false>(in, out, none, gamma, beta);
}

template <class C, int PIN, int POUT>
void gdn_add_stage(hls::stream<act_t>& in, hls::stream<act_t>& skip, hls::stream<act_t>& out, const wgt_t* gamma, const acc_t* beta) {
  gdn_core<C, PIN, POUT, true>(in, out, skip, gamma, beta);
}

// Saturating residual add of two streams.
template <int N>
void add_stage(hls::stream<act_t>& a, hls::stream<act_t>& b, hls::stream<act_t>& out) {
  LIC_LOOP(add)
  for (int i = 0; i < N; ++i) {
    LIC_PRAGMA(HLS PIPELINE II=1)
    out.write((act_t)sat8((int32_t)a.read() + (int32_t)b.read()));
  }
}

// ReLU / LeakyReLU / abs on its own (when no producing stage could take it).
template <int N, int ACT, int SLOPE>
void unary_stage(hls::stream<act_t>& in, hls::stream<act_t>& out) {
  LIC_LOOP(unary)
  for (int i = 0; i < N; ++i) {
    LIC_PRAGMA(HLS PIPELINE II=1)
    out.write((act_t)activate(in.read(), ACT, SLOPE));
  }
}

// Pixel shuffle by R: buffers one input row (W pixels of C*R*R channels) and emits R output rows. ID makes every
// stage its own function (and row buffer) when two shuffles have the same shape.
template <int ID, int C, int H, int W, int R>
void shuffle_stage(hls::stream<act_t>& in, hls::stream<act_t>& out) {
  static act_t row[W][C * R * R];
  LIC_LOOP(rows)
  for (int y = 0; y < H; ++y) {
    for (int x = 0; x < W; ++x) {
      for (int c = 0; c < C * R * R; ++c) {
        LIC_PRAGMA(HLS PIPELINE II=1)
        row[x][c] = in.read();
      }
    }
    LIC_LOOP(emit)
    for (int i = 0; i < R; ++i) {
      for (int X = 0; X < W * R; ++X) {
        for (int c = 0; c < C; ++c) {
          LIC_PRAGMA(HLS PIPELINE II=1)
          out.write(row[X / R][c * R * R + i * R + X % R]);
        }
      }
    }
  }
}

// One stream to two (a tensor read by two stages).
template <int N>
void dup_stage(hls::stream<act_t>& in, hls::stream<act_t>& a, hls::stream<act_t>& b) {
  LIC_LOOP(dup)
  for (int i = 0; i < N; ++i) {
    LIC_PRAGMA(HLS PIPELINE II=1)
    const act_t v = in.read();
    a.write(v);
    b.write(v);
  }
}

// Memory (H x W x C) to stream and back.
template <int N>
void read_input(const act_t* src, hls::stream<act_t>& out) {
  LIC_LOOP(read)
  for (int i = 0; i < N; ++i) {
    LIC_PRAGMA(HLS PIPELINE II=1)
    out.write(src[i]);
  }
}

template <int N>
void write_output(hls::stream<act_t>& in, act_t* dst) {
  LIC_LOOP(write)
  for (int i = 0; i < N; ++i) {
    LIC_PRAGMA(HLS PIPELINE II=1)
    dst[i] = in.read();
  }
}

}  // namespace lic

#endif  // LIC_STAGES_H
