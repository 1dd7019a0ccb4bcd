import { describe, expect, it } from 'vitest';
import { scheduleBound } from '../../src/cost/engine.js';
import { board, evalDoc, modelDoc, point } from './helpers.js';

const zeroOverheads = { perTileCycles: 0, perLayerCycles: 0, prologueCycles: 0 };
const engine = (over: object = {}) => ({
  pif: 4, pof: 8, poy: 1, pox: 1, tif: 4, tof: 8, inBufDepth: 4096, outBufDepth: 4096, wBufDepth: 4096,
  ports: { read: 1, weight: 1, write: 1, widthBits: 128 }, overheads: zeroOverheads, ...over,
});
// 1 TB/s: DRAM never limits unless a test says so.
const fast = board({ gbs: 1000, eff: 1 });

describe('engine template, hand-worked', () => {
  // An 8-channel 16×16 input: conv 3×3, 8 → 16 channels, stride 1, padding 1 → 16×16×16.
  const doc = modelDoc([{ name: 'c', op: 'conv', cout: 16, kernel: 3, padding: 1 }], { image: { channels: 8 } });

  // zcu102's AXI figures (UG1085): bursts of at most 16 beats, 8 outstanding, 64-cycle round trip, 64-byte DRAM
  // accesses; 128-bit beats of L = 16 int8 channels; loads and stores fill in 4 cycles (MOVE_DEPTH).
  it('cycles = prologue + Σ steps max(compute, next load, previous store) + epilogue (src/arch/engine.ts)', () => {
    const e = evalDoc(doc, 16, 16, fast, point({ arch: 'engine', engine: engine({ tif: 8, tof: 16, layers: { 'g_a/c': { tn: 8, tm: 16, tr: 8, tc: 8 } } }) }));
    // 4 output tiles (2 × 2 of 8×8), one input tile each.
    // Compute: 9 taps · ⌈16/8⌉ · ⌈8/4⌉ · 8 · 8 = 2,304 trips.
    // Load of activations: a 9×9 window (the first tile is clipped by the padding, the second by the edge),
    //   one beat per pixel (8 channels), two 4-channel words written per beat → 162 trips + 4 = 166;
    //   port: 9 rows of 9 beats = 9 bursts → max(81, ⌈9·64/8⌉ = 72) + 64 = 145.
    // Weights: 36 rows of 8×4 bytes = 2 beats each, + 4 bias beats → 76 trips + 2·4 = 84; 6 bursts → 140.
    // Store: 64 positions × 2 accumulator words = 128 trips + 4 = 132; 8 bursts of 8 beats → max(64, 64) + 64 = 128.
    // Prologue (first load) 166; 4 steps of 2,304 (compute binds); epilogue (last store) 132.
    expect(e.layers[0].cycles).toBe(166 + 4 * 2304 + 132);
    expect(e.layers[0].bound).toBe('compute');
    expect(e.layers[0].macs).toBe(16 * 16 * 16 * 8 * 9);
  });

  it('a 3-channel first layer wastes the input-channel unroll and pays whole beats', () => {
    const first = modelDoc([{ name: 'c', op: 'conv', cout: 8, kernel: 3, padding: 1 }]);
    const e = evalDoc(first, 16, 16, fast, point({ arch: 'engine', engine: engine({ pif: 16, tif: 16, layers: { 'g_a/c': { tn: 16, tm: 8, tr: 16, tc: 16 } } }) }));
    expect(e.layers[0].utilization).toBeLessThanOrEqual(3 / 16);
    expect(e.layers[0].utilization).toBeGreaterThan(0.14);
    // DRAM bytes: 256 input beats of 16 bytes (3 useful) in 16 bursts = 4,096; 72 weight beats (9 rows of 8×16)
    // in bursts of 16,16,16,16,8 → 4·256 + 128 = 1,152; 2 bias beats → one 64-byte access; 256 output beats
    // (8 channels each) = 4,096.
    expect(e.layers[0].offchipBytes).toBe(4096 + 1152 + 64 + 4096);
  });

  it('GDN: a C×C 1×1 product on x² in two 8-bit passes; the store re-reads only its own channels of x, once', () => {
    const g = modelDoc([{ name: 'g', op: 'gdn' }], { image: { channels: 8 } });
    const e = evalDoc(g, 16, 16, fast, point({ arch: 'engine', engine: engine({ tif: 8, layers: { 'g_a/g': { tn: 8, tm: 8, tr: 16, tc: 16 } } }) }));
    // One output tile, one input tile. Compute: 2 passes · ⌈8/8⌉ · ⌈8/4⌉ · 256 = 1,024.
    // Prologue load: 256 pixels × 2 words = 512 trips + 4 = 516 (port: 256 beats, 16 bursts → 320).
    // Epilogue store: 256 trips + 4 = 260; wr and aux each 256 beats in 16 bursts → 320.
    expect(e.layers[0].cycles).toBe(516 + 1024 + 320);
    // x: 4,096 bytes in, weights and beta one 64-byte access each, 4,096 out, x again 4,096 (not twice per input tile).
    expect(e.layers[0].offchipBytes).toBe(4096 + 64 + 64 + 4096 + 4096);
  });

  it('small tiles are dominated by per-step overhead', () => {
    const e = evalDoc(doc, 16, 16, board({ gbs: 1000, eff: 1, latency: 0 }), point({ arch: 'engine', engine: engine({ overheads: { perTileCycles: 40, perLayerCycles: 0, prologueCycles: 5 }, layers: { 'g_a/c': { tn: 4, tm: 8, tr: 1, tc: 1 } } }) }));
    // Per step: 9 MAC trips + 5 fill, weights 20 beats + 8 fill, + 40 of control.
    expect(e.layers[0].bound).toBe('overhead');
  });

  it('a 1×1 tile waits a round trip per step: short bursts are latency-bound, not memory-bound, right of the ridge', () => {
    const e = evalDoc(doc, 16, 16, fast, point({ arch: 'engine', engine: engine({ layers: { 'g_a/c': { tn: 4, tm: 8, tr: 1, tc: 1 } } }) }));
    // A 3×3 window is 3 bursts of 3 beats: max(9, ⌈3·64/8⌉ = 24) + 64 = 88 cycles against 9 MAC trips; at
    // 1 TB/s the DRAM time is nil, so the stretch is the round trips.
    expect(e.layers[0].rooflineBound).toBe('compute');
    expect(e.layers[0].bound).toBe('latency');
  });

  it('each step is costed with the shapes it touches: the previous tile\'s store, the next tile\'s load', () => {
    // 0.05 GB/s at 100 MHz = 0.5 byte per cycle: DRAM binds every step. Row tiles of 6, 6 and 4 grid rows.
    const e = evalDoc(doc, 16, 16, board({ gbs: 0.05, eff: 1 }), point({ arch: 'engine', engine: engine({ tif: 8, tof: 16, layers: { 'g_a/c': { tn: 8, tm: 16, tr: 6, tc: 16 } } }) }));
    // Loads: windows of 7, 8 and 5 full rows of 16 beats, a 256-byte burst per row: 1,792, 2,048, 1,280 B;
    // weights 72 beats (4 bursts of 16 + one of 8 = 1,152 B) + 4 bias beats (64 B) = 1,216 B per tile.
    // Stores: 6, 6 and 4 rows of 16 beats: 1,536, 1,536, 1,024 B. MAC trips 9·2·2·6·16 = 3,456 (4 rows: 2,304).
    // Prologue: load tile 0, 3,008 B → 6,016. Step 1: compute 0 ‖ load 1 (3,264 B → 6,528).
    // Step 2: compute 1 ‖ load 2 + store 0 (4,032 B → 8,064). Step 3: compute 2 (2,304) ‖ store 1 (3,072).
    // Epilogue: store 2 (2,048). Costing a tile's step with its own shapes instead would give 25,984.
    expect(e.layers[0].cycles).toBe(6016 + 6528 + 8064 + 3072 + 2048);
  });

  it('a memory-bound layer stalls on DRAM bandwidth', () => {
    const slow = board({ gbs: 0.1, eff: 1 });
    const e = evalDoc(doc, 16, 16, slow, point({ arch: 'engine', engine: engine({ layers: { 'g_a/c': { tn: 4, tm: 8, tr: 8, tc: 8 } } }) }));
    // 0.1 GB/s at 100 MHz = 1 byte per cycle. A load of the next tile: 9 rows of 9 beats (144 B → 3 accesses)
    // = 1,728 B, weights 18 beats (256 + 64 B) and bias 2 beats (64 B) → 2,112 cycles; a store: 8 rows of 8 beats
    // (128 B) = 1,024. 8 output tiles × 2 input tiles:
    // prologue 2,112; tile 0: 2,112 + 2,112; tiles 1–6: (2,112 + 1,024) + 2,112; tile 7: 3,136 + 576 (compute
    // only: nothing left to load); epilogue 1,024.
    expect(e.layers[0].cycles).toBe(2112 + 2 * 2112 + 6 * (3136 + 2112) + 3136 + 576 + 1024);
    expect(e.layers[0].bound).toBe('memory');
    expect(e.layers[0].rooflineBound).toBe('memory');
  });

  it('a pixel shuffle folded into the store writes runs of r beats, joined across full-width rows', () => {
    const ps = modelDoc([{ name: 'c', op: 'conv', cout: 16, kernel: 1 }, { name: 'ps', op: 'pixel_shuffle', factor: 2 }], { image: { channels: 8 } });
    const e = evalDoc(ps, 4, 4, fast, point({ arch: 'engine', engine: engine({ tif: 8, tof: 16, layers: { 'g_a/c': { tn: 8, tm: 16, tr: 4, tc: 4 } } }) }));
    // One tile. Prologue: 16 input beats in one burst → max(16, 8) + 64 = 80 (32 trips + 4); weights 8 + bias
    // 4 beats in 2 bursts → max(12, 16) + 64 = 80. Compute: ⌈16/8⌉·⌈8/4⌉·4·4 = 64.
    // Store: 16 positions × (2 accumulator words + 4 destination beats) = 96 trips + 4; 4 output channels, one
    // block: each position writes 2 rows of 2 beats, and a row's last run joins the next row's first (3 joins):
    // 26 bursts of 2 + 3 of 4 = 29 → max(64, ⌈29·64/8⌉ = 232) + 64 = 296.
    expect(e.layers.find((l) => l.id === 'g_a/c')!.cycles).toBe(80 + 64 + 296);
  });

  it('a layer\'s bound is the largest part of its time; DRAM explains only its time beyond the MAC loop', () => {
    // MAC loop 1,000, stretch 500, DRAM 1,200 cycles: 200 of the stretch is bandwidth, 300 latency → compute.
    expect(scheduleBound({ computeCycles: 1000, overheadCycles: 100, memoryCycles: 500, dramBytes: 1200 }, 1)).toBe('compute');
    // MAC loop 100, stretch 900, DRAM 800: 700 bandwidth, 200 latency → memory.
    expect(scheduleBound({ computeCycles: 100, overheadCycles: 50, memoryCycles: 900, dramBytes: 1600 }, 2)).toBe('memory');
    // MAC loop 100, stretch 900, DRAM 150: 50 bandwidth, 850 latency → latency.
    expect(scheduleBound({ computeCycles: 100, overheadCycles: 50, memoryCycles: 900, dramBytes: 150 }, 1)).toBe('latency');
    // Control beats both: overhead.
    expect(scheduleBound({ computeCycles: 100, overheadCycles: 600, memoryCycles: 500, dramBytes: 0 }, 1)).toBe('overhead');
    // Right of the ridge (DRAM time ≤ MAC loop) no stretch is bandwidth, however long.
    expect(scheduleBound({ computeCycles: 100, overheadCycles: 0, memoryCycles: 5000, dramBytes: 100 }, 1)).toBe('latency');
  });

  it('a transposed conv: sub-pixel executes the useful MACs, zero-insertion s² times more', () => {
    const d = modelDoc([{ name: 'd', op: 'deconv', cout: 8, kernel: 4, stride: 2, padding: 1, outputPadding: 0 }], { image: { channels: 8 } });
    const sub = evalDoc(d, 8, 8, fast, point({ arch: 'engine', engine: engine({ pif: 8, tif: 8 }) }));
    const zero = evalDoc(d, 8, 8, fast, point({ arch: 'engine', engine: engine({ pif: 8, tif: 8, deconv: 'zero-insert' }) }));
    const useful = 8 * 8 * 8 * 8 * 16;
    expect(sub.layers[0].macs).toBe(useful);
    expect(sub.layers[0].executedMacs).toBe(useful);
    expect(zero.layers[0].executedMacs).toBe(4 * useful);
  });

  it('DSP: int8 packs two MACs per DSP48E2 along output channels (WP486), fp32 takes 5 (Zhang\'15)', () => {
    const i8 = evalDoc(doc, 16, 16, fast, point({ arch: 'engine', engine: engine() }));
    // 4·8 lanes / 2 + 8 requantisation multipliers.
    expect(i8.resources.dsp.used).toBe(16 + 8);
    const f32 = evalDoc(doc, 16, 16, fast, point({ arch: 'engine', precision: 'fp32', engine: engine() }));
    expect(f32.resources.dsp.used).toBe(32 * 5);
  });

  it('BRAM18: buffers map through the aspect-ratio table, one set of banks per ping-pong half', () => {
    const e = evalDoc(doc, 16, 16, fast, point({ arch: 'engine', engine: engine({ inBufDepth: 1024, wBufDepth: 512, outBufDepth: 2048 }) }));
    // Input: 2 banks of 4·8 = 32 bits × 1,024 → 512×36 needs 2, 1K×18 needs 2 → 2 each = 4.
    // Weights: 2 × 8 banks of 32 bits × 512 → 1 each (512×36) = 16.
    // Output: 2 banks of 8·32 = 256 bits × 2,048: 512×36 → 8 × 4 = 32, 1K×18 → 15 × 2 = 30, 2K×9 → 29 × 1 = 29.
    expect(e.resources.bram18.used).toBe(4 + 16 + 2 * 29);
  });
});
