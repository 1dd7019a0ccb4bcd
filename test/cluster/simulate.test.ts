import { describe, expect, it } from 'vitest';
import { availability } from '../../src/cluster/availability.js';
import type { ClusterModel } from '../../src/cluster/model.js';
import { simulate, type SimulationOptions } from '../../src/cluster/simulate.js';
import { clusterThroughput, survivors } from '../../src/cluster/throughput.js';
import { board, cluster, link } from './synthetic.js';

const base: SimulationOptions = { seconds: 60, seed: 1, arrivalFps: 'saturate', heartbeatMs: 100, missedBeats: 3, redispatch: true, window: 2, queueLimit: 64, warmupSeconds: 2 };
const SEEDS = [1, 2, 3, 4];
// Simulations take a few seconds of CPU; a busy machine may take much longer, which is not a failure.

const gbe = link('1gbe', 117.5e6, 50e-6);
const cases: [string, ClusterModel][] = [
  ['identical boards (board-bound)', cluster([1, 2, 3, 4].map((i) => board(`a#${i}`, 0.1, { latencySec: 0.15 })))],
  ['mixed boards (board-bound)', cluster([board('a#1', 0.1), board('b#2', 0.2, { latencySec: 0.3 }), board('c#3', 0.4)])],
  ['link-bound (4 × 13.47 FPS behind 1 GbE)', cluster([1, 2, 3, 4].map((i) => board(`z#${i}`, 1 / 13.47, { latencySec: 0.115, link: gbe })), {
    frame: { width: 1024, height: 1024, inBytes: 3145728, outBytes: 65536, symbols: 819200, inBytesPerPixel: 3, outBytesPerPixel: 0.0625 },
  }, { link: gbe, messageSec: 30e-6 })],
  ['master-CPU-bound (master entropy-codes)', cluster([1, 2, 3, 4, 5, 6].map((i) => board(`a#${i}`, 0.05)), { entropy: 'master' }, { cores: 2, entropySymbolsPerSec: 1e8 })],
];

describe('simulation against the closed form (steady state, several seeds)', () => {
  for (const [name, c] of cases) {
    for (const failed of [0, 1]) {
      it(`${name}, ${failed} failed: within 3% for every seed`, () => {
        const closed = clusterThroughput(c, survivors(c, failed)).fps;
        for (const seed of SEEDS) {
          // Poisson arrivals above capacity: the master always has work, and the seed changes the run.
          const r = simulate(c, { ...base, seed, failed, randomFailures: false, arrivalFps: 1.5 * closed });
          expect(Math.abs(r.fps - closed) / closed, `seed ${seed}: ${r.fps} vs ${closed}`).toBeLessThan(0.03);
          expect(r.lost).toBe(0);
          expect(r.unaccounted).toBe(0);
        }
      });
    }
  }

  it('light load: the simulated median latency is the closed-form unloaded latency', () => {
    const c = cases[2][1];
    const r = simulate(c, { ...base, arrivalFps: 1, seconds: 200, randomFailures: false });
    expect(r.latencyMs.p50).toBeCloseTo(clusterThroughput(c).latencyMs, 6);
  });
});

describe('simulation: determinism', () => {
  it('is a pure function of the cluster, the options and the seed', () => {
    const c = cluster([1, 2, 3].map((i) => board(`a#${i}`, 0.1, { mtbfHours: 10 / 3600, mttrHours: 2 / 3600 })));
    const o = { ...base, arrivalFps: 20, seconds: 120 };
    expect(simulate(c, o)).toEqual(simulate(c, o));
    expect(simulate(c, { ...o, seed: 2 }).latenciesMs).not.toEqual(simulate(c, o).latenciesMs);
  });
});

describe('simulation: board failures', () => {
  // MTBF 20 s, MTTR 5 s (A = 0.8): many failures in a short run.
  const flaky = cluster([1, 2, 3, 4].map((i) => board(`a#${i}`, 0.1, { latencySec: 0.15, mtbfHours: 20 / 3600, mttrHours: 5 / 3600 })));

  it('with re-dispatch no frame is ever lost, and every frame is accounted for', () => {
    for (const seed of SEEDS) {
      for (const arrivalFps of ['saturate', 25] as const) {
        const r = simulate(flaky, { ...base, seed, arrivalFps, seconds: 300 });
        expect(r.failures).toBeGreaterThan(20);
        expect(r.redispatched).toBeGreaterThan(0);
        expect(r.lost).toBe(0);
        expect(r.unaccounted).toBe(0);
        expect(r.arrived).toBe(r.completed + r.pending);
      }
    }
  });

  it('without re-dispatch every loss is counted: arrived = completed + lost + pending', () => {
    for (const seed of SEEDS) {
      const r = simulate(flaky, { ...base, seed, arrivalFps: 25, seconds: 300, redispatch: false });
      expect(r.lost).toBeGreaterThan(0);
      expect(r.redispatched).toBe(0);
      expect(r.unaccounted).toBe(0);
      expect(r.arrived).toBe(r.completed + r.lost + r.pending);
    }
  });

  it('detection takes missedBeats heartbeats: between (m − 1) and m intervals after the failure', () => {
    const r = simulate(flaky, { ...base, seconds: 300 });
    // Heartbeat 100 ms, 3 missed: 200..300 ms after a failure (less when a board restarts sooner and re-registers).
    expect(r.meanDetectionSec).toBeGreaterThan(0.19);
    expect(r.meanDetectionSec).toBeLessThanOrEqual(0.3);
  });

  it('long run with random failures: throughput within 3% of the availability model\'s mean', () => {
    const expected = availability(flaky, 1).expectedFps; // 40 × P(4 up) + 30 × … = 40 × 0.8 = 32 FPS
    expect(expected).toBeCloseTo(32, 9);
    for (const seed of [1, 2, 3]) {
      const r = simulate(flaky, { ...base, seed, seconds: 2000 });
      expect(Math.abs(r.fps - expected) / expected, `seed ${seed}: ${r.fps}`).toBeLessThan(0.03);
      expect(r.lost).toBe(0);
    }
  });

  it('a result already on the wire when its board dies arrives after the re-dispatch: counted as a duplicate, completed once', () => {
    // Slow way back (1 MB results at 10 MB/s = 100 ms on the wire) and a fast detector (1 ms, 1 beat).
    const c = cluster([1, 2, 3, 4].map((i) => board(`a#${i}`, 0.1, { mtbfHours: 5 / 3600, mttrHours: 1 / 3600 })), {
      frame: { width: 1000, height: 1000, inBytes: 1e5, outBytes: 1e6, symbols: 0, inBytesPerPixel: 0.1, outBytesPerPixel: 1 },
    }, { link: link('m', 1e9) });
    const slow = { ...c, boards: c.boards.map((b) => ({ ...b, link: link('b', 1e7) })) };
    let dups = 0;
    for (const seed of SEEDS) {
      const r = simulate(slow, { ...base, seed, heartbeatMs: 1, missedBeats: 1, seconds: 300 });
      dups += r.duplicated;
      expect(r.lost).toBe(0);
      expect(r.unaccounted).toBe(0);
      expect(r.completed).toBeLessThanOrEqual(r.arrived);
    }
    expect(dups).toBeGreaterThan(0);
  });
});
