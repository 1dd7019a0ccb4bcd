import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, beforeEach } from 'vitest';

/**
 * A test worker reports each test's start to vitest's main process over an RPC whose 60 s timeout cannot be
 * configured. A test that then computes synchronously for longer (an explore on a machine whose cores are
 * busy) keeps the worker's event loop from taking the answer, and the timer fires first: "Timeout calling
 * onTaskUpdate", a failed run although every test passed. So before each test (and each file's beforeAll)
 * the worker waits until every RPC it has sent is answered, with vitest's own `rpcDone` (what the worker
 * awaits at the end of a file). It is internal to vitest: found through the import in vitest/dist/worker.js.
 */
async function loadRpcDone(): Promise<() => Promise<unknown>> {
  const worker = createRequire(import.meta.url).resolve('vitest/dist/worker.js');
  const m = /\b(\w+) as rpcDone\b[^}]*\} from '([^']+)'/.exec(readFileSync(worker, 'utf8'));
  if (!m) throw new Error(`test/setup.ts: vitest's rpcDone not found in ${worker} (the vitest version changed: update the setup)`);
  const chunk = await import(pathToFileURL(path.join(path.dirname(worker), m[2])).href) as Record<string, unknown>;
  if (typeof chunk[m[1]] !== 'function') throw new Error(`test/setup.ts: vitest's rpcDone is not exported as "${m[1]}" by ${m[2]}`);
  return chunk[m[1]] as () => Promise<unknown>;
}
const rpcDone = await loadRpcDone();

const settle = async () => {
  await tick();
  await rpcDone();
};
beforeAll(settle);
beforeEach(settle);
afterEach(() => tick());
