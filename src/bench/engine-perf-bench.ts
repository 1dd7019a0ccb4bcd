/**
 * Issue 8's figure: bmshj2018-hyperprior decode at 1280×720 on zcu102 (engine, int8): the estimate of the model
 * before the microarchitecture description, the estimate now, and the cycles `make perf-count` counts in the
 * emitted kernel of the same point. Needs g++ (the kernel is compiled and run with its counting shim).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { evaluate } from '../cost/evaluate.js';
import { emitProject } from '../emit/index.js';
import { basePoint } from '../mapping/base-point.js';
import { contextFor } from '../mapping/load.js';
import { textTable } from '../report/table.js';
import { explore } from '../search/explore.js';

/**
 * The previous model's estimate (commit 0e5f324, before this issue), measured by building that commit and
 * exploring the same request: `git archive 0e5f324 | tar -x -C old && (cd old && npx tsc) && node -e "explore
 * bmshj2018-hyperprior decode 1280x720 zcu102 engine int8"`. It ran at the board's 300 MHz default clock.
 */
export const BEFORE = { commit: '0e5f324', clockMHz: 300, acceleratorFps: 8.89, gsCycles: 33_232_144, dsp: 1600, bram18: 1332 };

export function runEnginePerfBench(): void {
  const base = basePoint({ model: 'bmshj2018-hyperprior', platform: 'zcu102', precision: 'int8', res: '1280x720', arch: 'engine', path: 'decode' });
  const { workload, platform, tables } = contextFor(base);
  const point = explore(workload, platform, tables, base).point;
  const e = evaluate(workload, platform, point, tables);
  const gs = e.layers.filter((l) => l.part === 'g_s');
  const dir = mkdtempSync(path.join(tmpdir(), 'lic-bench-perf-'));
  let counted: { layers: { id: string; countedCycles: number }[]; totalCounted: number } | undefined;
  try {
    emitProject({ point, estimate: e, workload, platform, out: dir, force: true, countOnly: true });
    const srcs = ['src', 'tb'].flatMap((d) => readdirSync(path.join(dir, d)).filter((f) => f.endsWith('.cpp')).map((f) => path.join(d, f)));
    const cc = spawnSync('g++', ['-std=c++17', '-O1', '-DLIC_PERF', ...srcs, '-o', 'perf.bin'], { cwd: dir, encoding: 'utf8' });
    if (cc.status === 0) {
      const r = spawnSync('./perf.bin', [], { cwd: dir, encoding: 'utf8', env: { ...process.env, LIC_PERF_COUNT_ONLY: '1', LIC_PERF_OUT: 'perf.json' } });
      if (r.status === 0) counted = JSON.parse(readFileSync(path.join(dir, 'perf.json'), 'utf8'));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const byId = new Map(counted?.layers.map((l) => [l.id, l.countedCycles]) ?? []);
  const rows = gs.map((l) => [l.id, l.mapping, String(l.cycles), byId.has(l.id) ? String(byId.get(l.id)) : 'n/a',
    byId.has(l.id) ? `${((100 * (byId.get(l.id)! - l.cycles)) / l.cycles).toFixed(1)}%` : '']);
  const est = gs.reduce((s, l) => s + l.cycles, 0);
  rows.push(['g_s total', '', String(est), counted ? String(counted.totalCounted) : 'n/a', counted ? `${((100 * (counted.totalCounted - est)) / est).toFixed(1)}%` : '']);
  process.stdout.write(textTable(['layer', 'tiling', 'estimated cycles', 'counted cycles', 'counted vs estimate'], rows));
  const sp = point.engine!;
  process.stdout.write([
    '',
    `before (${BEFORE.commit}, ${BEFORE.clockMHz} MHz): ${BEFORE.acceleratorFps} FPS accelerator, g_s ${BEFORE.gsCycles} cycles, ${BEFORE.dsp} DSP, ${BEFORE.bram18} BRAM18 estimated`,
    `after (${e.clockMHz} MHz): ${e.acceleratorFps.toFixed(2)} FPS accelerator, g_s ${est} cycles, ${e.resources.dsp.used} DSP, ${e.resources.bram18.used} BRAM18, ${e.resources.uram.used} URAM estimated`,
    `  point: ${sp.pif}x${sp.pof}x${sp.poy}x${sp.pox} lanes, ${sp.ports.widthBits}-bit beats, bottleneck ${e.bottleneck}`,
    counted ? `counted in the emitted kernel (make perf-count): g_s ${counted.totalCounted} cycles = ${((counted.totalCounted / e.clockMHz / 1e6) * 1e3).toFixed(1)} ms at ${e.clockMHz} MHz` : 'counted: g++ not available or the kernel failed to build',
    '',
  ].join('\n'));
}
