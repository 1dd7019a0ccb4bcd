import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files that take longest (CPU, measured on a 2-core machine), longest first. They start first so that the two
 * workers finish together instead of one running the C simulations alone at the end. Vitest's own order
 * (longest first from its cache, else largest file first) decides for the rest and is the fallback on a fresh
 * clone, where there is no cache; a file missing here is only started later, never skipped.
 */
const LONGEST = [
  'test/emit/csim.test.ts',
  'test/sweep/sweep.test.ts',
  'test/examples/examples.test.ts',
  'test/search/fit.test.ts',
  'test/search/zoo-smoke.test.ts',
  'test/emit/project.test.ts',
  'test/fuzz/fuzz.test.ts',
  'test/sweep/slurm.test.ts',
  'test/emit/perf-full.test.ts',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const k = LONGEST.indexOf(path.relative(f.project.config.root, f.moduleId).split(path.sep).join('/'));
      return k < 0 ? LONGEST.length : k;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

/**
 * The suite must pass on a machine whose cores are busy (BRIEF: no test depends on wall time).
 * - Timeouts are a backstop against a hung test, not a speed check: an hour, far above the cost of the
 *   slowest test (the C simulations' setup, about a minute on an idle 2-core machine, took over 15 minutes
 *   with both cores hogged and the machine shared by other sessions). Tests set none of their own.
 * - Subprocesses are started asynchronously (test/spawn.ts) so that a test worker's event loop keeps
 *   answering vitest's RPC (whose 60 s timeout is not configurable) while a child runs; test/setup.ts
 *   waits for every pending RPC answer before each test, so a long synchronous test cannot make one late.
 * - Files start longest first (LongestFirst above).
 * - Forked workers (the default pool), at most 2: the machine this must pass on has 2 cores, and more
 *   workers only add start-up cost and contention. Not isolated: a worker runs file after file with its module
 *   cache, so lic-dse's modules load once per worker instead of once per file (about a CPU second per file).
 *   Tests that change process state (the working folder, CI in the environment) put it back in a finally.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 3_600_000,
    hookTimeout: 3_600_000,
    teardownTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { minForks: 1, maxForks: 2, isolate: false } },
    slowTestThreshold: 60_000,
    sequence: { sequencer: LongestFirst },
  },
});
