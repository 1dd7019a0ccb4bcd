import { describe, expect, it } from 'vitest';
import { loadPlatform, platformNames } from '../../src/platform/load.js';
import { PlatformFileSchema, toPlatform } from '../../src/platform/schema.js';
import { parseWith } from '../../src/util/files.js';
import { UserError } from '../../src/errors.js';
import { parsePrecision } from '../../src/platform/precision.js';

describe('boards', () => {
  it('ships zcu102, kv260 and u50', () => {
    expect(platformNames()).toEqual(['kv260', 'u50', 'zcu102']);
  });
  it('ZCU102: ZU9EG figures from DS891', () => {
    const p = loadPlatform('zcu102');
    expect(p.spec.part).toBe('xczu9eg-ffvb1156-2-e');
    expect(p.available).toEqual({ dsp: 2520, bram18: 1824, uram: 0, lut: 274080, ff: 548160 });
  });
  it('KV260: K26 SOM figures from DS987', () => {
    const p = loadPlatform('kv260');
    expect(p.available).toMatchObject({ dsp: 1248, bram18: 288, uram: 64 });
  });
  it('U50: the shell share is subtracted', () => {
    const p = loadPlatform('u50');
    expect(p.spec.resources.dsp).toBe(5952);
    expect(p.available.dsp).toBe(5952 - p.spec.reserved.dsp);
    expect(p.spec.reserved.dsp).toBeGreaterThan(0);
    expect(p.bandwidthBytesPerSec).toBeCloseTo(316e9 * p.spec.memory.efficiency, -3);
  });
  it('every section carries a source', () => {
    for (const n of platformNames()) {
      const s = loadPlatform(n).spec;
      for (const src of [s.partSource, s.resources.source, s.reserved.source, s.memory.source, s.memory.efficiencySource, s.clock.source, s.cpu.source]) {
        expect(src.length).toBeGreaterThan(10);
      }
    }
  });
});

describe('malformed board files', () => {
  const good = () => structuredClone(loadPlatform('zcu102').spec) as Record<string, any>;
  const err = (d: unknown) => {
    try {
      toPlatform(parseWith(PlatformFileSchema, d, 'board.json'), 'board.json');
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      return (e as Error).message;
    }
    throw new Error('expected an error');
  };
  it('negative DSP count', () => {
    const d = good();
    d.resources.dsp = -1;
    expect(err(d)).toMatch(/^board\.json: resources\.dsp: /);
  });
  it('missing source', () => {
    const d = good();
    delete d.memory.source;
    expect(err(d)).toMatch(/^board\.json: memory\.source: /);
  });
  it('shell larger than the device', () => {
    const d = good();
    d.reserved.dsp = 3000;
    expect(err(d)).toBe('board.json: reserved.dsp: reserved 3000 exceeds the device\'s 2520');
  });
  it('typical clock above the maximum', () => {
    const d = good();
    d.clock.typicalMHz = 900;
    expect(err(d)).toBe('board.json: clock.typicalMHz: typicalMHz exceeds maxMHz');
  });
  it('unknown DSP family', () => {
    const d = good();
    d.dspFamily = 'DSP42';
    expect(err(d)).toMatch(/^board\.json: dspFamily: .*DSP48E1.*DSP48E2.*DSP58/);
  });
  it('efficiency above 1', () => {
    const d = good();
    d.memory.efficiency = 1.5;
    expect(err(d)).toMatch(/^board\.json: memory\.efficiency: /);
  });
});

describe('precision names', () => {
  it('parses int8, w4a8, fp32', () => {
    expect(parsePrecision('int8')).toMatchObject({ weightBits: 8, actBits: 8, kind: 'int' });
    expect(parsePrecision('w8a8').name).toBe('int8');
    expect(parsePrecision('w4a8')).toMatchObject({ weightBits: 4, actBits: 8 });
    expect(parsePrecision('fp32')).toMatchObject({ kind: 'float', weightBits: 32 });
  });
  it('rejects unknown precision with the allowed list', () => {
    expect(() => parsePrecision('int99')).toThrow(/unknown precision "int99" \(allowed: int4, int8, int16/);
  });
});
