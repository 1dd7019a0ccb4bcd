import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadCluster } from '../cluster/load.js';
import { simulate } from '../cluster/simulate.js';
import { PACKAGE_ROOT } from '../util/files.js';

/**
 * The cluster simulation's speed: the README's worked example (4 ZCU102s behind a PYNQ-ZU over 1 GbE),
 * one simulated hour, saturated, with failures injected (MTBF 36 s, MTTR 7.2 s), per seed.
 */
export function runClusterBench(): void {
  const c = loadCluster(path.join(PACKAGE_ROOT, 'examples', 'cluster-4xzcu102-1gbe.json'));
  const model = { ...c.model, boards: c.model.boards.map((b) => ({ ...b, mtbfHours: 0.01, mttrHours: 0.002 })) };
  const sim = c.spec.simulation;
  for (const seed of [1, 2, 3]) {
    const t0 = performance.now();
    const r = simulate(model, { ...sim, seconds: 3600, seed });
    const s = (performance.now() - t0) / 1e3;
    process.stdout.write(`seed ${seed}: 3600 simulated s, ${r.completed} frames, ${r.failures} failures, ${r.events} events in ${s.toFixed(2)} s wall `
      + `(${Math.round(r.events / s).toLocaleString('en-US')} events/s, ${Math.round(3600 / s)}× real time); ${r.fps.toFixed(2)} FPS, ${r.lost} lost\n`);
  }
}
