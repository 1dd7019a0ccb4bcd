import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAYER_COLUMNS, PARETO_COLUMNS, POINT_COLUMNS } from '../../src/report/columns.js';
import { CLI, cli, csvFields, listFiles, SMALL, SMALL_JOBS, tempDir, treeDiff } from './helpers.js';

describe('lic-dse sweep', () => {
  const dir = tempDir('sweep');
  const out = path.join(dir, 'small');

  beforeAll(async () => {
    const r = await cli('sweep', ...SMALL, '--out', out, '--jobs', '2');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^wrote .*small: 16 design points, 14 explored, 2 without a design \(see the error column of points\.csv\); \d+ layer rows, \d+ Pareto rows, \d+ charts; [\d.]+ s\n$/);
    expect(r.stderr).toBe(''); // no progress bar when piped / under CI
  });

  it('writes points.csv, layers.csv, pareto.csv, sweep.json, charts, index.html and its point details, and nothing half-written', () => {
    const files = listFiles(out);
    for (const f of ['points.csv', 'layers.csv', 'pareto.csv', 'sweep.json', 'index.html', 'charts/zcu102-fps-dsp.png', 'charts/zcu102-utilisation.png', 'charts/kv260-fps-dsp.png', 'charts/kv260-utilisation.png']) {
      expect(files).toContain(f);
    }
    // Per-point PNGs only on request (--point-charts, test/report/png.test.ts); each explored point's detail for index.html.
    expect(files.filter((f) => f.startsWith('charts/points/'))).toEqual([]);
    expect(files.filter((f) => /^detail\/\d+\.js$/.test(f))).toHaveLength(14);
    expect(files.filter((f) => /(^|\/)\./.test(f))).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('points.csv: one row per job in job order, every input and figure, a failed job as a row with its error', async () => {
    const [header, ...rows] = await csvFields(path.join(out, 'points.csv'));
    expect(header).toEqual(POINT_COLUMNS.map((c) => c.name));
    expect(rows).toHaveLength(SMALL_JOBS);
    expect(rows.map((r) => Number(r[0]))).toEqual(Array.from({ length: SMALL_JOBS }, (_, i) => i));
    const col = (r: string[], name: string) => r[header.indexOf(name)];
    const failed = rows.filter((r) => col(r, 'status') === 'error');
    // mbt2018's pipeline stages keep their line buffers on chip (as the template emits them): over the KV260's BRAM.
    expect(failed.map((r) => col(r, 'label'))).toEqual(['mbt2018 q3 · kv260 · int8 · 256x256 · pipeline · encode', 'mbt2018 q3 · kv260 · int8 · 256x256 · pipeline · decode']);
    for (const f of failed) {
      expect(col(f, 'error')).toMatch(/^budget: no pipeline design fits kv260/);
      expect(col(f, 'fps')).toBe('');
    }
    for (const r of rows.filter((x) => col(x, 'status') === 'ok')) {
      expect(Number(col(r, 'fps'))).toBeGreaterThan(0);
      expect(Number(col(r, 'dspUsed'))).toBeLessThanOrEqual(Number(col(r, 'dspAvailable')));
      expect(col(r, 'bottleneck')).not.toBe('');
      expect(['true', 'false']).toContain(col(r, 'feasible'));
      expect(col(r, 'res')).toBe('256x256');
    }
  });

  it('layers.csv and pareto.csv: rows grouped by job, as many as points.csv says', async () => {
    const [ph, ...points] = await csvFields(path.join(out, 'points.csv'));
    const [lh, ...layers] = await csvFields(path.join(out, 'layers.csv'));
    const [rh, ...pareto] = await csvFields(path.join(out, 'pareto.csv'));
    expect(lh).toEqual(LAYER_COLUMNS.map((c) => c.name));
    expect(rh).toEqual(PARETO_COLUMNS.map((c) => c.name));
    const jobsOf = (rows: string[][]) => rows.map((r) => Number(r[0]));
    expect(jobsOf(layers)).toEqual([...jobsOf(layers)].sort((a, b) => a - b));
    expect(jobsOf(pareto)).toEqual([...jobsOf(pareto)].sort((a, b) => a - b));
    for (const p of points) {
      const job = Number(p[0]);
      const ok = p[ph.indexOf('status')] === 'ok';
      expect(layers.filter((l) => Number(l[0]) === job).length).toBe(ok ? Number(p[ph.indexOf('layerCount')]) : 0);
      expect(pareto.filter((l) => Number(l[0]) === job).length).toBe(ok ? Number(p[ph.indexOf('paretoSize')]) : 0);
      const bl = p[ph.indexOf('bottleneckLayer')];
      if (ok && bl) expect(layers.find((l) => Number(l[0]) === job && l[lh.indexOf('layer')] === bl)?.[lh.indexOf('bottleneck')]).toBe('true');
    }
  });

  it('sweep.json repeats the run: same inputs give byte-identical CSV, JSON, HTML (and PNG), with one job or two', async () => {
    const again = path.join(dir, 'again');
    const r = await cli('sweep', '--config', path.join(out, 'sweep.json'), '--out', again, '--jobs', '1');
    expect(r.status, r.stderr).toBe(0);
    expect(treeDiff(out, again)).toEqual([]);
  });

  it('shards 1/3, 2/3, 3/3 merged give exactly what one unsharded run writes, byte for byte', async () => {
    const shards: string[] = [];
    for (const k of [1, 2, 3]) {
      const d = path.join(dir, `shard-${k}`);
      const r = await cli('sweep', ...SMALL, '--out', d, '--shard', `${k}/3`, '--jobs', '1');
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`wrote .*shard-${k}: [56] design points \\(of 16\\)`));
      expect(JSON.parse(readFileSync(path.join(d, 'sweep.json'), 'utf8')).shard).toBe(`${k}/3`);
      expect(existsSync(path.join(d, 'index.html'))).toBe(false);
      shards.push(d);
    }
    const merged = path.join(dir, 'merged');
    const m = await cli('merge', shards[2], shards[0], shards[1], '--out', merged);
    expect(m.status, m.stderr).toBe(0);
    expect(m.stdout).toMatch(/3 shards joined, 16 design points, 14 explored, 2 without a design/);
    expect(treeDiff(out, merged)).toEqual([]);

    // Mistakes: a missing shard, a shard twice, shards of different sweeps, a directory that is no shard.
    const bad = async (args: string[], re: RegExp) => {
      const r = await cli('merge', ...args, '--out', path.join(dir, 'never'));
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(re);
      expect(existsSync(path.join(dir, 'never'))).toBe(false);
    };
    await bad([shards[0], shards[1]], /shard\(s\) 3\/3 missing/);
    await bad([shards[0], shards[0], shards[1], shards[2]], /shard 1\/3 is given twice/);
    await bad([out], /not a shard/);
    const other = path.join(dir, 'other-2');
    expect((await cli('sweep', '--models', 'bmshj2018-factorized', '--platforms', 'zcu102', '--precisions', 'int8', '--res', '256x256', '--out', other, '--shard', '2/3', '--jobs', '1')).status).toBe(0);
    await bad([shards[0], other, shards[2]], /a different sweep/);
  });

  it('refuses to write over a directory that is not a report', async () => {
    const notReport = path.join(dir, 'precious');
    mkdirSync(notReport);
    writeFileSync(path.join(notReport, 'thesis.tex'), 'keep me');
    const r = await cli('sweep', '--models', 'balle2017', '--platforms', 'zcu102', '--precisions', 'int8', '--res', '256x256', '--out', notReport);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/precious exists and is not a lic-dse report/);
    expect(readdirSync(notReport)).toEqual(['thesis.tex']);
  });

  it('Ctrl-C stops the workers and leaves the previous report as it was, with no half-written file', async () => {
    const target = path.join(dir, 'interrupted');
    cpSync(out, target, { recursive: true });
    const child = spawn(process.execPath, [CLI, 'sweep', '--out', target, '--jobs', '2'], { env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += String(d); });
    // Wait (as long as it takes: no clock) until the run has started writing rows, then interrupt.
    const staging = () => readdirSync(dir).find((f) => f.startsWith('.interrupted.staging-'));
    // Bytes in the staged points.csv (a temporary file until the run ends).
    const rowsWritten = () => {
      try {
        const s = staging();
        const f = s && readdirSync(path.join(dir, s)).find((x) => x.startsWith('.points.csv.'));
        return f ? statSync(path.join(dir, s, f)).size : 0;
      } catch {
        return 0;
      }
    };
    let exited = false;
    child.on('exit', () => { exited = true; });
    for (;;) {
      if (rowsWritten() > 2000) break;
      expect(exited, `the sweep ended before it could be interrupted: ${stderr}`).toBe(false);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(staging()).toBeDefined();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', (c) => resolve(c))));
    expect(code).toBe(130);
    expect(stderr).toMatch(/lic-dse: interrupted; nothing was written/);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(treeDiff(out, target)).toEqual([]);
  });
});
