import { defineConfig } from 'vitest/config';

// No test may depend on wall time (the suite must pass on a busy machine): no per-test deadline to speak of.
export default defineConfig({ test: { testTimeout: 900_000, hookTimeout: 900_000 } });
