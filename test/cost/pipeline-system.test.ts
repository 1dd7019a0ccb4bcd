import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { evaluate } from '../../src/cost/evaluate.js';
import { board, evalDoc, modelDoc, point, tables } from './helpers.js';
import { workloadFromDoc, workloadOf } from '../helpers.js';
import { MVAU_DEPTH } from '../../src/arch/pipeline.js';

const fast = board({ gbs: 1000, eff: 1, sps: 1e12 });

describe('pipeline template, hand-worked', () => {
  const doc = modelDoc([
    { name: 'c0', op: 'conv', cout: 16, kernel: 3, padding: 1 },
    { name: 'r0', op: 'relu' },
    { name: 'c1', op: 'conv', cout: 8, kernel: 1 },
  ], { image: { channels: 8 } });
  const pt = point({ arch: 'pipeline', pipeline: { layers: { 'g_a/c0': { pin: 4, pout: 4 }, 'g_a/c1': { pin: 16, pout: 2 } } } });
  const e = evalDoc(doc, 16, 16, fast, pt);

  // Plus the compute unit's loop fill (arch/pipeline.ts MVAU_DEPTH): its loop runs once per frame.
  it('stage cycles = ⌈N/pin⌉·⌈M/pout⌉·⌈K²/pk⌉ per output pixel (FINN MVAU folding)', () => {
    expect(e.layers[0].cycles).toBe(2 * 4 * 9 * 256 + MVAU_DEPTH);
    expect(e.layers[2].cycles).toBe(1 * 4 * 1 * 256 + MVAU_DEPTH);
    expect(e.layers[1].bound).toBe('fused');
  });
  it('throughput is the clock over the slowest stage', () => {
    expect(e.acceleratorFps).toBeCloseTo(100e6 / (2 * 4 * 9 * 256 + MVAU_DEPTH), 6);
    expect(e.bottleneck).toBe('layer g_a/c0 (compute)');
  });
  it('DSPs per stage from the packing table; weights on chip in pout banks of pin-wide words', () => {
    // c0: 16 lanes, int8 pairs along pout → 4·⌈4/2⌉ = 8, plus 4 requantisation multipliers.
    expect(e.layers[0].dsp).toBe(8 + 4);
  });
  it('without its layer rows (layers: false) an estimate keeps every total, DRAM-bound or not', () => {
    for (const [gbs, p] of [[1000, pt], [0.01, point({ arch: 'pipeline', pipeline: { layers: { 'g_a/c0': { pin: 4, pout: 4, weights: 'stream', reuse: 16 } } } })]] as const) {
      const b = board({ gbs, eff: 1, sps: 1e12 });
      const w = workloadFromDoc(doc, 16, 16);
      const { layers, ...totals } = evaluate(w, b, p, tables, undefined, { layers: false });
      const { layers: all, ...full } = evaluate(w, b, p, tables);
      expect(layers).toEqual([]);
      expect(all.length).toBe(3);
      expect(totals).toEqual(full);
    }
  });
  it('streamed weights count against bandwidth', () => {
    const s = evalDoc(doc, 16, 16, board({ gbs: 0.01, eff: 1, sps: 1e12 }), point({ arch: 'pipeline', pipeline: { layers: { 'g_a/c0': { pin: 4, pout: 4, weights: 'stream', reuse: 16 } } } }));
    // c0 weights 16·8·9 = 1,152 B fetched once per 16 output pixels: 16 times per frame.
    expect(s.layers[0].offchipBytes).toBe(1152 * 16);
    expect(s.bottleneck).toBe('off-chip bandwidth');
  });
});

describe('system level', () => {
  it('the entropy coder on the CPU can be the bottleneck', () => {
    const doc = modelDoc([{ name: 'c', op: 'conv', cout: 4, kernel: 1 }]);
    const e = evalDoc(doc, 64, 64, board({ gbs: 1000, eff: 1, sps: 1000 }), point({ arch: 'pipeline', pipeline: { layers: { 'g_a/c': { pin: 3, pout: 4 } } } }));
    // 4·64·64 symbols at 1,000/s = 16.4 s per frame.
    expect(e.entropy.symbols).toBe(4 * 64 * 64);
    expect(e.fps).toBeCloseTo(1000 / (4 * 64 * 64), 9);
    expect(e.bottleneck).toMatch(/^entropy coder on CPU/);
    expect(e.acceleratorFps).toBeGreaterThan(e.fps);
  });

  it('Minnen 2018 decodes one latent position after another: the context model is serial at decode only', () => {
    const w = workloadOf('mbt2018', { variant: 'q1' }, 256, 256);
    // A slow entropy decoder (1e5 symbols/s) inside the per-position loop.
    const pl = board({ sps: 1e5 });
    const mk = (path: 'encode' | 'decode') => point({
      workload: { model: 'mbt2018', res: '256x256', path }, arch: 'engine', clockMHz: 200,
      engine: { pif: 16, pof: 16, tif: 16, tof: 16, inBufDepth: 4096, outBufDepth: 4096, wBufDepth: 4096 },
    });
    const dec = evaluate(w, pl, mk('decode'), tables);
    const enc = evaluate(w, pl, mk('encode'), tables);
    expect(dec.serial?.positions).toBe(16 * 16);
    expect(enc.serial).toBeNull();
    expect(dec.layers.find((l) => l.part === 'context_prediction')!.bound).toBe('serial');
    expect(enc.layers.find((l) => l.part === 'context_prediction')!.bound).not.toBe('serial');
    expect(dec.bottleneck).toMatch(/^serial context model at decode \(256 positions/);
    // The loop alternates accelerator and CPU: 256 positions × 192 symbols at 1e5/s is a lower bound.
    expect(1 / dec.fps).toBeGreaterThan((256 * 192) / 1e5);
    expect(enc.fps).toBeGreaterThan(dec.fps);
  });

  it('a clock above the board limit is refused, naming the limit', () => {
    const doc = modelDoc([{ name: 'c', op: 'conv', cout: 4, kernel: 1 }]);
    expect(() => evalDoc(doc, 16, 16, board({ maxMHz: 250 }), point({ clockMHz: 300, arch: 'pipeline', pipeline: { layers: {} } })))
      .toThrow(new UserError('clock 300 MHz is above the board\'s limit of 250 MHz (testboard)', { field: 'clockMHz' }));
  });

  it('unknown precision and unknown layer keys are refused', () => {
    const doc = modelDoc([{ name: 'c', op: 'conv', cout: 4, kernel: 1 }]);
    expect(() => evalDoc(doc, 16, 16, board({}), point({ precision: 'int99', arch: 'pipeline', pipeline: { layers: {} } }))).toThrow(/unknown precision "int99"/);
    expect(() => evalDoc(doc, 16, 16, board({}), point({ arch: 'pipeline', pipeline: { layers: { 'g_a/nope': { pin: 1, pout: 1 } } } }))).toThrow(/pipeline\.layers\.g_a\/nope: no stage "g_a\/nope"/);
  });

  it('hybrid quantisation: a layer at int16 costs more DSPs than at int8', () => {
    const doc = modelDoc([{ name: 'a', op: 'conv', cout: 8, kernel: 3 }, { name: 'b', op: 'conv', cout: 8, kernel: 3 }]);
    const cfg = { 'g_a/a': { pin: 3, pout: 8 }, 'g_a/b': { pin: 8, pout: 8 } };
    const all8 = evalDoc(doc, 16, 16, fast, point({ arch: 'pipeline', pipeline: { layers: cfg } }));
    const mixed = evalDoc(doc, 16, 16, fast, point({ arch: 'pipeline', layerPrecision: { 'g_a/b': 'int16' }, pipeline: { layers: cfg } }));
    expect(mixed.layers[1].precision).toBe('int16');
    expect(mixed.layers[1].dsp).toBe(64 + 8);
    expect(all8.layers[1].dsp).toBe(32 + 8);
  });
});

describe('shared slice stages (Minnen & Singh 2020)', () => {
  it('the instances of a slice transform share one stage, used one slice after another', async () => {
    const { basePoint } = await import('../../src/mapping/base-point.js');
    const { contextFor } = await import('../../src/mapping/load.js');
    const { explore } = await import('../../src/search/explore.js');
    const base = basePoint({ model: 'ms2020', platform: 'u50', precision: 'int8', res: '256x256', arch: 'pipeline', path: 'decode' });
    const { workload, platform } = contextFor(base);
    const r = explore(workload, platform, tables, base);
    expect(Object.keys(r.point.pipeline!.layers)).toContain('cc_mean_transforms/*.transform.layer_0');
    const rows = r.best.layers.filter((l) => l.part === 'cc_mean_transforms' && l.name.endsWith('.transform.layer_0'));
    expect(rows).toHaveLength(10);
    expect(rows[0].mapping).toMatch(/shared by 10$/);
    // the hardware is counted once, on the first member
    expect(rows.slice(1).every((l) => l.dsp === 0)).toBe(true);
    // slices 5..9 see the same 480 input channels, so the same cycles
    expect(new Set(rows.slice(5).map((l) => l.cycles)).size).toBe(1);
    expect(rows[0].cycles).toBeLessThan(rows[5].cycles);
  });
});
