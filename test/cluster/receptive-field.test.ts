import { describe, expect, it } from 'vitest';
import { haloRows, partFields, receptiveField } from '../../src/cluster/receptive-field.js';
import { loadModel } from '../../src/workload/load.js';
import { resolveModel } from '../../src/workload/resolve.js';

const resolved = (name: string) => {
  const { file, spec } = loadModel(name);
  return resolveModel(spec, file, {});
};

describe('receptive field from the layer descriptors', () => {
  it('Ballé 2018 g_a (4 × conv 5×5 stride 2): 1 + 4 × (1 + 2 + 4 + 8) = 61 px, jump 16', () => {
    const f = partFields(resolved('bmshj2018-hyperprior')).get('g_a')!;
    expect(f).toEqual({ rf: 61, jump: 16 });
  });

  it('the whole hyperprior encode path (g_a → h_a → h_s) sees 509 px', () => {
    // h_a: conv3/1 +2×16 = 93; conv5/2 +4×16 = 157 (j 32); conv5/2 +4×32 = 285 (j 64).
    // h_s: deconv5/2 reads ⌈5/2⌉ = 3 inputs: +2×64 = 413 (j 32); again +2×32 = 477 (j 16); conv3/1 +2×16 = 509.
    const m = resolved('bmshj2018-hyperprior');
    expect(receptiveField(m, 'encode', 'path')).toBe(509);
    expect(receptiveField(m, 'encode', 'analysis')).toBe(61);
  });

  it('halo: half the field beyond the centre, rounded up to the strip alignment', () => {
    expect(haloRows(509, 64)).toBe(256); // ⌈254/64⌉ × 64
    expect(haloRows(61, 16)).toBe(32); // ⌈30/16⌉ × 16
    expect(haloRows(61, 1)).toBe(30);
    expect(haloRows(Infinity, 16)).toBe(Infinity);
  });
});
