import { describe, expect, it } from 'vitest';
import { resolveSweep } from '../../src/sweep/config.js';
import { JobPool, prestartWorkers } from '../../src/sweep/pool.js';
import { runJob } from '../../src/sweep/run-job.js';

describe('sweep worker pool', () => {
  // Four tiny jobs of one model; the workers run the built dist/sweep/worker.js (npm test builds first).
  const sweep = resolveSweep({ schema: 'lic-dse/sweep@1', models: ['bmshj2018-factorized'], platforms: ['kv260'], precisions: ['int8'], res: ['128x128', '64x64'], arch: ['engine'], path: ['encode', 'decode'] });

  it('workers started before the sweep was known run its jobs as the main thread does, and a smaller pool stops the extra ones', async () => {
    prestartWorkers(3);
    const pool = new JobPool(2, sweep, {});
    try {
      const [a, b] = await Promise.all([pool.run(0), pool.run(1)]);
      expect(a).toEqual(await runJob(sweep, 0));
      expect(b).toEqual(await runJob(sweep, 1));
    } finally {
      await pool.close();
    }
    // Nothing is left waiting: a new pool starts its own workers and runs as well, jobs sent by kind included
    // (three at once of one kind: the third spills past its home worker).
    const again = new JobPool(2, sweep, {});
    try {
      const outs = await Promise.all([again.run(0, 'engine'), again.run(1, 'engine'), again.run(2, 'engine'), again.run(3, 'other')]);
      expect(outs).toEqual([await runJob(sweep, 0), await runJob(sweep, 1), await runJob(sweep, 2), await runJob(sweep, 3)]);
    } finally {
      await again.close();
    }
  });
});
