import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAYER_COLUMNS, PARETO_COLUMNS, POINT_COLUMNS, toRow, type PointRecord } from '../../src/report/columns.js';
import { CsvWriter } from '../../src/report/csv.js';
import { boardSummaries, MAX_SCATTER_POINTS, writeReport } from '../../src/report/report.js';
import { resolveSweep } from '../../src/sweep/config.js';
import { rng } from '../rng.js';
import { tempDir } from '../sweep/helpers.js';

/** A synthetic points.csv of n feasible designs on one board (the report phase reads only the CSV files). */
async function syntheticReport(n: number) {
  const dir = tempDir('report');
  const r = rng(9);
  const w = new CsvWriter(path.join(dir, 'points.csv'), POINT_COLUMNS);
  const base = Object.fromEntries(POINT_COLUMNS.map((c) => [c.name, c.type === 'str' ? '' : null])) as unknown as PointRecord;
  for (let job = 0; job < n; job++) {
    const model = job % 2 ? 'mbt2018' : 'balle2017';
    await w.write([toRow(POINT_COLUMNS, {
      ...base, job, label: `design ${job}`, status: 'ok', model, variant: model === 'mbt2018' ? 'q3' : 'n128', platform: 'zcu102', precision: 'int8',
      res: '256x256', arch: job % 4 < 2 ? 'engine' : 'pipeline', path: 'encode', pad: 'stride', width: 256, height: 256, feasible: true,
      fps: 1 + r.next() * 100, dspUsed: r.int(10, 2500), dspAvailable: 2520, bram18Used: 10, bram18Available: 1824, uramUsed: 0, uramAvailable: 0,
      lutUsed: 1000, lutAvailable: 274080, ffUsed: 1000, ffAvailable: 548160,
    } as unknown as Record<string, never>)]);
  }
  await w.close();
  const l = new CsvWriter(path.join(dir, 'layers.csv'), LAYER_COLUMNS);
  await l.close();
  const p = new CsvWriter(path.join(dir, 'pareto.csv'), PARETO_COLUMNS);
  await p.close();
  return dir;
}

describe('report phase (from the CSV files alone)', () => {
  const sweep = resolveSweep({ models: ['balle2017', 'mbt2018'], platforms: ['zcu102'], precisions: ['int8'], res: ['256x256'] });

  it('a board scatter keeps at most MAX_SCATTER_POINTS designs (a regular sample) plus every front design', async () => {
    const n = 2 * MAX_SCATTER_POINTS + 500;
    const dir = await syntheticReport(n);
    const { boards, ok } = await boardSummaries(dir, sweep);
    expect(ok).toBe(n);
    const b = boards[0];
    expect(b.count).toBe(n);
    expect(b.sample.length).toBeLessThanOrEqual(MAX_SCATTER_POINTS + b.front.length);
    expect(b.sample.length).toBeGreaterThan(MAX_SCATTER_POINTS / 2);
    for (const f of b.front) expect(b.sample.some((s) => s.job === f.job)).toBe(true);
    expect(b.best.size).toBe(2);
  });

  it('writes the board charts and index.html from the CSV files', async () => {
    const dir = await syntheticReport(300);
    const r = await writeReport(dir, sweep);
    expect(r.charts).toBe(2);
    expect(existsSync(path.join(dir, 'charts', 'zcu102-fps-dsp.png'))).toBe(true);
    const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
    expect(html).toContain('2 models × 1 board × 1 precision × 1 resolution × 2 templates × 2 paths = 8 design points: 300 explored.');
    expect(html.match(/<canvas /g)).toHaveLength(4);
  });
});
