import { describe, expect, it } from 'vitest';
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

  it('cycles = tiles × max(compute, load) + exposed load and store (Zhang et al. FPGA\'15 §4)', () => {
    const e = evalDoc(doc, 16, 16, fast, point({ arch: 'engine', engine: engine({ layers: { 'g_a/c': { tn: 4, tm: 8, tr: 8, tc: 8 } } }) }));
    // Tiles: M/tm = 2, N/tn = 2, R/tr = 2, C/tc = 2 → 8 output tiles, 2 input tiles each.
    // Compute per tile: ⌈4/4⌉·⌈8/8⌉·8·8·9 = 576 cycles.
    // Load per input tile: input 4·10·10 = 400 B, weights 8·4·9 = 288 B over 16-byte ports → max(25, 18) = 25.
    // Store per output tile: 8·8·8 = 512 B → 32 cycles (overlapped with the next tile).
    // Total: 8 × max(2 × max(576, 25), 32) + 25 + 32 = 9,273.
    expect(e.layers[0].cycles).toBe(8 * 2 * 576 + 25 + 32);
    expect(e.layers[0].bound).toBe('compute');
    expect(e.layers[0].macs).toBe(16 * 16 * 16 * 8 * 9);
    // Off-chip bytes: 8 output tiles × (2 × (400 + 288) + 512).
    expect(e.layers[0].offchipBytes).toBe(8 * (2 * (400 + 288) + 512));
  });

  it('a 3-channel first layer wastes the input-channel unroll', () => {
    const first = modelDoc([{ name: 'c', op: 'conv', cout: 8, kernel: 3, padding: 1 }]);
    const e = evalDoc(first, 16, 16, fast, point({ arch: 'engine', engine: engine({ pif: 16, tif: 16, layers: { 'g_a/c': { tn: 16, tm: 8, tr: 16, tc: 16 } } }) }));
    // 3 of 16 input lanes busy: utilisation 3/16 at best (less the exposed first load and last store).
    expect(e.layers[0].utilization).toBeLessThanOrEqual(3 / 16);
    expect(e.layers[0].utilization).toBeGreaterThan(0.17);
  });

  it('GDN runs as a C×C 1×1 product and reads its input twice', () => {
    const g = modelDoc([{ name: 'g', op: 'gdn' }], { image: { channels: 8 } });
    const e = evalDoc(g, 16, 16, fast, point({ arch: 'engine', engine: engine({ layers: { 'g_a/g': { tn: 4, tm: 8, tr: 16, tc: 16 } } }) }));
    // Tiles: 1 output tile (M = 8 = tm), 2 input tiles; compute 16·16 = 256 per tile.
    // Input tile 4·16·16 = 1,024 B read twice = 2,048 B → 128 cycles; weights 8·4 = 32 B → 2 cycles.
    expect(e.layers[0].cycles).toBe(2 * 256 + 128 + Math.ceil((8 * 16 * 16) / 16));
    expect(e.layers[0].offchipBytes).toBe(2 * (2048 + 32) + 8 * 16 * 16);
  });

  it('small tiles are dominated by per-tile overhead', () => {
    const e = evalDoc(doc, 16, 16, fast, point({ arch: 'engine', engine: engine({ overheads: { perTileCycles: 40, perLayerCycles: 0, prologueCycles: 5 }, layers: { 'g_a/c': { tn: 4, tm: 8, tr: 1, tc: 1 } } }) }));
    // Per tile: 9 compute cycles, 45 overhead cycles.
    expect(e.layers[0].bound).toBe('overhead');
  });

  it('a memory-bound layer stalls on bandwidth', () => {
    const slow = board({ gbs: 0.1, eff: 1 });
    const e = evalDoc(doc, 16, 16, slow, point({ arch: 'engine', engine: engine({ layers: { 'g_a/c': { tn: 4, tm: 8, tr: 8, tc: 8 } } }) }));
    // 0.1 GB/s at 100 MHz = 1 byte per cycle: each output tile moves 2·688 + 512 = 1,888 bytes.
    expect(e.layers[0].cycles).toBe(8 * 1888 + 25 + 32);
    expect(e.layers[0].bound).toBe('memory');
    expect(e.layers[0].rooflineBound).toBe('memory');
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
