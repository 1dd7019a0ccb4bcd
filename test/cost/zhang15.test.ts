import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/cost/evaluate.js';
import { contextFor, loadPoint } from '../../src/mapping/load.js';

/**
 * Known answer: Zhang et al., "Optimizing FPGA-based Accelerator Design for Deep Convolutional Neural
 * Networks", FPGA 2015. AlexNet's five convolutional layers (1.33 GFLOP), float32, 100 MHz, VC707,
 * unified unroll <Tm, Tn> = <64, 7>: 61.62 GFLOPS (21.61 ms); 2,240 of 2,800 DSP48E1 (Table 4).
 */
describe('Zhang et al. FPGA\'15 AlexNet on VC707', () => {
  const point = loadPoint('test/fixtures/zhang15-point.json');
  const { workload, platform, tables } = contextFor(point);
  const e = evaluate(workload, platform, point, tables);

  it('counts the published 1.33 GFLOP of the conv layers', () => {
    const flop = 2 * e.layers.reduce((s, l) => s + l.macs, 0);
    expect(flop).toBe(1_331_569_728);
  });
  it('reaches the published 61.62 GFLOPS within 5%', () => {
    expect(Math.abs(e.gops - 61.62) / 61.62).toBeLessThan(0.05);
  });
  it('uses the published 2,240 DSP48E1 (5 per fp32 MAC × 448 MACs)', () => {
    expect(e.resources.dsp.used).toBe(2240);
  });
  it('is compute-bound in every conv layer, as the paper\'s roofline shows for the chosen design', () => {
    for (const l of e.layers.filter((x) => x.cycles > 0)) expect(l.bound).toBe('compute');
  });
});
