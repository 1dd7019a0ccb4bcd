import { describe, expect, it } from 'vitest';
import { grid, type EngineArch, type EngineGeom, type GeomKind } from '../../src/arch/engine.js';
import { tileFits, widestTc } from '../../src/cost/engine.js';
import type { EngineSpec } from '../../src/mapping/schema.js';
import { mulberry32 } from '../../src/util/prng.js';

/** A random layer of each geometry kind, with its output map from its input map (gr, gc ≥ 1). */
function randomGeom(next: (n: number) => number): EngineGeom | undefined {
  const kind = (['conv', 'subpixel', 'zero-insert', 'pointwise'] as GeomKind[])[next(4)];
  const k = kind === 'pointwise' ? 1 : 1 + next(7);
  const s = kind === 'pointwise' ? 1 : 1 + next(3);
  const p = next(k);
  const ih = 1 + next(60);
  const iw = 1 + next(90);
  const out = (i: number) => (kind === 'conv' ? Math.floor((i + 2 * p - k) / s) + 1 : kind === 'pointwise' ? i : (i - 1) * s + k - 2 * p);
  const g: EngineGeom = {
    kind, groups: 1, N: 1 + next(300), M: 1 + next(300), ih, iw, kh: k, kw: k, sh: s, sw: s, pt: p, pl: p,
    oh: out(ih), ow: out(iw), passes: 1, storeReads: false, shuffle: 1,
  };
  if (g.oh < 1 || g.ow < 1) return undefined;
  const gs = grid(g);
  return gs.gr >= 1 && gs.gc >= 1 ? g : undefined;
}

describe('widestTc', () => {
  it("is tileFits' widest column tile (linear scan) on random layers, arrays and buffers", () => {
    const rnd = mulberry32(7);
    const next = (n: number) => rnd() % n;
    let checked = 0;
    let positive = 0;
    for (let n = 0; n < 3000; n++) {
      const g = randomGeom(next);
      if (!g) continue;
      const gs = grid(g);
      const [pif, pof, poy, pox] = [2 ** next(6), 2 ** next(6), 2 ** next(3), 2 ** next(3)];
      const arch = { pif, pof, poy, pox } as EngineArch;
      const spec = { tif: 1 + next(200), tof: 1 + next(200), inBufDepth: 2 ** (4 + next(11)), wBufDepth: 2 ** (4 + next(11)), outBufDepth: 2 ** (4 + next(11)) } as EngineSpec;
      const tn = Math.min(g.N, spec.tif);
      const tm = Math.min(g.M, spec.tof);
      const tr = 1 + next(gs.gr + 2);
      let w = 0;
      for (let tc = 1; tc <= gs.gc && tileFits(g, gs, arch, spec, { tn, tm, tr, tc }); tc++) w = tc;
      expect(widestTc(g, gs, arch, spec, tn, tm, tr), JSON.stringify({ g, arch, spec, tr })).toBe(w);
      checked++;
      if (w > 0) positive++;
    }
    // Both answers (none fits, some width fits) occur often enough to mean something.
    expect(checked).toBeGreaterThan(1000);
    expect(positive).toBeGreaterThan(300);
    expect(checked - positive).toBeGreaterThan(100);
  });
});
