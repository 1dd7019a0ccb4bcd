import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runNode } from './child.js';

/** The CLI a checkout installs as `lic-dse` (its package.json bin: the bundle now, dist/cli/main.js in older versions). */
export function cliOf(root: string): string {
  const bin = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin['lic-dse'];
  return path.join(root, bin);
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export interface StartupRow {
  what: string;
  wallMs: number;
  cpuMs: number;
}

/**
 * CLI start-up, a fresh process each run as a user starts it: `lic-dse models` and `lic-dse --help` of
 * each CLI given (this version, and the previous one when given), and bare `node -e 0` (the floor no CLI
 * goes under). The cases run in turn, `runs` rounds, so a change in the machine's load hits all alike;
 * medians of wall and CPU time.
 */
export async function startupBench(clis: { label: string; main: string }[], runs = 9): Promise<StartupRow[]> {
  const cases: [string, string[]][] = [
    ...clis.flatMap(({ label, main }): [string, string[]][] => [[`${label}lic-dse models`, [main, 'models']], [`${label}lic-dse --help`, [main, '--help']]]),
    ['node -e 0 (floor)', ['-e', '0']],
  ];
  const wall = cases.map(() => [] as number[]);
  const cpu = cases.map(() => [] as number[]);
  for (let r = 0; r < runs; r++) {
    for (const [i, [, args]] of cases.entries()) {
      const x = await runNode(args);
      wall[i].push(x.wallMs);
      cpu[i].push(x.cpuMs);
    }
  }
  return cases.map(([what], i) => ({ what, wallMs: median(wall[i]), cpuMs: median(cpu[i]) }));
}
