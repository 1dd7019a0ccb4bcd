import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/cost/evaluate.js';
import { lower } from '../../src/cost/lower.js';
import { NORM_TABLES, normResources } from '../../src/cost/norm.js';
import { pipelineStageResources } from '../../src/cost/pipeline.js';
import { gdnTables } from '../../src/emit/quant.js';
import { parsePrecision } from '../../src/platform/precision.js';
import { workloadFromDoc } from '../helpers.js';
import { board, modelDoc, point, tables } from './helpers.js';

const int8 = parsePrecision('int8');
const bitsOf = (xs: number[]) => Math.max(...xs.map((x) => Math.ceil(Math.log2(x + 1))));
const docWith = (op: string) => modelDoc([{ name: 'a', op: 'conv', cout: 16, kernel: 3 }, { name: 'g', op }, { name: 'b', op: 'conv', cout: 16, kernel: 3 }]);

describe('GDN variants in the cost model', () => {
  it('the scale tables costed are the ones the emitted kernels use', () => {
    const t = gdnTables();
    expect(NORM_TABLES.gdn).toEqual({ depth: t.rsqrt.length, width: bitsOf(t.rsqrt) });
    expect(NORM_TABLES.igdn).toEqual({ depth: t.sqrt.length, width: bitsOf(t.sqrt) });
    expect(NORM_TABLES.gdn_simplified).toEqual({ depth: t.recip.length, width: bitsOf(t.recip) });
    expect(NORM_TABLES.igdn_simplified).toBeNull();
  });

  it('simplified GDN needs no squarer and no rsqrt; simplified IGDN no table at all', () => {
    const gdn = normResources(['gdn'], 8, 8, int8, 'DSP48E2', tables);
    const sgdn = normResources(['gdn_simplified'], 8, 8, int8, 'DSP48E2', tables);
    const sigdn = normResources(['igdn_simplified'], 8, 8, int8, 'DSP48E2', tables);
    expect(gdn.dsp).toBe(8);
    expect(sgdn.dsp).toBe(0);
    expect(sgdn.lut).toBeGreaterThan(0);
    // 384×12 bits and 256×16 bits both fit one RAMB18 per two lanes.
    expect(gdn.bram18).toBe(4);
    expect(sgdn.bram18).toBe(4);
    expect(sigdn.bram18).toBe(0);
    expect(sigdn.dsp).toBe(0);
    expect(sigdn.lut).toBe(8 * 8);
  });

  it('a pipeline GDN stage costs more than its simplified form; ReLU has no C×C product', () => {
    const stage = (op: string) => {
      const w = workloadFromDoc(docWith(op), 16, 16);
      const l = w.layers.find((x) => x.name === 'g')!;
      return { l, lw: lower(l, 'subpixel') };
    };
    const cfg = { pin: 4, pout: 4, pk: 1, weights: 'onchip' as const, reuse: 1, spill: false, fifoDepth: 2 };
    const res = (op: string) => pipelineStageResources(stage(op).lw!, cfg, int8, 'DSP48E2', tables, { weightsInUram: false }).resources;
    expect(res('gdn').dsp).toBe(res('gdn_simplified').dsp + 4);
    expect(res('igdn').bram18).toBeGreaterThan(res('igdn_simplified').bram18);
    const relu = stage('relu');
    expect(relu.lw).toBeUndefined();
    expect(relu.l.macs).toBe(0);
    expect(stage('gdn').l.macs).toBe(16 * 16 * 16 * 16);
  });

  it('the engine runs GDN on its own MAC array (x² or |x| as extra passes): no units of its own, more time', () => {
    // src/arch/engine.ts: the C×C product on x² (two 8-bit passes) or |x| goes through the shared array, and the
    // emitted kernel declares no separate squarers; so the DSPs are the array's and the cost is cycles.
    const engine = { pif: 4, pof: 4, tif: 16, tof: 16, inBufDepth: 2048, outBufDepth: 2048, wBufDepth: 2048 };
    const run = (op: string) => {
      const w = workloadFromDoc(docWith(op), 16, 16);
      return evaluate(w, board({}), point({ arch: 'engine', engine }), tables);
    };
    const [g, s, r] = [run('gdn'), run('gdn_simplified'), run('relu')];
    expect(g.resources.dsp.used).toBe(r.resources.dsp.used);
    expect(s.resources.dsp.used).toBe(r.resources.dsp.used);
    expect(g.acceleratorFps).toBeLessThan(r.acceleratorFps);
    expect(s.acceleratorFps).toBeLessThan(r.acceleratorFps);
  });
});
