import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { LIMITS } from '../../src/workload/limits.js';
import { loadModel } from '../../src/workload/load.js';
import { workloadFromDoc } from '../helpers.js';

const base = () => ({
  schema: 'lic-dse/model@1',
  name: 'user-model',
  title: 'test',
  reference: { repo: 'me/mine', path: 'model.py', commit: 'abc' },
  params: { N: 8 },
  paths: { encode: ['g_a'], decode: ['g_a'] },
  parts: [{ name: 'g_a', input: [{ from: 'image' }] as Record<string, unknown>[], layers: [{ name: 'c', op: 'conv', cout: 'N', kernel: 3, stride: 2 }] as unknown[] }],
}) as Record<string, unknown> & { params: Record<string, number>; parts: { name: string; input: Record<string, unknown>[]; layers: unknown[] }[] };

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('issue 11 class 2/3: expansion is bounded before any work is done', () => {
  it('2000 nested repeat blocks: a clear error, not a stack overflow inside zod (file and in-memory)', () => {
    let layers: unknown[] = [{ name: 'c{k}', op: 'relu' }];
    for (let d = 0; d < 2000; d++) layers = [{ repeat: 1, var: `v${d}`, layers }];
    const doc = base();
    doc.parts[0].layers = layers;
    expect(errorOf(() => workloadFromDoc(doc))).toMatch(/user\.json: nests deeper than 64 levels/);
    const dir = mkdtempSync(path.join(tmpdir(), 'lic-deep-'));
    const f = path.join(dir, 'deep.json');
    writeFileSync(f, JSON.stringify(doc));
    expect(errorOf(() => loadModel(f))).toMatch(/deep\.json: nests deeper than 64 levels/);
    // 17 levels: within JSON depth, beyond the repeat nesting bound.
    layers = [{ name: 'x', op: 'relu' }];
    for (let d = 0; d < 17; d++) layers = [{ repeat: 1, var: `v${d}`, layers }];
    doc.parts[0].layers = layers;
    expect(errorOf(() => workloadFromDoc(doc))).toMatch(/repeat blocks nest deeper than 16 levels/);
  });
  it('repeat 1e9, repeat "N*N" with a large N, a huge instance count, N^100: each names the limit', () => {
    const d1 = base();
    d1.parts[0].layers.push({ repeat: 1e9, var: 'k', layers: [{ name: 'r{k}', op: 'relu' }] });
    expect(errorOf(() => workloadFromDoc(d1))).toMatch(/g_a\.repeat: 1000000000 is out of range \(allowed: 0 to 4096\)/);
    const d2 = base();
    d2.params.N = 1e5;
    d2.parts[0].layers = [{ repeat: 'N*N', var: 'k', layers: [{ name: 'r{k}', op: 'relu' }] }];
    expect(errorOf(() => workloadFromDoc(d2))).toMatch(/"N\*N" = 10000000000 is out of range \(allowed: 0 to 4096\)/);
    const d3 = base();
    (d3.parts[0] as Record<string, unknown>).instances = { count: '10^12' };
    expect(errorOf(() => workloadFromDoc(d3))).toMatch(/instances\.count: "10\^12" = 1000000000000 is out of range \(allowed: 1 to 1024\)/);
    const d4 = base();
    d4.parts[0].layers = [{ name: 'c', op: 'conv', cout: 'N^100', kernel: 3 }];
    expect(errorOf(() => workloadFromDoc(d4))).toMatch(/cout: expression "N\^100" = .* is beyond 2\^53/);
    // Many small repeats multiply past the total-layer bound: stopped after LIMITS.layers steps.
    const d5 = base();
    d5.parts[0].layers = [{ repeat: 4000, var: 'a', layers: [{ repeat: 4000, var: 'b', layers: [{ name: 'r{a}_{b}', op: 'relu' }] }] }];
    expect(errorOf(() => workloadFromDoc(d5))).toMatch(new RegExp(`expands to more than ${LIMITS.layers} layers`));
  });
  it('zero and negative sizes, a part input of 0 channels, a kernel of 1e308 are refused with the allowed range', () => {
    for (const [field, v, re] of [
      ['cout', 0, /cout: 0 is out of range \(allowed: 1 to 1048576\)/],
      ['cout', -4, /cout: -4 is out of range/],
      ['kernel', 1e308, /kernel: .*(out of range|beyond 2\^53)/],
      ['stride', 0, /stride: 0 is out of range \(allowed: 1 to 1024\)/],
      ['cout', 1.5, /cout: "?1\.5"? = 1\.5 is not a whole number|is not a whole number/],
    ] as const) {
      const d = base();
      (d.parts[0].layers[0] as Record<string, unknown>)[field] = v;
      expect(errorOf(() => workloadFromDoc(d))).toMatch(re);
    }
    const d = base();
    d.parts[0].input = [{ from: 'image', channels: 0 }];
    expect(errorOf(() => workloadFromDoc(d))).toMatch(/parts\.g_a\.input: every input takes 0 channels/);
  });
  it('a resolution or a feature map beyond the limits, counts beyond 2^53', () => {
    expect(errorOf(() => workloadFromDoc(base(), 2 ** 53 + 2, 1))).toMatch(/resolution .* is too large \(allowed: 1 to 65536 per side\)/);
    const d = base();
    d.params.N = 1e6;
    d.parts[0].layers = [{ name: 'up', op: 'deconv', cout: 'N', kernel: 1000, stride: 1000 }, { name: 'up2', op: 'deconv', cout: 'N', kernel: 1000, stride: 1000 }];
    expect(errorOf(() => workloadFromDoc(d, 64, 64))).toMatch(/layer g_a\/up2?: output (height|width) \d+ is out of range \(allowed: 1 to 1048576\)|more than .* elements|out of range \(allowed: 0 to 2\^53\)/);
  });
});
