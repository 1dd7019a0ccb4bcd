import { describe, expect, it } from 'vitest';
import { stageLeadRows, type StreamNode } from '../../src/arch/pipeline.js';
import { joinBuffers } from '../../src/cost/pipeline-design.js';
import { pathPlan } from '../../src/cost/evaluate.js';
import { workloadOf } from '../helpers.js';
import { point, tables } from './helpers.js';

/** Join buffers of zoo models at 1280×720 decode, worked by hand from arch/pipeline.ts's stage leads. */
const joins = (model: string) => new Map(joinBuffers(
  pathPlan(workloadOf(model, {}, 1280, 720), point({ workload: { model, res: '1280x720', path: 'decode' }, arch: 'pipeline', pipeline: { layers: {} } })),
  tables,
).map((j) => [j.id, j]));

describe('join buffers of the zoo at 1280×720 decode, by hand (arch/pipeline.ts)', () => {
  it('window attention leads by a band into window order (qk) and a band back to raster order (av)', () => {
    const n = (o: Partial<StreamNode>): StreamNode => ({ op: 'matmul', inputs: ['@input'], inH: 16, ...o });
    expect(stageLeadRows(n({ form: 'qk', window: 8 }))).toBe(8);
    expect(stageLeadRows(n({ form: 'av', window: 8 }))).toBe(8);
  });

  it('cheng2020-anchor g_s/0 (residual block: 3×3, leaky, 3×3, leaky, + x) at 80×48, N = 128', () => {
    // Each 3×3 (pad 1) reads rows 0..1 and then produces row 0: 2 rows each, 4 in all; plus the row the branch
    // is producing → 5 rows × 80 × 128 of the block input.
    expect(joins('cheng2020-anchor').get('g_s/0.add')).toMatchObject({ held: '@input', rows: 5, width: 80, channels: 128, bytes: 5 * 80 * 128 });
  });

  it('zou2022-wacnn g_s/5 (window block, window 8, N = 192) at 320×192: bands of window rows, not whole maps', () => {
    // out = conv_a(x)·sigmoid(conv_b(x)) + x. conv_a: 3 residual units (1×1, 3×3, 1×1) of 1 + 2 + 1 = 4 rows
    // each, 12 in all. conv_b: qkv 1, qk 8, softmax 0, av 8, proj 1 = 18, + x; 3 residual units (12); 1×1 (1) = 31.
    const j = joins('zou2022-wacnn');
    expect(j.get('g_s/5.conv_a.0.add')).toMatchObject({ held: '4', rows: 4 + 1, width: 320, channels: 192 });
    expect(j.get('g_s/5.conv_b.0.add')).toMatchObject({ held: '4', rows: 18 + 1 });
    expect(j.get('g_s/5.mul')).toMatchObject({ held: '5.conv_a.2.relu', rows: 31 - 12 + 1 });
    expect(j.get('g_s/5.add')).toMatchObject({ held: '4', rows: 31 + 1, width: 320, channels: 192, bytes: 32 * 320 * 192 });
    // g_s/0 (window 4, M = 320 at 80×48): attention 1 + 4 + 4 + 1 = 10 rows → 11 held at its first add.
    expect(j.get('g_s/0.conv_b.0.add')).toMatchObject({ held: '@input', rows: 11, width: 80, channels: 320 });
  });
});
