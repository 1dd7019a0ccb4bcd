import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { basePoint } from '../../src/mapping/base-point.js';
import { contextFor } from '../../src/mapping/load.js';
import { evaluate } from '../../src/cost/evaluate.js';
import { emitProject } from '../../src/emit/index.js';
import { explore } from '../../src/search/explore.js';
import { checkPerf } from './perf-check.js';
import { CXXFLAGS, haveTool, sources, tmp } from './helpers.js';

/**
 * make perf at full size: bmshj2018-hyperprior's synthesis transform at 1280×720 on zcu102 with the point the
 * search picks, emitted without the reference (count-only: the loops run and count, the arithmetic is skipped).
 * Every layer's counted cycles within 10% of the estimate; declared memories and multipliers equal to it.
 */
describe.skipIf(!haveTool('g++'))('make perf-count at 1280×720 (bmshj2018-hyperprior g_s, zcu102)', () => {
  const dir = tmp('lic-perf-full-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every full-size layer: counted within 10% of the estimate; resources equal', () => {
    const base = basePoint({ model: 'bmshj2018-hyperprior', platform: 'zcu102', precision: 'int8', res: '1280x720', arch: 'engine', path: 'decode' });
    const { workload, platform, tables } = contextFor(base);
    const point = explore(workload, platform, tables, base).point;
    const estimate = evaluate(workload, platform, point, tables);
    emitProject({ point, estimate, workload, platform, out: dir, force: true, countOnly: true });
    const cc = spawnSync('g++', [...CXXFLAGS, '-DLIC_PERF', ...sources(dir), '-o', 'perf.bin'], { cwd: dir, encoding: 'utf8' });
    expect(cc.status, cc.stderr).toBe(0);
    const run = spawnSync('./perf.bin', [], { cwd: dir, encoding: 'utf8', env: { ...process.env, LIC_PERF_COUNT_ONLY: '1', LIC_PERF_OUT: 'perf.json' } });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const perf = checkPerf(dir, 0.1);
    expect(perf.layers.length).toBeGreaterThanOrEqual(2);
    expect(Math.abs(perf.totalCounted - perf.totalEstimate) / perf.totalEstimate).toBeLessThan(0.1);
  });
});
