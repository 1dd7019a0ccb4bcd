// One layer of the engine's schedule: a row of the table in tiling.h (lic-dse engine template).
#ifndef LIC_LAYER_H
#define LIC_LAYER_H

namespace lic {

// What a pass of the engine computes. The convolution kinds and the GDN kinds run on the MAC array; the last
// three are element-wise passes over memory for layers that could not be folded into a producer's store.
enum Kind {
  K_CONV = 0,       // convolution (stride, zero padding)
  K_DECONV_SP = 1,  // transposed convolution as s*s sub-pixel phase convolutions (X-LIC)
  K_DECONV_ZI = 2,  // transposed convolution as a stride-1 convolution over the zero-inserted input
  K_GDN = 3,        // GDN / IGDN / simplified forms: a C x C 1x1 product on x^2 (|x|) + per-channel scaling
  K_IGDN = 4,
  K_GDN_S = 5,
  K_IGDN_S = 6,
  K_ADD = 7,        // saturating residual add
  K_SHUFFLE = 8,    // pixel shuffle
  K_UNARY = 9       // ReLU / LeakyReLU / abs
};

struct LayerCfg {
  int kind;
  int cin, ih, iw;            // input tensor of the layer's MAC op (C x H x W)
  int cout, oh, ow;           // its output, before a folded pixel shuffle
  int kh, kw, sh, sw, pt, pl; // kernel, stride, padding (conv) or P of o = i*s + k - P (transposed conv)
  int gy0, gx0, gr, gc;       // compute grid: origin (sub-pixel phase offset) and size in grid positions
  int tn, tm, tr, tc;         // tile: input channels, output channels, grid rows, grid columns
  int shift, act, slope, has_bias, shuffle;
  int in_off, add_off, out_off, w_off, b_off;  // beat offsets of the tensors, weight tiles; bias element offset
  int out_c, out_h, out_w;    // tensor written (after a folded pixel shuffle)
  int tap_off, ntaps, wtaps;  // executed taps (rows of TAPS) and weight rows per (output word, input word)
  int passes;                 // 2 for GDN/IGDN: x^2 = 128 * hi + lo, each half through the packed multipliers
  int my, mx;                 // buffer-index stride between neighbouring grid positions (conv stride, else 1)
  int rows_pb, cols_pb;       // input rows and columns each bank holds (stride-aware banking)
  int nt, wblock;             // input-channel tiles and beats per weight tile
  long long est;              // lic-dse's estimated cycles (make perf prints them beside the count)
};

// One executed tap: weight row, buffer offsets added to grid * stride, output phase, first tap of its phase.
struct TapCfg {
  int wt, addy, addx, ph, init;
};

}  // namespace lic

#endif  // LIC_LAYER_H
