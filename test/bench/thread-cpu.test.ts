import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { threadCpuMs } from '../../src/bench/explore-bench.js';

// The explore bench judges an explore by its own thread's CPU time: it must grow with this thread's work and
// not with another thread's (V8's compiler and GC threads, here a worker standing in for them).
describe('threadCpuMs', () => {
  it('counts this thread and not another', async () => {
    const t0 = threadCpuMs();
    const p0 = process.cpuUsage();
    // A worker spins for 300 ms of its own CPU time while this thread waits.
    await new Promise<void>((resolve, reject) => {
      const w = new Worker(`
        const { readFileSync } = require('node:fs');
        const cpu = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
        const start = cpu();
        let x = 0;
        while (cpu() - start < 300) for (let i = 0; i < 1e5; i++) x += i;
      `, { eval: true });
      w.on('exit', () => resolve());
      w.on('error', reject);
    });
    const waited = threadCpuMs() - t0;
    const p = process.cpuUsage(p0);
    expect((p.user + p.system) / 1000).toBeGreaterThan(300);
    expect(waited).toBeLessThan(150);
    // Then this thread's own work: 50 ms of it shows in the process's CPU time too (the loop ends only if the clock moves).
    const t1 = threadCpuMs();
    const p1 = process.cpuUsage();
    let x = 0;
    while (threadCpuMs() - t1 < 50) for (let i = 0; i < 1e5; i++) x += i;
    const q = process.cpuUsage(p1);
    expect((q.user + q.system) / 1000).toBeGreaterThanOrEqual(45);
    expect(Number.isFinite(x)).toBe(true);
  });
});
