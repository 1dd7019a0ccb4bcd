import { defineConfig } from 'vitest/config';

// No test may depend on wall time (BRIEF): the suite must pass with every core busy, so per-test and hook
// limits are generous; the speed figures are measured by `npm run bench`.
export default defineConfig({
  test: {
    testTimeout: 600_000,
    hookTimeout: 1_800_000,
  },
});
