import { afterEach, beforeEach } from 'vitest';
import { setImmediate as tick } from 'node:timers/promises';

/**
 * Between tests, let the worker's event loop turn once, so that vitest's RPC replies (a 60 s limit that
 * cannot be configured) are taken as they arrive and do not add up across a file's synchronous tests on
 * a busy machine.
 */
beforeEach(() => tick());
afterEach(() => tick());
