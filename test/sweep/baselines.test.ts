import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSweep } from '../../src/sweep/config.js';
import { jobAt, jobRequest } from '../../src/sweep/jobs.js';


import { POINT_COLUMNS, type PointRecord } from '../../src/report/columns.js';
import { readCsvRecords } from '../../src/report/csv.js';
import { cli, tempDir } from './helpers.js';

describe('baselines in sweeps, points.csv and the comparison table', () => {
  it('a sweep accepts arch dpu and gpu; baselines keep their own clock; an unknown GPU fails up front', async () => {
    const s = resolveSweep({ models: ['bmshj2018-factorized'], platforms: ['kv260'], precisions: ['int8'], res: ['256x256'], arch: ['dpu', 'gpu'], path: ['encode'], clockMHz: 200 });
    expect(s.arch).toEqual(['dpu', 'gpu']);
    expect(jobRequest(s, jobAt(s, 0)).clockMHz).toBeUndefined();
    expect(() => resolveSweep({ arch: ['gpu'], gpu: 'h100', platforms: ['kv260'] })).toThrow(/unknown GPU "h100"/);
  });

  it('points.csv names every CPU subgraph of a DPU row; compare prints DPU, engine and GPU rows', async () => {
    const dir = path.join(tempDir('baselines'), 'r');
    const r = await cli('sweep', '--models', 'bmshj2018-factorized', '--platforms', 'kv260', '--precisions', 'int8', '--res', '256x256',
      '--arch', 'dpu,engine,gpu', '--path', 'encode', '--out', dir, '--no-charts', '--jobs', '1');
    expect(r.status, r.stderr).toBe(0);
    const rows: PointRecord[] = [];
    for await (const p of readCsvRecords<PointRecord>(path.join(dir, 'points.csv'), POINT_COLUMNS)) rows.push(p);
    expect(rows.map((p) => p.arch)).toEqual(['dpu', 'engine', 'gpu']);
    const dpu = rows[0];
    // bmshj2018-factorized g_a: conv, GDN, conv, GDN, conv, GDN, conv: three GDNs leave the DPU.
    expect(dpu.cpuSubgraphs).toBe('1: g_a/1; 2: g_a/3; 3: g_a/5');
    expect(dpu.cpuMs).toBeGreaterThan(0);
    expect(rows[1].cpuSubgraphs).toBe('');
    expect(rows[1].cpuMs).toBeNull();
    expect(rows[2].design).toMatch(/^GPU jetson-orin-nano int8 roofline/);
    const c = await cli('compare', dir);
    expect(c.status, c.stderr).toBe(0);
    expect(c.stdout).toMatch(/\| bmshj2018-factorized q\S* \| Vitis AI DPU \| [0-9.]+ \| +\|/);
    expect(c.stdout).toMatch(/\| GPU \(roofline\) \| [0-9.]+ \(jetson-orin-nano\) \|/);
    expect(c.stdout).toMatch(/\| encode \| kv260 \| 1× DPU B4096 @ 300 MHz \| 1: g_a\/1; 2: g_a\/3; 3: g_a\/5 \|/);
  });

  it('explore --arch dpu lists the CPU subgraphs on the terminal; --emit refuses a baseline', async () => {
    const r = await cli('explore', '--model', 'bmshj2018-factorized', '--platform', 'zcu102', '--res', '256x256', '--arch', 'dpu', '--path', 'decode');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/CPU subgraph 1: g_s\/1 — [0-9.]+ ms — IGDN/);
    expect(r.stdout).toMatch(/3 frames in flight/);
    const e = await cli('explore', '--model', 'bmshj2018-factorized', '--platform', 'zcu102', '--res', '256x256', '--arch', 'gpu', '--emit', path.join(tempDir('emit'), 'x'));
    expect(e.status).toBe(2);
    expect(e.stderr).toMatch(/baseline/);
  });
});
