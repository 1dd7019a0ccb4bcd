import { spawn, type SpawnOptions } from 'node:child_process';

export interface Ran {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Run a command without blocking this test worker (spawnSync would freeze its event loop, and vitest's
 * worker RPC times out after 60 s on a busy machine). No time limit: the test's own timeout
 * (vitest.config.ts, far above the cost) decides, so a slow machine is never a failure.
 */
export function runAsync(cmd: string, args: string[], opts: Omit<SpawnOptions, 'stdio'> = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** The built CLI (dist/bin/main.js, the bundle users run) with CI=true (no progress bar). */
export function runCli(cli: string, args: string[], opts: Omit<SpawnOptions, 'stdio'> = {}): Promise<Ran> {
  return runAsync(process.execPath, [cli, ...args], { ...opts, env: { ...process.env, CI: 'true', ...opts.env } });
}
