import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../src/errors.js';
import { loadSweep, resolveSweep, sweepJson } from '../../src/sweep/config.js';
import { jobAt, jobCount, jobLabel, parseShard, shardIndices, shardSize } from '../../src/sweep/jobs.js';
import { platformNames } from '../../src/platform/load.js';
import { zooNames } from '../../src/workload/load.js';
import { cli, tempDir } from './helpers.js';

function userError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isUserError(e)) return e.message;
    throw e;
  }
  throw new Error('no error');
}

describe('sweep configuration', () => {
  it('an empty sweep file is the demo sweep, and examples/demo-sweep.json spells it out', () => {
    const d = resolveSweep({});
    expect(d.models.map((m) => m.model)).toEqual(zooNames());
    expect(d.models.every((m) => m.variant !== undefined)).toBe(true); // each model's default variant is named
    expect(d.platforms).toEqual(['zcu102', 'kv260', 'u50']);
    expect(d.precisions).toEqual(['int8', 'int16']);
    expect(d.res).toEqual(['1280x720', '1920x1080']);
    expect(d.arch).toEqual(['engine', 'pipeline']);
    expect(d.path).toEqual(['encode', 'decode']);
    expect(jobCount(d)).toBe(zooNames().length * 3 * 2 * 2 * 2 * 2);
    expect(sweepJson(loadSweep('examples/demo-sweep.json'))).toBe(sweepJson(d));
  });

  it('models: names, name@variant, objects with variants and params, "all"', () => {
    const s = resolveSweep({ models: ['mbt2018@q1', { model: 'bmshj2018-hyperprior', variants: ['q2', 'q5'] }, { model: 'balle2017', params: { N: 96 } }], platforms: 'all' });
    expect(s.models).toEqual([
      { model: 'mbt2018', variant: 'q1' },
      { model: 'bmshj2018-hyperprior', variant: 'q2' },
      { model: 'bmshj2018-hyperprior', variant: 'q5' },
      { model: 'balle2017', params: { N: 96 } },
    ]);
    expect(s.platforms).toEqual(platformNames());
    // The resolved form (sweep.json) is itself a valid sweep file that resolves to the same sweep.
    expect(sweepJson(resolveSweep(JSON.parse(sweepJson(s))))).toBe(sweepJson(s));
  });

  const bad: [string, unknown, RegExp][] = [
    ['unknown model', { models: ['nosuch'] }, /model: unknown model "nosuch"/],
    ['unknown variant', { models: ['mbt2018@q99'] }, /unknown variant "q99" \(allowed: q1, /],
    ['unknown board', { models: ['mbt2018'], platforms: ['zcu999'] }, /unknown platform "zcu999"/],
    ['unknown precision', { models: ['mbt2018'], precisions: ['int99'] }, /precisions\[0\]: unknown precision "int99"/],
    ['bad resolution', { models: ['mbt2018'], res: ['1280*720'] }, /res\[0\]: WIDTHxHEIGHT/],
    ['unknown template', { models: ['mbt2018'], arch: ['systolic'] }, /arch\[0\]/],
    ['empty list', { models: ['mbt2018'], path: [] }, /path: give at least one value/],
    ['repeated value', { models: ['mbt2018'], res: ['256x256', '256x256'] }, /res: values repeat/],
    ['unknown field', { models: ['mbt2018'], boards: ['zcu102'] }, /unknown field\(s\) "boards"/],
    ['clock above a board', { models: ['mbt2018'], clockMHz: 900 }, /clockMHz: clock 900 MHz is above the board's limit/],
    ['model twice', { models: ['mbt2018', 'mbt2018@q3'] }, /appears twice/],
  ];
  for (const [what, doc, re] of bad) {
    it(`rejects a sweep file with ${what}`, () => expect(userError(() => resolveSweep(doc, 'sweep.json'))).toMatch(re));
  }

  it('a bad sweep file fails before any work starts: one line, exit 2, nothing written', async () => {
    const dir = tempDir('badsweep');
    const file = path.join(dir, 'sweep.json');
    writeFileSync(file, JSON.stringify({ models: ['mbt2018'], platforms: ['zcu102'], res: ['1280x720', 'big'] }));
    const out = path.join(dir, 'out');
    const r = await cli('sweep', '--config', file, '--out', out);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^lic-dse: .*sweep\.json: res\[1\]: WIDTHxHEIGHT/);
    expect(existsSync(out)).toBe(false);
    const both = await cli('sweep', '--config', file, '--models', 'mbt2018', '--out', out);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/give --config or the lists \(--models\), not both/);
    const invalidJson = path.join(dir, 'broken.json');
    writeFileSync(invalidJson, '{ "models": [');
    expect((await cli('sweep', '--config', invalidJson, '--out', out)).stderr).toMatch(/broken\.json: not valid JSON/);
    expect((await cli('sweep', '--models', 'mbt2018', '--shard', '3/2', '--out', out)).stderr).toMatch(/"3\/2" is not a shard/);
  });
});

describe('jobs and shards', () => {
  const s = resolveSweep({ models: ['mbt2018', 'balle2017'], platforms: ['zcu102', 'kv260', 'u50'], precisions: ['int8', 'int16'], res: ['256x256', '512x256'] });

  it('expands in a fixed order: models vary slowest, paths fastest', () => {
    const n = jobCount(s);
    expect(n).toBe(2 * 3 * 2 * 2 * 2 * 2);
    expect(jobLabel(jobAt(s, 0))).toBe('mbt2018 q3 · zcu102 · int8 · 256x256 · engine · encode');
    expect(jobLabel(jobAt(s, 1))).toBe('mbt2018 q3 · zcu102 · int8 · 256x256 · engine · decode');
    expect(jobLabel(jobAt(s, 2))).toBe('mbt2018 q3 · zcu102 · int8 · 256x256 · pipeline · encode');
    expect(jobLabel(jobAt(s, n - 1))).toBe('balle2017 n128 · u50 · int16 · 512x256 · pipeline · decode');
    const labels = Array.from({ length: n }, (_, i) => jobLabel(jobAt(s, i)));
    expect(new Set(labels).size).toBe(n);
    expect(() => jobAt(s, n)).toThrow(RangeError);
  });

  it('shards k/n partition the jobs (index % n == k - 1), whatever n', () => {
    const total = jobCount(s);
    for (const n of [1, 2, 3, 7, total, total + 5]) {
      const seen: number[] = [];
      for (let k = 1; k <= n; k++) {
        const idx = [...shardIndices(total, { k, n })];
        expect(idx.length).toBe(shardSize(total, { k, n }));
        for (const i of idx) expect(i % n).toBe(k - 1);
        seen.push(...idx);
      }
      expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i));
    }
    expect(parseShard('2/8')).toEqual({ k: 2, n: 8 });
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1-3']) expect(userError(() => parseShard(bad))).toMatch(/is not a shard/);
  });
});
