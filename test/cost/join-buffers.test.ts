import { describe, expect, it } from 'vitest';
import { joinRows, stageLeadRows, streamLeads, type Granule, type StreamNode } from '../../src/arch/pipeline.js';
import { joinBuffers } from '../../src/cost/pipeline-design.js';
import { pathPlan } from '../../src/cost/evaluate.js';
import { workloadFromDoc, workloadOf } from '../helpers.js';
import { modelDoc, point, tables } from './helpers.js';

const plan = (doc: object, w: number, h: number) => pathPlan(workloadFromDoc(doc, w, h), point({ arch: 'pipeline', pipeline: { layers: {} } }));

describe('stream leads and join buffers (arch/pipeline.ts, hand-worked)', () => {
  it('a row-granular stage leads by the rows its first window reaches past row 0, plus the row in production', () => {
    const n = (o: Partial<StreamNode>): StreamNode => ({ op: 'conv', inputs: ['@input'], inH: 16, ...o });
    // 3×3, pad 1: output row 0 needs input rows 0..1 → 1 + 1.
    expect(stageLeadRows(n({ kernel: [3, 3], stride: [1, 1], padding: [1, 1] }))).toBe(2);
    // 5×5/2, pad 2: rows 0..2 → 2 + 1.
    expect(stageLeadRows(n({ kernel: [5, 5], stride: [2, 2], padding: [2, 2] }))).toBe(3);
    // TensorFlow "same" 5×5/2 on 16 rows → 8: pads ⌊(7·2 + 5 − 16)/2⌋ = 1 on top, so rows 0..3 → 3 + 1.
    expect(stageLeadRows(n({ kernel: [5, 5], stride: [2, 2], padding: 'same', outH: 8 }))).toBe(4);
    // 1×1: the row itself.
    expect(stageLeadRows(n({ kernel: [1, 1], stride: [1, 1], padding: [0, 0] }))).toBe(1);
    // Sub-pixel 5×5/2 deconv, pad 2: output row o needs input row ⌊(o + 2)/2⌋ → 1 + 1.
    expect(stageLeadRows(n({ op: 'deconv', kernel: [5, 5], stride: [2, 2], padding: [2, 2] }))).toBe(2);
    // Window attention: the band of 8 rows into window order (qk), its windows back to raster order (av).
    expect(stageLeadRows(n({ op: 'matmul', form: 'qk', window: 8 }))).toBe(8);
    expect(stageLeadRows(n({ op: 'matmul', form: 'av', window: 8 }))).toBe(8);
    expect(stageLeadRows(n({ op: 'relu' }))).toBe(0);
  });

  it('a sliding-window (pixel) stage leads only by the rows its window reaches below the output row', () => {
    const n = (o: Partial<StreamNode>): StreamNode => ({ op: 'conv', inputs: ['@input'], inH: 16, ...o });
    expect(stageLeadRows(n({ kernel: [3, 3], stride: [1, 1], padding: [1, 1] }), 'pixel')).toBe(1);
    expect(stageLeadRows(n({ kernel: [5, 5], stride: [2, 2], padding: [2, 2] }), 'pixel')).toBe(2);
    expect(stageLeadRows(n({ kernel: [1, 1], stride: [1, 1], padding: [0, 0] }), 'pixel')).toBe(0);
    expect(stageLeadRows(n({ op: 'linear' }), 'pixel')).toBe(0);
    expect(stageLeadRows(n({ op: 'deconv', kernel: [5, 5], stride: [2, 2], padding: [2, 2] }), 'pixel')).toBe(1);
    // Neither granule lets a band or a shuffled row leave before it is complete.
    expect(stageLeadRows(n({ op: 'matmul', form: 'qk', window: 8 }), 'pixel')).toBe(8);
    expect(stageLeadRows(n({ op: 'matmul', form: 'av', window: 8 }), 'pixel')).toBe(8);
    expect(stageLeadRows(n({ op: 'pixel_shuffle' }), 'pixel')).toBe(1);
  });

  it('parallel branches take the larger lead, a chain adds its leads', () => {
    const nodes = new Map<string, StreamNode>([
      ['a', { op: 'conv', inputs: ['@input'], inH: 16, kernel: [3, 3], stride: [1, 1], padding: [1, 1] }],
      ['b', { op: 'conv', inputs: ['a'], inH: 16, kernel: [3, 3], stride: [1, 1], padding: [1, 1] }],
      ['c', { op: 'conv', inputs: ['@input'], inH: 16, kernel: [1, 1], stride: [1, 1], padding: [0, 0] }],
      ['d', { op: 'add', inputs: ['b', 'c'], inH: 16 }],
    ]);
    const leads = streamLeads(nodes);
    expect(leads.get('b')! * 16).toBeCloseTo(4, 9);
    expect(leads.get('c')! * 16).toBeCloseTo(1, 9);
    // d waits on b (4 rows) and holds c, 1 row in: 3 rows apart, plus the row b is producing.
    expect(joinRows(leads, ['b', 'c'], 16)).toEqual({ rows: 4, held: 'c' });
  });

  it('a residual block (two 3×3 convs) holds its input for 5 rows × W × C; a parallel 1×1 branch does not add', () => {
    const doc = modelDoc([
      { name: 'a', op: 'conv', cout: 8, kernel: 3 },
      { name: 'r', op: 'relu' },
      { name: 'b', op: 'conv', cout: 8, kernel: 3 },
      { name: 'c', op: 'conv', cout: 8, kernel: 1, input: 'a' },
      { name: 'add', op: 'add', input: ['b', 'c'] },
      { name: 'add2', op: 'add', input: ['add', 'a'] },
    ]);
    const j = joinBuffers(plan(doc, 32, 16), tables);
    // add: b leads a by 2 rows, c by 1 → 1 + 1 rows of c (32 × 8 int8 a row).
    expect(j.find((x) => x.id === 'g_a/add')).toMatchObject({ held: 'c', rows: 2, width: 32, channels: 8, bytes: 2 * 32 * 8 });
    // add2: add leads a by 2 rows (the larger branch) → 3 rows of a.
    expect(j.find((x) => x.id === 'g_a/add2')).toMatchObject({ held: 'a', rows: 3, bytes: 3 * 32 * 8 });
  });
});

describe('join buffers of the zoo at 1280×720, by hand (arch/pipeline.ts; both granules)', () => {
  const zoo = (model: string) => pathPlan(workloadOf(model, {}, 1280, 720), point({ workload: { model, res: '1280x720', path: 'decode' }, arch: 'pipeline', pipeline: { layers: {} } }));
  const at = (model: string, granule: Granule) => new Map(joinBuffers(zoo(model), tables, false, granule).map((j) => [j.id, j]));

  it('cheng2020-anchor g_s/0 (residual block: 3×3, leaky, 3×3, leaky, + x) at 80×48, N = 128', () => {
    // 'row': each 3×3 (pad 1) reads rows 0..1 and then produces row 0 → 2 rows each, 4 in all; plus the row the
    // branch is producing → 5 rows × 80 × 128. 'pixel': each 3×3 reaches 1 row below → 2, plus 1 → 3 rows.
    expect(at('cheng2020-anchor', 'row').get('g_s/0.add')).toMatchObject({ held: '@input', rows: 5, width: 80, channels: 128, bytes: 5 * 80 * 128 });
    expect(at('cheng2020-anchor', 'pixel').get('g_s/0.add')).toMatchObject({ held: '@input', rows: 3, width: 80, channels: 128, bytes: 3 * 80 * 128 });
    // g_s/1 (upsampling block): main branch 3×3 at 48 rows, shuffle ×2, 3×3 and IGDN at 96 rows; the skip branch
    // 3×3 and shuffle. 'row': (2 + 1)·2 + 2 + 1 = 9 against (2 + 1)·2 = 6 rows of 96 → 3 + 1 rows of the skip.
    // 'pixel': (1 + 1)·2 + 1 + 0 = 5 against (1 + 1)·2 = 4 → 1 + 1.
    expect(at('cheng2020-anchor', 'row').get('g_s/1.add')).toMatchObject({ held: '1.upsample.1', rows: 4, width: 160, channels: 128 });
    expect(at('cheng2020-anchor', 'pixel').get('g_s/1.add')).toMatchObject({ held: '1.upsample.1', rows: 2, width: 160, channels: 128 });
  });

  it('zou2022-wacnn g_s/5 (window block, window 8, N = 192) at 320×192: bands of window rows, not whole maps', () => {
    // Block: out = conv_a(x)·sigmoid(conv_b(x)) + x. conv_a: 3 residual units (1×1, 3×3, 1×1). conv_b: qkv, qk
    // (the band of 8 rows enters window order), av (its windows leave in raster order: up to 8 rows more), proj,
    // + x; 3 residual units; 1×1.
    // 'row': a unit leads 1 + 2 + 1 = 4 rows; conv_a 12; attention 1 + 8 + 8 + 1 = 18; conv_b 18 + 12 + 1 = 31.
    const row = at('zou2022-wacnn', 'row');
    expect(row.get('g_s/5.conv_a.0.add')).toMatchObject({ held: '4', rows: 5, width: 320, channels: 192 });
    expect(row.get('g_s/5.conv_b.0.add')).toMatchObject({ held: '4', rows: 19 });
    expect(row.get('g_s/5.mul')).toMatchObject({ held: '5.conv_a.2.relu', rows: 31 - 12 + 1 });
    expect(row.get('g_s/5.add')).toMatchObject({ held: '4', rows: 32, bytes: 32 * 320 * 192 });
    // 'pixel': a unit leads 0 + 1 + 0 = 1 row; conv_a 3; attention 0 + 8 + 8 + 0 = 16; conv_b 16 + 3 + 0 = 19.
    const px = at('zou2022-wacnn', 'pixel');
    expect(px.get('g_s/5.conv_a.0.add')).toMatchObject({ held: '4', rows: 2 });
    expect(px.get('g_s/5.conv_b.0.add')).toMatchObject({ held: '4', rows: 17 });
    expect(px.get('g_s/5.mul')).toMatchObject({ held: '5.conv_a.2.relu', rows: 19 - 3 + 1 });
    expect(px.get('g_s/5.add')).toMatchObject({ held: '4', rows: 20, bytes: 20 * 320 * 192 });
    // The first block (g_s/0, window 4, M = 320 at 80×48): attention 4 + 4 rows → 9 rows held at its first add.
    expect(px.get('g_s/0.conv_b.0.add')).toMatchObject({ held: '@input', rows: 9, width: 80, channels: 320 });
  });
});
