import { describe, expect, it } from 'vitest';
import { joinRows, stageLeadRows, streamLeads, type StreamNode } from '../../src/arch/pipeline.js';
import { joinBuffers } from '../../src/cost/pipeline-design.js';
import { pathPlan } from '../../src/cost/evaluate.js';
import { workloadFromDoc } from '../helpers.js';
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
    // Window attention: the band of 8 rows.
    expect(stageLeadRows(n({ op: 'matmul', form: 'qk', window: 8 }))).toBe(8);
    expect(stageLeadRows(n({ op: 'relu' }))).toBe(0);
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
