import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/cost/evaluate.js';
import { contextFor, loadPoint, workloadFor } from '../../src/mapping/load.js';
import { analyseCluster } from '../../src/cluster/analyse.js';
import { loadCluster } from '../../src/cluster/load.js';
import { isUserError } from '../../src/errors.js';

const CLI = path.resolve('dist/bin/main.js');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
const FIX = 'test/fixtures/cluster';

/** A copy of the fixture cluster file with some fields changed, in a temp dir beside a copy of its point. */
function variant(change: (doc: Record<string, unknown>) => void): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lic-cluster-'));
  const doc = JSON.parse(readFileSync(path.join(FIX, 'two-zcu102.json'), 'utf8')) as Record<string, unknown>;
  change(doc);
  writeFileSync(path.join(dir, 'zcu102-hyperprior-1024.json'), readFileSync(path.join(FIX, 'zcu102-hyperprior-1024.json')));
  const file = path.join(dir, 'cluster.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

describe('lic-dse cluster', () => {
  it('each board\'s FPS is its own estimate (the same as lic-dse evaluate), and the cluster sums them', () => {
    const r = run('cluster', '--config', path.join(FIX, 'two-zcu102.json'), '--json');
    expect(r.status, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout);
    const point = loadPoint(path.join(FIX, 'zcu102-hyperprior-1024.json'));
    const { workload, platform, tables } = contextFor(point);
    const est = evaluate(workload, platform, point, tables);
    expect(rep.boards.map((b: { estimateFps: number }) => b.estimateFps)).toEqual([est.fps, est.fps]);
    // 10 GbE master (1.175 GB/s → 373.5 FPS of 3 MB frames) and 1 GbE boards (37.35 FPS each) are faster than the boards.
    expect(rep.healthy.limit).toBe('boards');
    expect(rep.healthy.fps).toBeCloseTo(2 * est.fps, 9);
    expect(rep.degradation.map((d: { fps: number }) => d.fps)).toEqual([expect.closeTo(2 * est.fps, 9), expect.closeTo(est.fps, 9), 0]);
    // Availability: A = 1000/1010; P(both up) = A² when one board misses the target and two meet it.
    expect(est.fps).toBeLessThan(10);
    expect(2 * est.fps).toBeGreaterThanOrEqual(10);
    expect(rep.availability.probability).toBeCloseTo((1000 / 1010) ** 2, 12);
  });

  it('--simulate --out writes the CSVs, the PNGs and cluster.json; the same run twice gives the same bytes', () => {
    const outs = [0, 1].map(() => path.join(mkdtempSync(path.join(tmpdir(), 'lic-cluster-out-')), 'rep'));
    for (const out of outs) {
      const r = run('cluster', '--config', path.join(FIX, 'two-zcu102.json'), '--failed', '1', '--simulate', '--seconds', '20', '--seeds', '2', '--out', out);
      expect(r.status, r.stderr).toBe(0);
      const one = /^1 failed +1 +([\d.]+) +boards/m.exec(r.stdout);
      expect(one, r.stdout).not.toBeNull();
      const point = loadPoint(path.join(FIX, 'zcu102-hyperprior-1024.json'));
      const { workload, platform, tables } = contextFor(point);
      expect(Number(one![1])).toBeCloseTo(evaluate(workload, platform, point, tables).fps, 2);
      expect(r.stdout).toMatch(/0 lost, 0 duplicated/);
    }
    for (const f of ['boards.csv', 'degradation.csv', 'scaling.csv', 'tiles.csv', 'latency-cdf.csv', 'cluster.json', 'fps-vs-failed.png', 'fps-vs-n.png', 'latency-cdf.png', 'tile-latency.png']) {
      expect(existsSync(path.join(outs[0], f)), f).toBe(true);
      if (!f.endsWith('.png')) expect(readFileSync(path.join(outs[0], f)), f).toEqual(readFileSync(path.join(outs[1], f)));
    }
    expect(readFileSync(path.join(outs[0], 'degradation.csv'), 'utf8').split('\n')[0]).toBe('failed,up,fps,limit,latency_ms,saturated_latency_ms,sim_fps,sim_error_pct');
  });

  it('a tile-parallel cluster: the halo from the analysis transform, each strip timed by the board\'s own estimate at the strip\'s size', () => {
    const c = loadCluster(variant((d) => { d.split = { policy: 'tile', halo: 'analysis' }; }));
    // g_a's field is 61 px: ⌈30 / 64⌉ × 64 = 64 rows (strips start on the hyperprior's 64-pixel latent grid).
    expect(c.model.tile).toEqual({ haloRows: 64, rowMultiple: 64, receptiveField: 61, haloFrom: 'analysis' });
    const r = analyseCluster(c.model, {});
    // Two equal boards: 512 + 64 rows each; each strip's time is the point evaluated at 1024x576.
    const point = loadPoint(path.join(FIX, 'zcu102-hyperprior-1024.json'));
    const strip = { ...point, workload: { ...point.workload, res: '1024x576' } };
    const { platform, tables } = contextFor(point);
    const est = evaluate(workloadFor(strip.workload), platform, strip, tables);
    expect(r.healthy.fps).toBeCloseTo(est.fps, 9);
    expect(r.tiles!.curves[0].points[1].strips.map((s) => s.rowsIn)).toEqual([576, 576]);
  });

  // The messages, in-process (fast); the CLI's exit code and single line, for two of them.
  const bad: [string, (d: Record<string, unknown>) => void, RegExp][] = [
    ['unknown link', (d) => { (d.boards as Record<string, unknown>[])[0].link = '2gbe'; }, /cluster\.json: boards\[0\]\.link: unknown link "2gbe" \(allowed: 1gbe, 10gbe, 10gbe-jumbo, pcie-gen3-x4, pcie-gen3-x16, pcie-gen4-x8\)$/],
    ['unknown master', (d) => { (d.master as Record<string, unknown>).board = 'zcu104'; }, /cluster\.json: master\.board: unknown master board "zcu104" \(allowed: pynq-zu, x86-host\)$/],
    ['bad split policy', (d) => { d.split = { policy: 'pixel' }; }, /cluster\.json: split\.policy: Invalid option: expected one of "frame"\|"tile"$/],
    ['missing bitsPerPixel', (d) => { delete (d.workload as Record<string, unknown>).bitsPerPixel; }, /cluster\.json: workload\.bitsPerPixel: /],
    ['a point for another workload', (d) => { (d.workload as Record<string, unknown>).res = '1280x720'; }, /cluster\.json: boards\[0\]\.point: the point's workload \(bmshj2018-hyperprior q3 at 1024x1024, encode, pad stride\) is not the cluster's \(bmshj2018-hyperprior q3 at 1280x720, encode, pad stride\)$/],
    ['a board that is neither point nor explore', (d) => { d.boards = [{ count: 2 }]; }, /cluster\.json: boards\[0\]: a board is \{"point": "file\.json"\} or \{"explore"/],
    ['tile parallel on the decode path', (d) => { d.split = { policy: 'tile' }; (d.workload as Record<string, unknown>).path = 'decode'; }, /cluster\.json: workload\.path: tile parallelism is modelled for the encode path only/],
  ];
  for (const [name, change, re] of bad) {
    it(`bad input (${name}): a user error naming the file, the field and what is allowed`, () => {
      const file = variant(change);
      let err: unknown;
      try { loadCluster(file); } catch (e) { err = e; }
      expect(isUserError(err), String(err)).toBe(true);
      expect((err as Error).message).toMatch(re);
      expect((err as Error).message).not.toContain('\n');
    });
  }

  for (const [name, change, extra, re] of [
    ['unknown link', bad[0][1], [], bad[0][2]],
    ['--failed beyond the boards', () => {}, ['--failed', '3'], /^lic-dse: failed: 3 is not a number of boards \(allowed: 0\.\.2\)$/],
  ] as [string, (d: Record<string, unknown>) => void, string[], RegExp][]) {
    it(`CLI, bad input (${name}): one line on stderr, exit 2, nothing written`, () => {
      const file = variant(change);
      const out = path.join(path.dirname(file), 'out');
      const r = run('cluster', '--config', file, '--out', out, ...extra);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(re);
      expect(r.stdout).toBe('');
      expect(existsSync(out)).toBe(false);
    });
  }
});
