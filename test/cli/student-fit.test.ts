import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../spawn.js';

// The built CLI, started asynchronously: a fit searches for many seconds, which spawnSync (or a run in this
// process) would spend with the test worker's event loop blocked, past vitest's 60 s RPC limit on a busy machine.
const CLI = path.resolve('dist/bin/main.js');
const run = (...args: string[]) => runCli(CLI, args);

describe('CLI student and fit', () => {
  it('student writes a model file that describe and explore accept', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lic-student-'));
    const out = path.join(dir, 'h-half.json');
    const r = await run('student', '--model', 'bmshj2018-hyperprior', '--width', '0.5', '--round', '8', '--gdn', 'simplified', '--out', out);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('M 192 → 96 (unit 8), N 128 → 64 (unit 8)');
    const d = JSON.parse((await run('describe', out, '--res', '256x256', '--json')).stdout);
    expect(d.params).toEqual({ N: 64, M: 96 });
    expect(d.layers.filter((l: { op: string }) => l.op === 'gdn_simplified')).toHaveLength(3);
    const e = await run('explore', '--model', out, '--platform', 'kv260', '--res', '128x128', '--json');
    expect(e.status).toBe(0);
    expect(JSON.parse(e.stdout).model).toBe('bmshj2018-hyperprior-w0.5-r8-sgdn');
  });

  it('fit --json reports the student, its plan and the next wider step; --save writes both files', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lic-fit-'));
    const r = await run('fit', '--model', 'balle2017', '--platform', 'kv260', '--res', '128x128', '--fps', '2000', '--arch', 'engine', '--json', '--save', dir);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.student.paths[0].fps).toBeGreaterThanOrEqual(2000);
    if (j.nextWider) expect(j.nextWider.fps).toBeLessThan(2000);
    expect(j.student.paths[0].plan).toMatchObject({ name: 'int8', bits: 8 });
    expect(readdirSync(dir).sort()).toEqual(['balle2017-student-encode.point.json', 'balle2017-student.json']);
    const point = JSON.parse(readFileSync(path.join(dir, 'balle2017-student-encode.point.json'), 'utf8'));
    const ev = await run('evaluate', '--point', path.join(dir, 'balle2017-student-encode.point.json'), '--json');
    expect(point.workload.model).toBe(path.join(dir, 'balle2017-student.json'));
    expect(ev.status).toBe(0);
    expect(JSON.parse(ev.stdout).fps).toBeCloseTo(j.student.paths[0].fps, 9);
  });

  it('bad input: one line, exit 2, no file written', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lic-bad-'));
    const cases: [string[], RegExp][] = [
      [['student', '--model', 'balle2017', '--width', '0', '--out', path.join(dir, 'x.json')], /^lic-dse: width: width 0 must be in \(0, 4\]\n$/],
      [['student', '--model', 'balle2017', '--width', '0.5', '--prune', 'g_a=1.5', '--out', path.join(dir, 'x.json')], /^lic-dse: prune g_a: pruning ratio g_a=1.5 must be in \[0, 1\)/],
      [['fit', '--model', 'balle2017', '--platform', 'kv260', '--fps', '30', '--precisions', 'int7x'], /^lic-dse: precisions: unknown precision "int7x"/],
      [['fit', '--model', 'balle2017', '--platform', 'kv260', '--fps', '30', '--sweep-width', '1:0.5:0.1'], /^lic-dse: sweep-width: "1:0.5:0.1" is not FROM:TO:STEP/],
    ];
    for (const [args, re] of cases) {
      const r = await run(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(re);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(existsSync(path.join(dir, 'x.json'))).toBe(false);
  });
});
