import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../spawn.js';

// Its own runner: importing it from cli.test.ts would register (and run) that file's tests here again.
const run = (...args: string[]) => runCli(path.resolve('dist/bin/main.js'), args);

describe('explore and evaluate', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lic-explore-'));
  const saved = path.join(dir, 'point.json');

  it('explore --json has the documented estimate shape and --save writes a point evaluate accepts', async () => {
    const r = await run('explore', '--model', 'bmshj2018-hyperprior', '--platform', 'zcu102', '--precision', 'int8', '--res', '640x384', '--arch', 'engine', '--path', 'encode', '--json', '--save', saved);
    expect(r.status, r.stderr).toBe(0);
    const e = JSON.parse(r.stdout);
    for (const k of ['model', 'variant', 'platform', 'arch', 'path', 'precision', 'clockMHz', 'fps', 'latencyMs', 'gops', 'bottleneck', 'resources', 'bandwidth', 'design', 'layers']) expect(e).toHaveProperty(k);
    for (const k of ['dsp', 'bram18', 'uram', 'lut', 'ff']) expect(Object.keys(e.resources[k])).toEqual(expect.arrayContaining(['used', 'available']));
    expect(Object.keys(e.bandwidth)).toEqual(['usedGBs', 'availableGBs']);
    expect(Object.keys(e.layers[0])).toEqual(expect.arrayContaining(['name', 'part', 'op', 'macs', 'cycles', 'timeMs', 'bound', 'ctc', 'attainableGops', 'dsp', 'bram18']));
    expect(e.clockMHz).toBe(200); // the board's HLS clock (platforms/zcu102.json clock.hlsMHz)
    const ev = await run('evaluate', '--point', saved, '--json');
    expect(ev.status, ev.stderr).toBe(0);
    const back = JSON.parse(ev.stdout);
    expect(back.fps).toBe(e.fps);
    expect(back.layers).toEqual(e.layers);
  });

  it('the saved point is byte-identical when saved twice', async () => {
    const again = path.join(dir, 'again.json');
    await run('explore', '--model', 'bmshj2018-hyperprior', '--platform', 'zcu102', '--res', '640x384', '--arch', 'engine', '--path', 'encode', '--save', again);
    expect(readFileSync(again)).toEqual(readFileSync(saved));
  });

  it('the text view names the bottleneck and shows the per-layer table', async () => {
    const r = await run('evaluate', '--point', 'test/fixtures/zhang15-point.json');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/bottleneck: layer features\/conv1 \(compute\)/);
    expect(r.stdout).toMatch(/features\/conv2 +conv +fp32/);
  });

  const bad: [string, string[], RegExp][] = [
    ['clock above the board', ['--clock', '900'], /^lic-dse: clockMHz: clock 900 MHz is above the board's limit of \d+ MHz \(zcu102\)/],
    ['unknown precision', ['--precision', 'int99'], /^lic-dse: precision: unknown precision "int99"/],
    ['bad caps', ['--caps', 'dsp=2'], /^lic-dse: caps: "dsp=2" is not RESOURCE=FRACTION/],
    ['budget too small', ['--caps', 'dsp=0.0001'], /^lic-dse: budget: no engine design fits zcu102: even the smallest needs dsp \d+ > 0 \(cap 0\.0001 of 2520\)/],
    ['unknown board', ['--platform', 'zcu999'], /^lic-dse: platform: unknown platform "zcu999"/],
  ];
  for (const [what, extra, re] of bad) {
    it(`${what}: one line, exit 2`, async () => {
      const never = path.join(dir, `never-${what.replace(/\W+/g, '-')}.json`);
      const args = ['explore', '--model', 'bmshj2018-hyperprior', '--platform', 'zcu102', '--res', '256x256', '--save', never];
      const i = args.indexOf('--platform');
      if (extra[0] === '--platform') args.splice(i, 2);
      const r = await run(...args, ...extra);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(re);
      expect(existsSync(never)).toBe(false);
    });
  }

  it('explore --emit writes the HLS project of the chosen point; a second emit needs --force', async () => {
    const out = path.join(dir, 'hls');
    const args = ['explore', '--model', 'bmshj2018-hyperprior', '--param', 'N=8', '--param', 'M=12', '--platform', 'kv260', '--res', '32x32', '--arch', 'pipeline', '--path', 'decode', '--emit', out];
    const r = await run(...args);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/wrote \d+ files of the pipeline project/);
    // What stops the design (src/search/explore.ts): here the last stage, already one output pixel a cycle.
    expect(r.stdout).toMatch(/^accelerator no faster: 1 parallel stage at [\d,]+ cycles a frame \(g_s\/6 pin8 pout3 pk25\): g_s\/6 already at full parallelism$/m);
    const tiling = JSON.parse(readFileSync(path.join(out, 'tiling.json'), 'utf8'));
    expect(JSON.stringify(tiling)).toContain('"arch":"pipeline"');
    expect((await run(...args)).status).toBe(2);
    expect((await run(...args, '--force')).status).toBe(0);
  });

  /** evaluate on the Zhang'15 point with one layer's tile changed: exit 2 and one error line. */
  const badTile = async (layer: string, tile: Record<string, number>, name: string) => {
    const p = JSON.parse(readFileSync('test/fixtures/zhang15-point.json', 'utf8'));
    Object.assign(p.engine.layers[layer], tile);
    const f = path.join(dir, name);
    writeFileSync(f, JSON.stringify(p));
    const r = await run('evaluate', '--point', f);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    return r.stderr;
  };

  it('a contradictory point file: a tile larger than the buffers', async () => {
    expect(await badTile('features/conv1', { tr: 55 }, 'big-tile.json')).toMatch(/engine\.layers\.features\/conv1: tile tn=7 tm=64 tr=55 tc=11 does not fit the buffers/);
  });

  it('a point file with a tile narrower than the padding reaches: the layer, the dimension at fault and the narrowest tile allowed', async () => {
    // conv2 is 5x5, stride 1, padding 2: with one-column tiles the padding clips the second tile as well as the first.
    expect(await badTile('features/conv2', { tc: 1 }, 'narrow-tile.json')).toMatch(/engine\.layers\.features\/conv2: tile tc=1 is narrower than the padding reaches.*\(allowed: tc from 3\)$/m);
  });
});
