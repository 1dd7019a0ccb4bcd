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

// Single-stage leads are worked by hand in join-buffers.test.ts; here, how they compose along the zoo's branches.
const lead = (o: Partial<StreamNode>) => stageLeadRows({ op: 'conv', inputs: ['@input'], inH: 64, ...o });
const c3 = lead({ kernel: [3, 3], stride: [1, 1], padding: [1, 1] });
const c1 = lead({ kernel: [1, 1], stride: [1, 1], padding: [0, 0] });
const lin = lead({ op: 'linear' });

describe('join buffers of the zoo at 1280×720 decode, by hand (arch/pipeline.ts)', () => {
  it('window attention leads by a band into window order (qk) and a band back to raster order (av)', () => {
    const n = (o: Partial<StreamNode>): StreamNode => ({ op: 'matmul', inputs: ['@input'], inH: 16, ...o });
    expect(stageLeadRows(n({ form: 'qk', window: 8 }))).toBe(8);
    expect(stageLeadRows(n({ form: 'av', window: 8 }))).toBe(8);
  });

  it('cheng2020-anchor g_s/0 (residual block: 3×3, leaky, 3×3, leaky, + x) at 80×48, N = 128', () => {
    // Two 3×3 stages in the branch, plus the row the branch is producing, of the block input (80 × 128 a row).
    const rows = 2 * c3 + 1;
    expect(joins('cheng2020-anchor').get('g_s/0.add')).toMatchObject({ held: '@input', rows, width: 80, channels: 128, bytes: rows * 80 * 128 });
  });

  it('zou2022-wacnn g_s/5 (window block, window 8, N = 192) at 320×192: bands of window rows, not whole maps', () => {
    // out = conv_a(x)·sigmoid(conv_b(x)) + x. conv_a: 3 residual units (1×1, 3×3, 1×1). conv_b: qkv, qk (8),
    // softmax (0), av (8), proj, + x; 3 residual units; 1×1. The mul waits for conv_b and holds conv_a.
    const unit = c1 + c3 + c1;
    const convA = 3 * unit;
    const attn = lin + 8 + 8 + lin;
    const convB = attn + 3 * unit + c1;
    const j = joins('zou2022-wacnn');
    expect(j.get('g_s/5.conv_a.0.add')).toMatchObject({ held: '4', rows: unit + 1, width: 320, channels: 192 });
    expect(j.get('g_s/5.conv_b.0.add')).toMatchObject({ held: '4', rows: attn + 1 });
    expect(j.get('g_s/5.mul')).toMatchObject({ held: '5.conv_a.2.relu', rows: convB - convA + 1 });
    expect(j.get('g_s/5.add')).toMatchObject({ held: '4', rows: convB + 1, width: 320, channels: 192, bytes: (convB + 1) * 320 * 192 });
    // g_s/0 (window 4, M = 320 at 80×48): qkv, qk (4), av (4), proj → held at its first add.
    expect(j.get('g_s/0.conv_b.0.add')).toMatchObject({ held: '@input', rows: lin + 4 + 4 + lin + 1, width: 80, channels: 320 });
  });
});
