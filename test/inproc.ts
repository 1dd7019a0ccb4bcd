import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { run } from '../src/cli/run.js';

export interface CliResult {
  code: number | 'bug';
  stdout: string;
  stderr: string;
}

/** The CLI in this process (no node start-up per call): exit code, captured output; a thrown bug becomes code 'bug'. */
export async function runCli(...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  try {
    const code = await run(args, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } });
    return { code, stdout, stderr };
  } catch (e) {
    return { code: 'bug', stdout, stderr: `${stderr}${(e as Error).stack ?? String(e)}` };
  }
}

/** One line on stderr, "lic-dse: ...", no stack frame. */
export function isOneLineError(stderr: string): boolean {
  const lines = stderr.split('\n').filter((l) => l.length);
  return lines.length === 1 && lines[0].startsWith('lic-dse: ') && !/\n\s+at /.test(stderr);
}

/** Every file and folder under dir with its bytes: a snapshot to prove that nothing changed. */
export function snapshot(dir: string, base = dir, out: Record<string, string> = {}): Record<string, string> {
  for (const n of readdirSync(dir).sort()) {
    const p = path.join(dir, n);
    const rel = path.relative(base, p);
    if (lstatSync(p).isDirectory()) {
      out[`${rel}/`] = '';
      snapshot(p, base, out);
    } else out[rel] = readFileSync(p).toString('base64');
  }
  return out;
}

