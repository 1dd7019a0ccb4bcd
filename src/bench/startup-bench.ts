import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Wall time of one run of `node <args>` until it exits (output discarded). */
function timeRun(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { stdio: 'ignore', env: { ...process.env, CI: 'true' } });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`node ${args.join(' ')} exited with ${code}`))));
  });
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export interface StartupRow {
  what: string;
  medianMs: number;
  minMs: number;
}

/**
 * CLI start-up: `lic-dse models`, `lic-dse --help`, and bare `node -e 0` (the floor no CLI can go under),
 * each run `runs` times in turn, as a user starts them (a fresh process each time).
 */
export async function startupBench(cli: string, runs = 9): Promise<StartupRow[]> {
  const cases: [string, string[]][] = [
    ['lic-dse models', [cli, 'models']],
    ['lic-dse --help', [cli, '--help']],
    ['node -e 0 (floor)', ['-e', '0']],
  ];
  const times = cases.map(() => [] as number[]);
  for (let r = 0; r < runs; r++) {
    for (const [i, [, args]] of cases.entries()) times[i].push(await timeRun(args));
  }
  return cases.map(([what], i) => ({ what, medianMs: median(times[i]), minMs: Math.min(...times[i]) }));
}
