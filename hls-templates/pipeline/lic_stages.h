// lic-dse pipeline template: one stage per layer, connected by hls::stream under DATAFLOW (FINN / fpgaConvNet
// style). Tensors stream in raster order; a stream word carries W channels of one pixel (word<W>), so a pixel is
// ceil(C/W) words, channels fastest, unused lanes zero.
//
// A convolution is two processes, as FINN splits it (ConvolutionInputGenerator + MatrixVectorActivation):
//  - swu: the sliding-window unit keeps the last rows of its input in a line buffer (PIN-channel words; rows
//    partitioned completely, columns cyclically so that the PK taps of one window word sit in distinct banks),
//    and for every output pixel emits its window as words of PK taps x PIN channels. It reads the rows of the
//    next output row while it emits the windows of the current one (one loop, both in the same iteration).
//  - mvau: the compute unit reads each pixel's window once (into a small window buffer, reused by every block of
//    POUT output channels), does PIN x POUT x PK MACs per cycle against weights banked POUT x PK (PIN-wide words)
//    and writes POUT-channel output words. Streamed weights are fetched in 128-bit beats into a double buffer,
//    the next block while the current one computes, once per REUSE output pixels of a row.
// A sub-pixel transposed convolution loops over the taps its output pixel's phase uses, and no others.
// Widths differ between a producer (POUT) and a consumer (PIN): dwc_stage converts (FINN's
// StreamingDataWidthConverter). The arithmetic (shapes, taps, requantisation) comes from the configuration
// struct in network.h; the parallelism is a template parameter at the call site. The same description of the
// stage (src/arch/pipeline.ts in lic-dse) gives the cost model its cycles and memories.
#ifndef LIC_STAGES_H
#define LIC_STAGES_H

#include "hls_compat.h"
#include "lic_quant.h"
#include "pipeline_perf.h"

namespace lic {

// How a stage computes its taps.
enum StageKind {
  S_CONV = 0,       // convolution
  S_DECONV_SP = 1,  // transposed convolution, sub-pixel: an output pixel uses only the taps of its phase
  S_DECONV_ZI = 2   // transposed convolution, zero-inserted input: all k^2 taps, zeros where nothing lands
};

constexpr int cdiv_c(int a, int b) { return (a + b - 1) / b; }
constexpr int max_c(int a, int b) { return a > b ? a : b; }
constexpr int min_c(int a, int b) { return a < b ? a : b; }

// W channels of one pixel.
template <int W>
struct word {
  act_t v[W];
};

// One 128-bit beat of streamed weights.
struct beat16 {
  wgt_t b[16];
};

// Taps of phase p along one dimension (sub-pixel: kernel indices p, p+S, ...; otherwise all K).
template <int KIND>
constexpr int phase_taps(int K, int S, int p) {
  return KIND == S_DECONV_SP ? cdiv_c(K - p, S) : K;
}

// The tap slots of a stage: per phase (py, px), ceil(taps/PK) groups of PK taps; phases in row-major order,
// and the group offset of each (the weights are stored in this order).
template <class C, int PK>
struct taps {
  static constexpr bool SP = C::KIND == S_DECONV_SP;
  static constexpr int NPY = SP ? C::SH : 1;
  static constexpr int NPX = SP ? C::SW : 1;
  static constexpr int tx(int px) { return phase_taps<C::KIND>(C::KW, C::SW, px); }
  static constexpr int ty(int py) { return phase_taps<C::KIND>(C::KH, C::SH, py); }
  static constexpr int groups(int py, int px) { return cdiv_c(ty(py) * tx(px), PK); }
  static constexpr int base(int py, int px) {
    int b = 0;
    for (int y = 0; y < NPY; ++y)
      for (int x = 0; x < NPX; ++x) {
        if (y == py && x == px) return b;
        b += groups(y, x);
      }
    return b;
  }
  static constexpr int total() { return base(NPY, 0); }
  static constexpr int most() {
    int m = 0;
    for (int y = 0; y < NPY; ++y)
      for (int x = 0; x < NPX; ++x) m = max_c(m, groups(y, x));
    return m;
  }
  static int py(int oy) { return SP ? (oy + C::PT) % C::SH : 0; }
  static int px(int ox) { return SP ? (ox + C::PL) % C::SW : 0; }
};

// Rows up to which output row o reads: o*S - P + K - 1 (conv), (o + P) / S (transposed), clamped to the input.
template <class C>
inline int stage_last_row(int o) {
  const int r = C::KIND == S_CONV ? o * C::SH - C::PT + C::KH - 1 : (o + C::PT) / C::SH;
  return r < C::IH ? r : C::IH - 1;
}

// Line-buffer rows: the window of one output row plus the rows read for the next one meanwhile.
template <class C>
constexpr int line_rows() {
  return C::KIND == S_CONV ? C::KH + C::SH : cdiv_c(C::KH, C::SH) + 1;
}

// Column banks of the line buffer: the PK taps of a window word lie on at most min(PK, taps per row) consecutive
// columns of any one row, which cyclic banking by that many keeps apart.
template <class C, int PK>
constexpr int column_banks() {
  return PK > 1 ? min_c(PK, phase_taps<C::KIND>(C::KW, C::SW, 0)) : 1;
}

// Input pixel of tap t (in phase py/px's list) of output pixel (oy, ox), and whether it exists.
template <class C, int PK>
inline bool tap_at(int oy, int ox, int t, int& iy, int& ix) {
  typedef taps<C, PK> T;
  if (C::KIND == S_DECONV_SP) {
    const int txn = T::tx(T::px(ox));
    iy = (oy + C::PT) / C::SH - t / txn;
    ix = (ox + C::PL) / C::SW - t % txn;
    return iy >= 0 && iy < C::IH && ix >= 0 && ix < C::IW;
  }
  const int ky = t / C::KW, kx = t % C::KW;
  if (C::KIND == S_CONV) {
    iy = oy * C::SH - C::PT + ky;
    ix = ox * C::SW - C::PL + kx;
    return iy >= 0 && iy < C::IH && ix >= 0 && ix < C::IW;
  }
  const int uy = oy + C::PT - ky, ux = ox + C::PL - kx;
  iy = uy / C::SH;
  ix = ux / C::SW;
  return uy >= 0 && ux >= 0 && uy % C::SH == 0 && ux % C::SW == 0 && iy < C::IH && ix < C::IW;
}

// Window words (PK taps x PIN channels) of output row oy.
template <class C, int PIN, int PK>
inline int row_window_words(int oy) {
  typedef taps<C, PK> T;
  int n = 0;
  for (int px = 0; px < T::NPX; ++px) {
    // Output columns of phase px.
    const int cols = T::SP ? (C::OW + C::SW - 1 - ((px - C::PL) % C::SW + C::SW) % C::SW) / C::SW : C::OW;
    n += cols * T::groups(T::py(oy), px);
  }
  return n * cdiv_c(C::CIN, PIN);
}

// Sliding-window unit: PIN-channel input words in, one window word (PK taps x PIN channels) per cycle out.
template <class C, int PIN, int PK>
void swu(hls::stream<word<PIN>>& in, hls::stream<word<PK * PIN>>& win) {
  typedef taps<C, PK> T;
  constexpr int NB = cdiv_c(C::CIN, PIN);
  constexpr int LB = line_rows<C>();
  constexpr int XB = column_banks<C, PK>();
  static word<PIN> lb[LB][C::IW][NB];
  (void)XB;  // named by the pragma only
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=lb dim=1 complete)
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=lb dim=2 cyclic factor=XB)
  LIC_PRAGMA(HLS AGGREGATE variable=lb)
  int next = 0;  // next input row to read
  int fx = 0, fnb = 0;
  const int first = stage_last_row<C>(0);
  LIC_PERF_BUFFER((std::string(C::ID) + "/line").c_str(), LB * XB, PIN * 8, cdiv_c(C::IW, XB) * NB, "bram");
  // The input FIFO (declared at the top, one row deep: see arch/pipeline.ts) is this stage's memory too.
  if (C::IN_FIFO > 2) LIC_PERF_BUFFER((std::string(C::ID) + "/in_fifo").c_str(), 1, PIN * 8, C::IN_FIFO, "bram");
  LIC_PERF_ENTER("swu", LIC_SWU_DEPTH);
  LIC_LOOP(prologue)
  for (int i = 0; i < (first + 1) * C::IW * NB; ++i) {
    LIC_PRAGMA(HLS PIPELINE II=1)
    LIC_PERF_TRIP("swu", "swu_fill");
    lb[next % LB][fx][fnb] = in.read();
    if (++fnb == NB) { fnb = 0; if (++fx == C::IW) { fx = 0; ++next; } }
  }
  LIC_LOOP(rows)
  for (int oy = 0; oy < C::OH; ++oy) {
    const int to = oy + 1 < C::OH ? stage_last_row<C>(oy + 1) : C::IH - 1;
    const int nfill = to >= next ? (to - next + 1) * C::IW * NB : 0;
    const int nwin = row_window_words<C, PIN, PK>(oy);
    const int py = T::py(oy);
    const int n = nfill > nwin ? nfill : nwin;
    int ox = 0, tg = 0, nb = 0;
    // Reads and windows are spread evenly over the row's n iterations (the more frequent one every iteration):
    // the producer upstream and the compute unit downstream then see a steady rate, not a burst at the row's start
    // and a pause after it, which with shallow FIFOs would stall them (make perf's replay measures it).
    int racc = 0, wacc = 0;
    LIC_PERF_ENTER("swu", LIC_SWU_DEPTH);
    LIC_LOOP(window)
    for (int i = 0; i < n; ++i) {
      LIC_PRAGMA(HLS PIPELINE II=1)
      LIC_PERF_TRIP("swu", "swu_window");
      racc += nfill;
      if (racc >= n) {
        racc -= n;
        lb[next % LB][fx][fnb] = in.read();
        if (++fnb == NB) { fnb = 0; if (++fx == C::IW) { fx = 0; ++next; } }
      }
      wacc += nwin;
      if (wacc >= n) {
        wacc -= n;
        const int px = T::px(ox);
        const int nt = T::ty(py) * T::tx(px);
        word<PK * PIN> w;
        for (int k = 0; k < PK; ++k) {
          const int t = tg * PK + k;
          int iy = 0, ix = 0;
          const bool ok = t < nt && tap_at<C, PK>(oy, ox, t, iy, ix);
          for (int q = 0; q < PIN; ++q) w.v[k * PIN + q] = ok ? lb[iy % LB][ix][nb].v[q] : (act_t)0;
        }
        win.write(w);
        if (++nb == NB) { nb = 0; if (++tg == T::groups(py, px)) { tg = 0; ++ox; } }
      }
    }
  }
}

// Compute unit of a convolution (GDN = false) or a GDN / IGDN (GDN = true: one tap, the operand op(x), and the
// division by the norm at the output): per output pixel, blocks of POUT output channels, each ceil(taps/PK) x
// ceil(CIN/PIN) cycles. With STREAM, the weights of one block come from DRAM (`ws`, 128-bit beats) into a double
// buffer while the previous block computes, once per group of REUSE pixels of a row; the group's outputs wait in
// a ping-pong output buffer and leave while the next group computes. ADD: a residual added after the activation.
template <class C, int PIN, int POUT, int PK, bool GDN, bool ADD, int G>
void mvau_core(hls::stream<word<PK * PIN>>& win, hls::stream<word<POUT>>& out, hls::stream<word<POUT>>& skip,
               const wgt_t (*w)[PK][POUT][PIN], const beat16* ws, const acc_t* bias) {
  typedef taps<C, PK> T;
  constexpr int NB = cdiv_c(C::CIN, PIN);
  constexpr int MB = cdiv_c(C::COUT, POUT);
  constexpr int TGT = T::total();
  constexpr int BLK = TGT * NB;                          // weight words of one block of POUT output channels
  constexpr int BLK_BYTES = BLK * PK * POUT * PIN;
  constexpr int BEATS = C::STREAM ? cdiv_c(BLK_BYTES, 16) : 0;  // 128-bit beats of one block
  static word<PIN> ib[G][T::most() * NB][PK];            // the group's windows, read once, used by every block
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=ib dim=3 complete)
  LIC_PRAGMA(HLS AGGREGATE variable=ib)
  static wgt_t wb[C::STREAM ? 2 : 1][C::STREAM ? BLK : 1][PK][POUT][PIN];
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=wb dim=3 complete)
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=wb dim=4 complete)
  LIC_PRAGMA(HLS ARRAY_RESHAPE variable=wb dim=5 complete)
  static word<POUT> ob[2][G > 1 ? G : 1][G > 1 ? MB : 1];
  LIC_PRAGMA(HLS AGGREGATE variable=ob)
  acc_t a[POUT] = {};
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=a complete)
  // Blocks are numbered in compute order (group-major, then mb); `fetched` blocks are in wb, block k in wb[k % 2].
  const long groups_per_row = cdiv_c(C::OW, G);
  const long blocks = C::STREAM ? (long)C::OH * groups_per_row * MB : 0;
  long fetched = 0, fbeat = 0, block = 0;
  LIC_PERF_BUFFER((std::string(C::ID) + "/window").c_str(), PK, PIN * 8, G * T::most() * NB, "bram");
  if (C::STREAM) {
    LIC_PERF_BUFFER((std::string(C::ID) + "/weights_dbuf").c_str(), PK * POUT, PIN * 8, 2 * BLK, "bram");
    if (G > 1) LIC_PERF_BUFFER((std::string(C::ID) + "/out_pingpong").c_str(), 1, POUT * 8, 2 * G * MB, "bram");
  } else {
    LIC_PERF_BUFFER((std::string(C::ID) + "/weights").c_str(), PK * POUT, PIN * 8, MB * BLK, C::W_URAM ? "uram" : "bram");
  }
  LIC_PERF_MULT((std::string(C::ID) + (GDN || !LIC_PACKED ? "/dsp_mac" : "/dsp_mac_packed2")).c_str(), GDN || !LIC_PACKED ? PK * PIN * POUT : PK * PIN * ((POUT + 1) / 2));
  LIC_PERF_MULT((std::string(C::ID) + "/dsp_post").c_str(), POUT);
  if (GDN && (C::GDN_KIND == lic::GDN || C::GDN_KIND == lic::IGDN)) LIC_PERF_MULT((std::string(C::ID) + "/dsp_square").c_str(), PIN);
  if (GDN && C::NORM_DEPTH > 0) LIC_PERF_BUFFER((std::string(C::ID) + "/norm_table").c_str(), (POUT + 1) / 2, C::NORM_WIDTH, C::NORM_DEPTH, "bram");
  // Prologue: the first block, before anything can compute.
  if (C::STREAM) LIC_PERF_ENTER("mvau", LIC_MVAU_DEPTH);
  LIC_LOOP(fetch_first)
  for (int b = 0; C::STREAM && b < BEATS; ++b) {
    LIC_PRAGMA(HLS PIPELINE II=1)
    LIC_PERF_TRIP("mvau", "mvau_fetch");
    LIC_PERF_BEAT("mvau", "w", b, 16);
    const beat16 v = ws[b];
    for (int j = 0; j < 16; ++j) {
      const int i = b * 16 + j;
      if (i < BLK_BYTES) wb[0][i / (PK * POUT * PIN)][i / (POUT * PIN) % PK][i / PIN % POUT][i % PIN] = v.b[j];
    }
  }
  if (C::STREAM) fetched = 1;
  int oy = 0, ox0 = 0, mb = 0, g = 0, tg = 0, nb = 0;
  int pend = 0, epix = 0, eblk = 0, ebuf = 0, cbuf = 0;  // output words of the previous group still to leave
  bool done = false;
  LIC_PERF_ENTER("mvau", LIC_MVAU_DEPTH);
  LIC_LOOP(mac)
  while (!done || pend > 0) {
    LIC_PRAGMA(HLS PIPELINE II=1)
    LIC_PERF_TRIP("mvau", "mvau_mac");
    // Fetch: one beat of the next block, at most one block ahead of the compute.
    if (C::STREAM && fetched < blocks && fetched <= block + 1) {
      const long mbf = fetched % MB;
      LIC_PERF_BEAT("mvau", "w", mbf * BEATS + fbeat, 16);
      const beat16 v = ws[mbf * BEATS + fbeat];
      for (int j = 0; j < 16; ++j) {
        const int i = (int)fbeat * 16 + j;
        if (i < BLK_BYTES) wb[fetched % 2][i / (PK * POUT * PIN)][i / (POUT * PIN) % PK][i / PIN % POUT][i % PIN] = v.b[j];
      }
      if (++fbeat == BEATS) { fbeat = 0; ++fetched; }
    }
    // Emit: one word of the previous group (pixel-major).
    if (G > 1 && pend > 0) {
      word<POUT> o = ob[ebuf][epix][eblk];
      if (ADD) {
        const word<POUT> s = skip.read();
        for (int p = 0; p < POUT; ++p) o.v[p] = (act_t)sat8((int32_t)o.v[p] + (int32_t)s.v[p]);
      }
      out.write(o);
      --pend;
      if (++eblk == MB) { eblk = 0; ++epix; }
    }
    // Compute: one window word x one weight word, if its block is in and the output buffer is free.
    // A group completes no earlier than G*MB iterations after the previous one, and its predecessor's G*MB words
    // leave one per iteration meanwhile (emit runs before compute in an iteration): the ping-pong never overruns.
    const bool ready = !done && (!C::STREAM || fetched > block);
    if (ready) {
      const int ox = ox0 + g;
      const int px = T::px(ox);
      const int py = T::py(oy);
      const int ng = T::groups(py, px);
      const int slot = tg * NB + nb;
      if (mb == 0) {
        const word<PK * PIN> v = win.read();
        for (int k = 0; k < PK; ++k)
          for (int q = 0; q < PIN; ++q) ib[g][slot][k].v[q] = v.v[k * PIN + q];
      }
      word<PK * PIN> x;
      for (int k = 0; k < PK; ++k)
        for (int q = 0; q < PIN; ++q) x.v[k * PIN + q] = ib[g][slot][k].v[q];
      if (tg == 0 && nb == 0) {
        for (int p = 0; p < POUT; ++p) {
          const int m = mb * POUT + p;
          a[p] = ((GDN || C::HAS_BIAS) && m < C::COUT) ? bias[m] : 0;
        }
      }
      const int wi = (C::STREAM ? 0 : mb * BLK) + (T::base(py, px) + tg) * NB + nb;
      // PK x PIN x POUT products; output channels in pairs share the activation in one DSP (WP486) where the
      // board packs INT8 (LIC_PACKED); GDN's x^2 operand is too wide to pack.
      constexpr bool PACK = LIC_PACKED && !GDN;
      acc_t sum[POUT] = {};
      for (int k = 0; k < PK; ++k) {
        for (int q = 0; q < PIN; ++q) {
          const int32_t xv = GDN ? gdn_operand(C::GDN_KIND, x.v[k * PIN + q]) : (int32_t)x.v[k * PIN + q];
          for (int j = 0; j < (POUT + 1) / 2; ++j) {
            const int p = 2 * j;
            const int32_t wl = C::STREAM ? wb[block % 2][wi][k][p][q] : w[wi][k][p][q];
            const int32_t wh = p + 1 >= POUT ? 0 : C::STREAM ? wb[block % 2][wi][k][p + 1][q] : w[wi][k][p + 1][q];
            if (PACK && p + 1 < POUT) {
              int32_t hi, lo;
              mul2(wh, wl, xv, hi, lo);
              sum[p] += lo;
              sum[p + 1] += hi;
            } else {
              sum[p] += (acc_t)wl * xv;
              if (p + 1 < POUT) sum[p + 1] += (acc_t)wh * xv;
            }
          }
        }
      }
      for (int p = 0; p < POUT; ++p) a[p] += sum[p];
      if (++nb == NB) {
        nb = 0;
        if (++tg == ng) {
          tg = 0;
          // Block (pixel ox, channels mb) complete: requantise (GDN: divide by the norm) into an output word.
          word<POUT> o;
          for (int p = 0; p < POUT; ++p) {
            const int m = mb * POUT + p;
            int32_t v = 0;
            if (m < C::COUT) {
              if (GDN) {
                const act_t xm = ib[g][m / PIN][0].v[m % PIN];
                v = activate(gdn_apply(C::GDN_KIND, xm, a[p]), C::ACT, C::SLOPE);
              } else {
                v = requant(a[p], C::SHIFT, C::ACT, C::SLOPE);
              }
            }
            o.v[p] = (act_t)v;
          }
          if (G > 1) {
            ob[cbuf][g][mb] = o;
          } else {
            if (ADD) {
              const word<POUT> s = skip.read();
              for (int p = 0; p < POUT; ++p) o.v[p] = (act_t)sat8((int32_t)o.v[p] + (int32_t)s.v[p]);
            }
            out.write(o);
          }
          // Next: the group's next pixel, then the next block of output channels, then the next group.
          const int gn = min_c(G, C::OW - ox0);
          if (++g == gn) {
            g = 0;
            if (C::STREAM) ++block;
            if (++mb == MB) {
              mb = 0;
              if (G > 1) { pend = gn * MB; ebuf = cbuf; cbuf ^= 1; epix = 0; eblk = 0; }
              ox0 += G;
              if (ox0 >= C::OW) { ox0 = 0; if (++oy == C::OH) done = true; }
            }
          }
        }
      }
    }
  }
}

// A convolution / transposed convolution's compute unit; its window stream comes from swu (or, for a 1x1
// stride-1 convolution, is the input itself).
template <class C, int PIN, int POUT, int PK>
void mvau(hls::stream<word<PK * PIN>>& win, hls::stream<word<POUT>>& out, const wgt_t (*w)[PK][POUT][PIN], const acc_t* bias) {
  static hls::stream<word<POUT>> none("none");
  mvau_core<C, PIN, POUT, PK, false, false, 1>(win, out, none, w, nullptr, bias);
}

template <class C, int PIN, int POUT, int PK>
void mvau_add(hls::stream<word<PK * PIN>>& win, hls::stream<word<POUT>>& skip, hls::stream<word<POUT>>& out, const wgt_t (*w)[PK][POUT][PIN], const acc_t* bias) {
  mvau_core<C, PIN, POUT, PK, false, true, 1>(win, out, skip, w, nullptr, bias);
}

template <class C, int PIN, int POUT, int PK>
void mvau_stream(hls::stream<word<PK * PIN>>& win, hls::stream<word<POUT>>& out, const beat16* ws, const acc_t* bias) {
  static hls::stream<word<POUT>> none("none");
  mvau_core<C, PIN, POUT, PK, false, false, min_c(C::REUSE, C::OW)>(win, out, none, nullptr, ws, bias);
}

template <class C, int PIN, int POUT, int PK>
void mvau_stream_add(hls::stream<word<PK * PIN>>& win, hls::stream<word<POUT>>& skip, hls::stream<word<POUT>>& out, const beat16* ws, const acc_t* bias) {
  mvau_core<C, PIN, POUT, PK, false, true, min_c(C::REUSE, C::OW)>(win, out, skip, nullptr, ws, bias);
}

// GDN / IGDN (and simplified): n_i = beta_i + sum_j gamma_ij * op(x_j), then y_i = gdn_apply(x_i, n_i); gamma on chip.
template <class C, int PIN, int POUT>
void gdn_stage(hls::stream<word<PIN>>& in, hls::stream<word<POUT>>& out, const wgt_t (*gamma)[1][POUT][PIN], const acc_t* beta) {
  static hls::stream<word<POUT>> none("none");
  mvau_core<C, PIN, POUT, 1, true, false, 1>(in, out, none, gamma, nullptr, beta);
}

template <class C, int PIN, int POUT>
void gdn_add_stage(hls::stream<word<PIN>>& in, hls::stream<word<POUT>>& skip, hls::stream<word<POUT>>& out, const wgt_t (*gamma)[1][POUT][PIN], const acc_t* beta) {
  mvau_core<C, PIN, POUT, 1, true, true, 1>(in, out, skip, gamma, nullptr, beta);
}

// Width conversion of a C-channel stream from WI- to WO-channel words (FINN's StreamingDataWidthConverter): a
// pixel buffer pair, so pixel p's words come in while pixel p-1's leave (max(words in, words out) a pixel).
template <int C, int PIXELS, int WI, int WO>
void dwc_stage(hls::stream<word<WI>>& in, hls::stream<word<WO>>& out) {
  constexpr int NI = cdiv_c(C, WI), NO = cdiv_c(C, WO);
  constexpr int NP = NI * WI > NO * WO ? NI * WI : NO * WO;
  act_t pix[2][NP];
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=pix complete)
  LIC_LOOP(dwc)
  for (int p = 0; p <= PIXELS; ++p) {
    for (int k = 0; k < (NI > NO ? NI : NO); ++k) {
      LIC_PRAGMA(HLS PIPELINE II=1)
      LIC_PERF_TICK();
      if (p < PIXELS && k < NI) {
        const word<WI> v = in.read();
        for (int j = 0; j < WI; ++j) pix[p % 2][k * WI + j] = v.v[j];
      }
      if (p > 0 && k < NO) {
        word<WO> v;
        for (int j = 0; j < WO; ++j) v.v[j] = k * WO + j < C ? pix[(p - 1) % 2][k * WO + j] : (act_t)0;
        out.write(v);
      }
    }
  }
}

// Saturating residual add of two streams of N words.
template <int N, int W>
void add_stage(hls::stream<word<W>>& a, hls::stream<word<W>>& b, hls::stream<word<W>>& out) {
  LIC_LOOP(add)
  for (int i = 0; i < N; ++i) {
    LIC_PRAGMA(HLS PIPELINE II=1)
    LIC_PERF_TICK();
    const word<W> x = a.read(), y = b.read();
    word<W> o;
    for (int j = 0; j < W; ++j) o.v[j] = (act_t)sat8((int32_t)x.v[j] + (int32_t)y.v[j]);
    out.write(o);
  }
}

// ReLU / LeakyReLU / abs on its own (when no producing stage could take it); padding lanes stay zero.
template <int N, int W, int ACT, int SLOPE>
void unary_stage(hls::stream<word<W>>& in, hls::stream<word<W>>& out) {
  LIC_LOOP(unary)
  for (int i = 0; i < N; ++i) {
    LIC_PRAGMA(HLS PIPELINE II=1)
    LIC_PERF_TICK();
    const word<W> x = in.read();
    word<W> o;
    for (int j = 0; j < W; ++j) o.v[j] = (act_t)activate(x.v[j], ACT, SLOPE);
    out.write(o);
  }
}

// Pixel shuffle by R: reads input row y (W pixels of C*R*R channels, WI-channel words) into one half of a row
// buffer while it emits the R output rows of row y - 1 (WO-channel words) from the other, both spread evenly over
// the row's iterations (arch/pipeline.ts shuffleCycles, which the estimate prices). ID makes every stage its own
// function (and row buffer) when two have the same shape.
template <int ID, int C, int H, int W, int R, int WI, int WO>
void shuffle_stage(hls::stream<word<WI>>& in, hls::stream<word<WO>>& out) {
  constexpr int CI = C * R * R;
  constexpr int NI = cdiv_c(CI, WI), NO = cdiv_c(C, WO);
  constexpr int RD = W * NI, WR = R * W * R * NO;
  static act_t row[2][W][NI * WI];
  LIC_PRAGMA(HLS ARRAY_PARTITION variable=row dim=3 cyclic factor=WI)
  LIC_LOOP(rows)
  for (int y = 0; y <= H; ++y) {
    const int nr = y < H ? RD : 0, nw = y > 0 ? WR : 0;
    const int n = nr > nw ? nr : nw;
    int racc = 0, wacc = 0, x = 0, k = 0, i = 0, X = 0, ko = 0;
    LIC_PERF_ENTER("shuffle", LIC_SWU_DEPTH);
    LIC_LOOP(move)
    for (int t = 0; t < n; ++t) {
      LIC_PRAGMA(HLS PIPELINE II=1)
      LIC_PERF_TRIP("shuffle", "shuffle");
      racc += nr;
      if (racc >= n) {
        racc -= n;
        const word<WI> v = in.read();
        for (int j = 0; j < WI; ++j) row[y % 2][x][k * WI + j] = v.v[j];
        if (++k == NI) { k = 0; ++x; }
      }
      wacc += nw;
      if (wacc >= n) {
        wacc -= n;
        word<WO> v;
        for (int j = 0; j < WO; ++j) {
          const int c = ko * WO + j;
          v.v[j] = c < C ? row[(y + 1) % 2][X / R][c * R * R + i * R + X % R] : (act_t)0;
        }
        out.write(v);
        if (++ko == NO) { ko = 0; if (++X == W * R) { X = 0; ++i; } }
      }
    }
  }
}

// One stream to two (a tensor read by two stages).
template <int N, int W>
void dup_stage(hls::stream<word<W>>& in, hls::stream<word<W>>& a, hls::stream<word<W>>& b) {
  LIC_LOOP(dup)
  for (int i = 0; i < N; ++i) {
    LIC_PRAGMA(HLS PIPELINE II=1)
    LIC_PERF_TICK();
    const word<W> v = in.read();
    a.write(v);
    b.write(v);
  }
}

// Memory (H x W x C int8) to a stream of W-channel words and back.
template <int PIXELS, int C, int W>
void read_input(const act_t* src, hls::stream<word<W>>& out) {
  constexpr int NW = cdiv_c(C, W);
  LIC_LOOP(read)
  for (int i = 0; i < PIXELS * NW; ++i) {
    LIC_PRAGMA(HLS PIPELINE II=1)
    LIC_PERF_TICK();
    const int p = i / NW, k = i % NW;
    word<W> v;
    for (int j = 0; j < W; ++j) v.v[j] = k * W + j < C ? src[(long)p * C + k * W + j] : (act_t)0;
    out.write(v);
  }
}

template <int PIXELS, int C, int W>
void write_output(hls::stream<word<W>>& in, act_t* dst) {
  constexpr int NW = cdiv_c(C, W);
  LIC_LOOP(write)
  for (int i = 0; i < PIXELS * NW; ++i) {
    LIC_PRAGMA(HLS PIPELINE II=1)
    LIC_PERF_TICK();
    const int p = i / NW, k = i % NW;
    const word<W> v = in.read();
    for (int j = 0; j < W; ++j) {
      if (k * W + j < C) dst[(long)p * C + k * W + j] = v.v[j];
    }
  }
}

}  // namespace lic

#endif  // LIC_STAGES_H
