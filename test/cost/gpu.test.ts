import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/cost/evaluate.js';
import { loadPlatform } from '../../src/platform/load.js';
import { workloadFromDoc } from '../helpers.js';
import { modelDoc, point, tables } from './helpers.js';

describe('GPU roofline target', () => {
  const doc = modelDoc([
    { name: '0', op: 'conv', cout: 32, kernel: 5, stride: 2 },
    { name: '1', op: 'gdn' },
    { name: '2', op: 'conv', cout: 32, kernel: 5, stride: 2 },
    { name: '3', op: 'relu' },
  ], { latents: ['g_a'] });
  const w = workloadFromDoc(doc, 64, 64);
  const pt = (p: object) => point({ workload: { model: 'x', res: '64x64', path: 'encode' }, platform: 'u50', clockMHz: 1410, arch: 'gpu', gpu: { device: 'a100' }, ...p });

  it('a100 int8: per layer max(ops / 624 TOPS, bytes / 1555 GB/s) + 5 µs per kernel, by hand', () => {
    const e = evaluate(w, loadPlatform('u50'), pt({}), tables);
    // g_a/0: 2·2,457,600 ops / 624e12 = 7.9 ns; bytes 12,288 + 32,768 + 2,432 = 47,488 / 1555e9 = 30.54 ns (memory) → + 5 µs.
    const l0 = 47488 / 1555e9 + 5e-6;
    // g_a/1 GDN: reads x twice: 3·32,768 + 1,056 params = 99,360 B / 1555e9 = 63.9 ns vs 2,097,152 / 624e12 + 98,304 / 19.5e12
    // = 8.4 ns (memory); two kernels (conv on x², element-wise) → + 10 µs.
    const l1 = 99360 / 1555e9 + 10e-6;
    // g_a/2: 32,768 + 8,192 + 25,632 = 66,592 B / 1555e9 = 42.8 ns vs 13,107,200 / 624e12 = 21 ns → + 5 µs. ReLU fused.
    const l2 = 66592 / 1555e9 + 5e-6;
    expect(e.layers.map((l) => l.timeMs / 1e3)).toEqual([l0, l1, l2, 0].map((x) => expect.closeTo(x, 15)));
    expect(e.layers[3].bound).toBe('fused');
    expect(1 / e.acceleratorFps).toBeCloseTo(l0 + l1 + l2, 15);
    // The entropy coder on the host (1e8 symbols/s) codes 8,192 symbols in 81.92 µs: slower than the GPU.
    expect(1 / e.fps).toBeCloseTo(8192 / 1e8, 15);
    expect(e.bottleneck).toMatch(/entropy coder on the host/);
    expect(e.platform).toBe('a100');
  });

  it('fp16 uses the fp16 tensor peak and 2-byte tensors; int16 is refused', () => {
    const e = evaluate(w, loadPlatform('u50'), pt({ precision: 'fp16' }), tables);
    expect(e.layers[0].timeMs / 1e3).toBeCloseTo((2 * 47488) / 1555e9 + 5e-6, 15);
    expect(e.peakGops).toBe(312e3);
    expect(() => evaluate(w, loadPlatform('u50'), pt({ precision: 'int16' }), tables)).toThrow(/int8, fp16, fp32/);
  });
});
