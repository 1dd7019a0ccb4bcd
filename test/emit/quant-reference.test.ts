import { describe, expect, it } from 'vitest';
import { INPUT, type RefLayer } from '../../src/emit/ir.js';
import { layerParams } from '../../src/emit/params.js';
import { ACT_ABS, ACT_LEAKY, ACT_RELU, activate, gdnApply, gdnTables, leakySlopeQ8, requantShift, roundShift, sat8 } from '../../src/emit/quant.js';
import { refLayerForward } from '../../src/emit/reference.js';
import { rng } from '../rng.js';

/** The quantised arithmetic (src/emit/quant.ts) and the reference layers against independent formulations. */

describe('integer arithmetic', () => {
  it('round-half-up shifts and saturation', () => {
    expect([roundShift(3, 1), roundShift(-3, 1), roundShift(-5, 2), roundShift(6, 2), roundShift(5, 0), roundShift(5, -2)]).toEqual([2, -1, -1, 2, 5, 20]);
    expect([sat8(200), sat8(-129), sat8(-128), sat8(5)]).toEqual([127, -128, -128, 5]);
  });
  it('activations after saturation', () => {
    expect(activate(-5, ACT_RELU, 0)).toBe(0);
    expect(leakySlopeQ8(0.01)).toBe(3);
    expect(activate(-100, ACT_LEAKY, 3)).toBe(-2); // floor(-300/256)
    expect(activate(-1, ACT_LEAKY, 3)).toBe(-1);
    expect(activate(40, ACT_LEAKY, 3)).toBe(40);
    expect(activate(-128, ACT_ABS, 0)).toBe(127);
  });
  it('requantisation shift from the fan-in: 6 + ⌈log2(F)/2⌉', () => {
    expect(requantShift(3 * 25)).toBe(10);
    expect(requantShift(128 * 25)).toBe(12);
    expect(requantShift(1)).toBe(6);
  });
  it('GDN tables are exact integer roots and reciprocals', () => {
    const t = gdnTables();
    expect(t.rsqrt).toHaveLength(384);
    expect(t.recip).toHaveLength(256);
    for (let m = 128; m < 512; m++) {
      const r = t.rsqrt[m - 128];
      expect(r * r * m <= 2 ** 30 && (r + 1) * (r + 1) * m > 2 ** 30).toBe(true);
      const q = t.sqrt[m - 128];
      expect(q * q <= m * 65536 && (q + 1) * (q + 1) > m * 65536).toBe(true);
      expect(q).toBeLessThan(65536);
    }
    for (let m = 256; m < 512; m++) expect(t.recip[m - 256]).toBe(Math.floor(2 ** 23 / m));
  });
  it('GDN / IGDN / simplified approximate the real formulas within 2^-7 plus rounding', () => {
    const r = rng(7);
    const ideal: Record<string, (x: number, n: number) => number> = {
      gdn: (x, n) => (x * 256) / Math.sqrt(n),
      igdn: (x, n) => (x * Math.sqrt(n)) / 256,
      gdn_simplified: (x, n) => (x * 4096) / n,
      igdn_simplified: (x, n) => (x * n) / 4096,
    };
    for (const kind of ['gdn', 'igdn', 'gdn_simplified', 'igdn_simplified'] as const) {
      let checked = 0;
      for (let i = 0; i < 20000; i++) {
        const x = r.int(-128, 127);
        const n = Math.floor(Math.exp(r.next() * Math.log(2 ** 30))) + 1;
        const want = ideal[kind](x, n);
        const got = gdnApply(kind, x, n);
        const tol = Math.abs(want) * 2 ** -7 + 0.5;
        expect(got).toBeGreaterThanOrEqual(sat8(Math.floor(want - tol)));
        expect(got).toBeLessThanOrEqual(sat8(Math.ceil(want + tol)));
        if (Math.abs(want) < 120) checked++;
      }
      expect(checked).toBeGreaterThan(1000);
    }
    expect(gdnApply('gdn', 50, 65536)).toBe(50); // beta = 1.0, no gamma: identity
    expect(gdnApply('igdn', -50, 65536)).toBe(-50);
    expect(gdnApply('gdn_simplified', 50, 4096)).toBe(50);
    expect(gdnApply('gdn', 10, 0)).toBe(gdnApply('gdn', 10, 1)); // n < 1 is read as 1
  });
});

function layer(over: Partial<RefLayer>): RefLayer {
  return {
    id: 'p/l', op: 'conv', inputs: [INPUT], in: { c: 1, h: 1, w: 1 }, out: { c: 1, h: 1, w: 1 },
    kh: 1, kw: 1, sh: 1, sw: 1, padT: 0, padL: 0, bias: true, shift: 6, slopeQ8: 0, factor: 1, ...over,
  };
}
const randInt8 = (r: ReturnType<typeof rng>, n: number) => Int8Array.from({ length: n }, () => r.int(-128, 127));

describe('reference layers', () => {
  it('conv equals the textbook loop nest (random shapes, strides, paddings)', () => {
    const r = rng(11);
    for (let trial = 0; trial < 40; trial++) {
      const [kh, kw, sh, sw] = [r.int(1, 5), r.int(1, 5), r.int(1, 3), r.int(1, 3)];
      const [padT, padL] = [r.int(0, kh - 1), r.int(0, kw - 1)];
      const [N, M, IH, IW] = [r.int(1, 4), r.int(1, 4), r.int(kh, 9), r.int(kw, 9)];
      const OH = Math.floor((IH + 2 * padT - kh) / sh) + 1;
      const OW = Math.floor((IW + 2 * padL - kw) / sw) + 1;
      const l = layer({ in: { c: N, h: IH, w: IW }, out: { c: M, h: OH, w: OW }, kh, kw, sh, sw, padT, padL, shift: r.int(0, 9) });
      const p = layerParams(trial, l);
      const x = randInt8(r, N * IH * IW);
      const y = refLayerForward(l, [x], p);
      for (let m = 0; m < M; m++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) {
        let acc = p.bias![m];
        for (let n = 0; n < N; n++) for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) {
          const iy = oy * sh - padT + ky;
          const ix = ox * sw - padL + kx;
          if (iy >= 0 && iy < IH && ix >= 0 && ix < IW) acc += p.weights![((m * N + n) * kh + ky) * kw + kx] * x[(n * IH + iy) * IW + ix];
        }
        expect(y[(m * OH + oy) * OW + ox]).toBe(sat8(roundShift(acc, l.shift)));
      }
    }
  });
  it('transposed conv equals a stride-1 convolution over the zero-inserted input', () => {
    const r = rng(12);
    for (let trial = 0; trial < 40; trial++) {
      const [kh, sh] = [r.int(1, 9), r.int(1, 4)];
      const [kw, sw] = [r.int(1, 6), r.int(1, 3)];
      const [padT, padL] = [r.int(0, kh), r.int(0, kw)];
      const [N, M, IH, IW] = [r.int(1, 3), r.int(1, 3), r.int(1, 6), r.int(1, 6)];
      const OH = Math.max(1, (IH - 1) * sh - 2 * padT + kh + r.int(0, sh - 1));
      const OW = Math.max(1, (IW - 1) * sw - 2 * padL + kw + r.int(0, sw - 1));
      const l = layer({ op: 'deconv', in: { c: N, h: IH, w: IW }, out: { c: M, h: OH, w: OW }, kh, kw, sh, sw, padT, padL, shift: r.int(0, 8) });
      const p = layerParams(trial, l);
      const x = randInt8(r, N * IH * IW);
      const y = refLayerForward(l, [x], p);
      // Z[u] = x[u/s] where s divides u; out[o] = Σ_k W[k]·Z[o + P − k].
      const z = (n: number, u: number, v: number) => (u >= 0 && v >= 0 && u % sh === 0 && v % sw === 0 && u / sh < IH && v / sw < IW ? x[(n * IH + u / sh) * IW + v / sw] : 0);
      for (let m = 0; m < M; m++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) {
        let acc = p.bias![m];
        for (let n = 0; n < N; n++) for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) {
          acc += p.weights![((n * M + m) * kh + ky) * kw + kx] * z(n, oy + padT - ky, ox + padL - kx);
        }
        expect(y[(m * OH + oy) * OW + ox]).toBe(sat8(roundShift(acc, l.shift)));
      }
    }
  });
  it('GDN applies gamma over channels at each pixel', () => {
    const r = rng(13);
    for (const op of ['gdn', 'igdn', 'gdn_simplified', 'igdn_simplified'] as const) {
      const C = 5;
      const l = layer({ op, in: { c: C, h: 3, w: 4 }, out: { c: C, h: 3, w: 4 } });
      const p = layerParams(3, l);
      const x = randInt8(r, C * 12);
      const y = refLayerForward(l, [x], p);
      for (let i = 0; i < C; i++) for (let q = 0; q < 12; q++) {
        let n = p.bias![i];
        for (let j = 0; j < C; j++) n += p.weights![i * C + j] * (op.endsWith('simplified') ? Math.abs(x[j * 12 + q]) : x[j * 12 + q] ** 2);
        expect(y[i * 12 + q]).toBe(gdnApply(op, x[i * 12 + q], n));
      }
    }
  });
  it('pixel shuffle follows PyTorch: channel c·r² + i·r + j lands at (y·r + i, x·r + j)', () => {
    const l = layer({ op: 'pixel_shuffle', in: { c: 8, h: 1, w: 2 }, out: { c: 2, h: 2, w: 4 }, factor: 2 });
    const x = Int8Array.from({ length: 16 }, (_, k) => k); // x[c][0][w] = 2c + w
    const y = Array.from(refLayerForward(l, [x], {}));
    // out channel 0 takes input channels 0..3: (0,0)->c0, (0,1)->c1, (1,0)->c2, (1,1)->c3, at w = 0 then 1.
    expect(y.slice(0, 8)).toEqual([0, 2, 1, 3, 4, 6, 5, 7]);
    expect(y.slice(8)).toEqual([8, 10, 9, 11, 12, 14, 13, 15]);
  });
  it('seeded parameters and input are reproducible per layer', () => {
    const l = layer({ in: { c: 3, h: 4, w: 4 }, out: { c: 2, h: 4, w: 4 }, kh: 3, kw: 3, padT: 1, padL: 1 });
    expect(layerParams(1, l)).toEqual(layerParams(1, l));
    expect(layerParams(2, l).weights).not.toEqual(layerParams(1, l).weights);
    expect(layerParams(1, { ...l, bias: false }).bias).toEqual(new Int32Array(2));
  });
});
