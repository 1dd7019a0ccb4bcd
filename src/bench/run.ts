/**
 * `npm run bench`: the numbers the issues name, measured on this machine (never in a timed unit test).
 * 1. explore time and design points evaluated per second, per zoo model × board × template;
 * 2. the demo sweep's wall time (src/bench/sweep-bench.ts), when present;
 * 3. (first) issue 8's engine figure: estimate before/after and the emitted kernel's counted cycles.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { runEnginePerfBench } from './engine-perf-bench.js';
import { exploreBench, exploreBenchText } from './explore-bench.js';

async function main() {
  process.stdout.write('# engine: estimate before/after and cycles counted in the emitted kernel (bmshj2018-hyperprior decode, 1280x720, zcu102, int8)\n');
  runEnginePerfBench();
  process.stdout.write('\n');
  process.stdout.write('# explore (encode, 1280x720, int8)\n');
  const rows = exploreBench();
  process.stdout.write(exploreBenchText(rows));
  const sweep = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sweep-bench.js');
  if (existsSync(sweep)) {
    const m = (await import(sweep)) as { runSweepBench?: () => Promise<void> };
    if (m.runSweepBench) {
      process.stdout.write('\n# demo sweep\n');
      await m.runSweepBench();
    }
  }
  const slow = rows.filter((r) => r.ms > 1000);
  if (slow.length) {
    process.stdout.write(`${slow.length} explore(s) over 1 s\n`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
