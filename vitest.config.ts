import { defineConfig } from 'vitest/config';

/**
 * The suite must pass on a machine whose cores are busy (BRIEF: no test depends on wall time).
 * - Timeouts are a backstop against a hung test, not a speed check: an hour, far above the cost of the
 *   slowest test (the C simulations' setup, about a minute on an idle 2-core machine, took over 15 minutes
 *   with both cores hogged and the machine shared by other sessions). Tests set none of their own.
 * - Subprocesses are started asynchronously (test/spawn.ts) so that a test worker's event loop keeps
 *   answering vitest's RPC (whose 60 s timeout is not configurable) while a child runs; test/setup.ts
 *   waits for every pending RPC answer before each test, so a long synchronous test cannot make one late.
 * - Forked workers (the default pool), at most 2: the machine this must pass on has 2 cores, and more
 *   workers only add start-up cost and contention.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 3_600_000,
    hookTimeout: 3_600_000,
    teardownTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { minForks: 1, maxForks: 2 } },
    slowTestThreshold: 60_000,
  },
});
