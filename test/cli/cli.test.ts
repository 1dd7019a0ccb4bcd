import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel, zooNames } from '../../src/workload/load.js';
import { zooEntry } from '../../src/workload/zoo-index.js';
import { runCli } from '../spawn.js';

const CLI = path.resolve('dist/bin/main.js');
/** The built CLI, started asynchronously (test/spawn.ts: a blocked test worker misses vitest's RPC on a busy machine). */
export const run = (...args: string[]) => runCli(CLI, args);

describe('CLI', () => {
  it('models lists every zoo model', async () => {
    const r = await run('models');
    expect(r.status).toBe(0);
    for (const m of ['balle2017', 'bmshj2018-factorized', 'bmshj2018-hyperprior', 'mbt2018-mean', 'mbt2018', 'cheng2020-anchor']) {
      expect(r.stdout).toContain(m);
    }
  });
  it('models reads each zoo file\'s header without the schema, and takes it exactly as the schema does', () => {
    for (const n of zooNames()) {
      const { spec } = loadModel(n);
      expect(zooEntry(n), n).toEqual({
        name: spec.name, title: spec.title, variants: Object.keys(spec.variants), defaultVariant: spec.defaultVariant ?? null,
        params: spec.params, reference: `${spec.reference.repo}/${spec.reference.path}`,
      });
    }
  });
  it('describe --json has the documented shape', async () => {
    const r = await run('describe', 'bmshj2018-hyperprior', '--variant', 'q3', '--res', '1280x720', '--json');
    expect(r.status).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(Object.keys(d)).toEqual(expect.arrayContaining(['model', 'variant', 'params', 'resolution', 'layers', 'totals']));
    expect(d.resolution).toEqual({ width: 1280, height: 720, paddedWidth: 1280, paddedHeight: 768 });
    expect(Object.keys(d.layers[0])).toEqual(expect.arrayContaining(['part', 'name', 'op', 'cin', 'cout', 'kernel', 'stride', 'inH', 'inW', 'outH', 'outW', 'macs', 'params']));
    expect(Object.keys(d.totals.paths)).toEqual(['encode', 'decode']);
    expect(d.params).toEqual({ N: 128, M: 192 });
  });
  it('describe --param overrides a channel width (a pruned student)', async () => {
    const d = JSON.parse((await run('describe', 'bmshj2018-hyperprior', '--param', 'N=64', '--param', 'M=96', '--json')).stdout);
    expect(d.params).toEqual({ N: 64, M: 96 });
    expect(d.layers[0].cout).toBe(64);
  });
  it('platform shows sources', async () => {
    const r = await run('platform', 'zcu102');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('DS891');
  });

  const bad: [string, string[], RegExp][] = [
    ['unknown model', ['describe', 'nosuch'], /^lic-dse: model: unknown model "nosuch" \(built-in: balle2017, /],
    ['unknown board', ['platform', 'zcu999'], /^lic-dse: platform: unknown platform "zcu999"/],
    ['bad resolution', ['describe', 'mbt2018', '--res', '720p'], /^lic-dse: res: "720p" is not a resolution/],
    ['bad variant', ['describe', 'mbt2018', '--variant', 'q0'], /unknown variant "q0" \(allowed: q1, /],
    ['unknown option', ['describe', 'mbt2018', '--colour'], /^lic-dse: Unknown argument: colour/],
    ['missing file', ['describe', 'nowhere/model.json'], /^lic-dse: .*model\.json: cannot read file \(ENOENT\)/],
  ];
  for (const [what, args, re] of bad) {
    it(`${what}: one line, exit 2, no stack`, async () => {
      const r = await run(...args);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(re);
      expect(r.stderr).not.toMatch(/\s+at /);
    });
  }
  it('a contradictory user model and a resolution the model cannot take', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lic-'));
    const f = path.join(dir, 'mine.json');
    const doc = JSON.parse(readFileSync('test/fixtures/alexnet.json', 'utf8'));
    doc.parts[0].layers[3].cout = 'C * 2';
    writeFileSync(f, JSON.stringify(doc));
    let r = await run('describe', f, '--res', '227x227');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/mine\.json: features\.conv2\.cout: expression "C \* 2" uses undefined parameter "C"/);
    r = await run('describe', 'test/fixtures/alexnet.json', '--res', '32x32');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/alexnet\.json: layer features\/pool2: pool 3×3 is larger than the input 2×2 at 32x32 \(padded 32x32\)/);
    r = await run('describe', 'mbt2018', '--res', '0x720');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/res: "0x720" is not a resolution/);
  });

  it('malformed JSON and malformed board file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lic-'));
    const f = path.join(dir, 'broken.json');
    writeFileSync(f, '{ "schema": ');
    let r = await run('describe', f);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/broken\.json: not valid JSON/);
    const b = path.join(dir, 'board.json');
    writeFileSync(b, JSON.stringify({ schema: 'lic-dse/platform@1', name: 'x' }));
    r = await run('platform', b);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/board\.json: title: /);
  });
});
