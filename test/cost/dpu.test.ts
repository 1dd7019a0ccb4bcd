import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/cost/evaluate.js';
import { dpuConfig, dpuResources } from '../../src/cost/dpu.js';
import { loadPlatform } from '../../src/platform/load.js';
import { workloadFromDoc } from '../helpers.js';
import { modelDoc, point, tables } from './helpers.js';

const dpu = tables.baselines!.dpu;

describe('Vitis AI DPU: configurations pinned to the product guides', () => {
  it('DPUCZDX8G sizes have PG338\'s PP×ICP×OCP and peak ops per clock', () => {
    // PG338 v3.4 'DepthwiseConv' Table 1 row labels; peak ops per clock = the number in the name.
    const pg338: Record<string, [number, number, number, number]> = {
      B512: [4, 8, 8, 512], B800: [4, 10, 10, 800], B1024: [8, 8, 8, 1024], B1152: [4, 12, 12, 1152],
      B1600: [8, 10, 10, 1600], B2304: [8, 12, 12, 2304], B3136: [8, 14, 14, 3136], B4096: [8, 16, 16, 4096],
    };
    const sizes = dpu.families.DPUCZDX8G.sizes;
    expect(Object.keys(sizes).sort()).toEqual(Object.keys(pg338).sort());
    for (const [name, [pp, icp, ocp, ops]] of Object.entries(pg338)) {
      expect([sizes[name].pp, sizes[name].icp, sizes[name].ocp, sizes[name].peakOpsPerCycle], name).toEqual([pp, icp, ocp, ops]);
    }
  });

  it('board peaks: ZCU102 3×B4096 @ 281 MHz = 3.45 TOPS (UG1354 v2.5); U50 2×(3+3 engines) @ 300 MHz = 7373 GOPS (PG367 Table 1)', () => {
    const doc = modelDoc([{ name: 'c', op: 'conv', cout: 16, kernel: 3 }], { latents: [] });
    const w = workloadFromDoc(doc, 32, 32);
    const z = evaluate(w, loadPlatform('zcu102'), point({ platform: 'zcu102', clockMHz: 281, arch: 'dpu', dpu: {} }), tables);
    expect(z.peakGops / 1000).toBeCloseTo(3.45, 2);
    const u = evaluate(w, loadPlatform('u50'), point({ platform: 'u50', clockMHz: 300, arch: 'dpu', dpu: {} }), tables);
    expect(Math.round(u.peakGops)).toBe(7373);
  });

  it('the shipped DPUs fit their boards: ZCU102 3×B4096 in BRAM, KV260 B4096 with buffers in URAM', () => {
    for (const b of ['zcu102', 'kv260', 'u50']) {
      const pl = loadPlatform(b);
      const c = dpuConfig(point({ platform: b, arch: 'dpu', dpu: {} }), pl, tables);
      const r = dpuResources(c);
      for (const k of ['dsp', 'bram18', 'uram', 'lut', 'ff'] as const) expect(r[k], `${b} ${k}`).toBeLessThanOrEqual(pl.available[k]);
    }
    // 3 × PG338 Table 9 (high DSP usage) B4096: 642 DSP, 249.5 BRAM36.
    const z = dpuResources(dpuConfig(point({ platform: 'zcu102', arch: 'dpu', dpu: {} }), loadPlatform('zcu102'), tables));
    expect([z.dsp, z.bram18]).toEqual([3 * 642, 3 * 499]);
    // Without URAM the KV260 could not hold a B4096 (144 BRAM36 on the K26).
    expect(2 * dpu.families.DPUCZDX8G.sizes.B4096.bram36).toBeGreaterThan(loadPlatform('kv260').available.bram18);
  });
});

describe('a hand-worked LIC workload on the ZCU102 DPU', () => {
  // g_a of a tiny Ballé-style encoder at 64×64: conv 5×5/2 3→32, GDN, conv 5×5/2 32→32; y = 32×16×16.
  const doc = modelDoc([
    { name: '0', op: 'conv', cout: 32, kernel: 5, stride: 2 },
    { name: '1', op: 'gdn' },
    { name: '2', op: 'conv', cout: 32, kernel: 5, stride: 2 },
  ], { latents: ['g_a'] });
  const w = workloadFromDoc(doc, 64, 64);
  const cpu = { cores: 4, gmacsPerCore: 1.2, elemOpsPerCorePerSec: 6e8, memGBs: 4, runnerOverheadUs: 100 };
  const pt = point({ workload: { model: 'x', res: '64x64', path: 'encode' }, platform: 'zcu102', clockMHz: 281, arch: 'dpu', dpu: { cpu }, entropySymbolsPerSec: 2e7 });
  const e = evaluate(w, loadPlatform('zcu102'), pt, tables);

  it('splits GDN off as one CPU subgraph and keeps both convolutions on the DPU', () => {
    expect(e.offload!.subgraphs.map((s) => s.layers)).toEqual([['g_a/1']]);
    expect(e.offload!.subgraphs[0].reasons[0]).toMatch(/GDN/);
    expect(e.layers.map((l) => [l.id, l.bound])).toEqual([['g_a/0', 'compute'], ['g_a/1', 'cpu'], ['g_a/2', 'compute']]);
    // Frame input → DPU, DPU → CPU before GDN, CPU → DPU after it, DPU → frame output.
    expect(e.offload!.boundaries).toBe(4);
  });

  it('DPU cycles: H_out·ceil(W_out/PP)·ceil(C_in/ICP)·ceil(C_out/OCP)·K² on B4096 (8×16×16)', () => {
    // g_a/0: 32 rows · ceil(32/8)=4 · ceil(3/16)=1 · ceil(32/16)=2 · 25 = 6400 (traffic 47,488 B / 32 B per cycle = 1484: compute-bound).
    // g_a/2: 16 · ceil(16/8)=2 · ceil(32/16)=2 · 2 · 25 = 3200 (traffic 66,592 B / 32 = 2081).
    expect(e.layers[0].cycles).toBe(6400);
    expect(e.layers[2].cycles).toBe(3200);
    expect(e.offload!.dpuMs).toBeCloseTo((9600 / 281e6) * 1e3, 9);
  });

  it('CPU time: GDN in float plus four hand-overs, and the frame rate of three CPU threads', () => {
    // GDN: 32·32·32·32 = 1,048,576 MACs at 1.2 GMAC/s = 873.813 µs (its 266,368 B at 4 GB/s = 66.6 µs is shorter),
    // plus 3·32,768 element ops at 6e8/s = 163.84 µs → 1037.653 µs.
    const gdnUs = 1048576 / 1.2e3 + (3 * 32768) / 6e2;
    // Hand-overs: 100 µs + elems·5 B / 4 GB/s + elems / 6e8 for 12,288 (image), 32,768 (twice) and 8,192 (y) elements.
    const h = (n: number) => 100 + (n * 5) / 4e3 + n / 6e2;
    const handUs = h(12288) + 2 * h(32768) + h(8192);
    expect(handUs).toBeCloseTo(650.88, 2);
    expect(e.offload!.boundaryMs * 1e3).toBeCloseTo(handUs, 6);
    expect(e.offload!.cpuMs * 1e3).toBeCloseTo(gdnUs + handUs, 6);
    // Period: max(DPU 34.16 µs / 3 cores, CPU 1688.53 µs / 3 threads, DDR 114,080 B / 13.44 GB/s, entropy 8192 / 2e7 = 409.6 µs).
    const cpuPeriodUs = (gdnUs + handUs) / 3;
    expect(1 / e.fps).toBeCloseTo(cpuPeriodUs * 1e-6, 12);
    expect(e.fps).toBeCloseTo(1776.7, 0);
    expect(e.bottleneck).toMatch(/^CPU subgraphs/);
    // Latency: DPU + CPU on one thread + entropy coder = 34.164 + 1688.533 + 409.6 µs.
    expect(e.latencyMs * 1e3).toBeCloseTo((9600 / 281e6) * 1e6 + gdnUs + handUs + 409.6, 6);
  });
});

describe('GDN decomposed by hand (--dpu-gdn decompose)', () => {
  const doc = modelDoc([
    { name: '0', op: 'conv', cout: 32, kernel: 5, stride: 2 },
    { name: '1', op: 'gdn' },
    { name: '2', op: 'conv', cout: 32, kernel: 5, stride: 2 },
  ], { latents: ['g_a'] });
  const w = workloadFromDoc(doc, 64, 64);
  const cpu = { cores: 4, gmacsPerCore: 1.2, elemOpsPerCorePerSec: 6e8, memGBs: 4, runnerOverheadUs: 100 };
  const e = evaluate(w, loadPlatform('zcu102'), point({ workload: { model: 'x', res: '64x64', path: 'encode' }, platform: 'zcu102', clockMHz: 281, arch: 'dpu', dpu: { cpu, gdn: 'decompose' }, entropySymbolsPerSec: 2e7 }), tables);
  it('keeps x², the 1×1 conv and the product on the DPU and sends only sqrt to the CPU', () => {
    // DPU: 2 element-wise passes 2·32·ceil(32/8)·ceil(32/16) = 512 + 1×1 conv 32·4·2·2 = 512 cycles, but its traffic
    // (x² and γx² out and back in, x read twice, 1,056 B of parameters: 4·32,768 + 2·32,768 + 1,056 = 197,664 B / 32 B) = 6,177 cycles.
    expect(e.layers[1].cycles).toBe(6177);
    expect(e.layers[1].bound).toBe('memory');
    expect(e.offload!.subgraphs.map((s) => s.layers)).toEqual([['g_a/1:sqrt']]);
    // CPU: sqrt of 32,768 elements (8 B each way at 4 GB/s = 65.536 µs, 32,768 / 6e8 = 54.613 µs) plus two hand-overs.
    const h = (n: number) => 100 + (n * 5) / 4e3 + n / 6e2;
    expect(e.offload!.subgraphs[0].ms * 1e3).toBeCloseTo(65.536 + 32768 / 6e2 + 2 * h(32768), 6);
    expect(e.offload!.boundaries).toBe(4);
  });
});

describe('operator support (UG1414 v3.0) — what leaves the DPU, and why', () => {
  const place = (layers: object[], res = 32) => {
    const w = workloadFromDoc(modelDoc(layers, { latents: [] }), res, res);
    return evaluate(w, loadPlatform('zcu102'), point({ workload: { model: 'x', res: `${res}x${res}`, path: 'encode' }, platform: 'zcu102', clockMHz: 281, arch: 'dpu', dpu: {} }), tables);
  };
  it('kernel and stride limits, LeakyReLU slope, attention parts and abs go to the CPU', () => {
    const e = place([
      { name: 'k17', op: 'conv', cout: 16, kernel: 17, padding: 8 },
      { name: 's16', op: 'deconv', cout: 16, kernel: 16, stride: 16, padding: 0 },
      { name: 'lr', op: 'leaky_relu' },
      { name: 'lr26', op: 'leaky_relu', slope: 0.1015625 },
      { name: 'abs', op: 'abs' },
      { name: 'ok', op: 'conv', cout: 16, kernel: 3 },
      { name: 'relu', op: 'relu' },
    ], 16);
    const where = Object.fromEntries(e.layers.map((l) => [l.name, l.bound === 'cpu' || l.bound === 'fused' ? l.bound : 'dpu']));
    // lr26 has the DPU's slope but follows a CPU layer, so it stays in that CPU subgraph.
    expect(where).toEqual({ k17: 'cpu', s16: 'dpu', lr: 'cpu', lr26: 'cpu', abs: 'cpu', ok: 'dpu', relu: 'fused' });
    expect(e.offload!.subgraphs.map((s) => s.layers)).toEqual([['g_a/k17'], ['g_a/lr', 'g_a/lr26', 'g_a/abs']]);
    const reasons = e.offload!.subgraphs.flatMap((s) => s.reasons).join(' | ');
    expect(reasons).toMatch(/kernel 17x17 outside \[1, 16\]/);
    expect(reasons).toMatch(/LeakyReLU slope 0.01/);
    expect(reasons).toMatch(/abs/);
  });
  it('rejects precisions the DPU does not run', () => {
    const w = workloadFromDoc(modelDoc([{ name: 'c', op: 'conv', cout: 16, kernel: 3 }], { latents: [] }), 16, 16);
    expect(() => evaluate(w, loadPlatform('zcu102'), point({ platform: 'zcu102', precision: 'int16', arch: 'dpu', dpu: {} }), tables)).toThrow(/int8 only/);
  });
});
