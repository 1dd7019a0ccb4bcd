import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export interface ChildRun {
  wallMs: number;
  cpuMs: number;
  maxRssMB: number;
  stdout: string;
}

/** Run `node <args>` as a user would (CI=true), with rss-hook.js preloaded to report its CPU time and peak RSS. */
export async function runNode(args: string[]): Promise<ChildRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lic-bench-'));
  const file = path.join(dir, 'usage.json');
  const hook = path.join(path.dirname(fileURLToPath(import.meta.url)), 'rss-hook.js');
  try {
    const t0 = performance.now();
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', hook, ...args], { env: { ...process.env, CI: 'true', LIC_BENCH_RSS_FILE: file }, stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (b) => { text += String(b); });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`node ${args.join(' ')} exited with ${code}`))));
    });
    const wallMs = performance.now() - t0;
    const u = JSON.parse(readFileSync(file, 'utf8')) as { cpuMs: number; maxRssKB: number };
    return { wallMs, cpuMs: u.cpuMs, maxRssMB: u.maxRssKB / 1024, stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
