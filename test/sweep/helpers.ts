import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../spawn.js';

export const CLI = path.resolve('dist/bin/main.js');

/** Run the built CLI (CI=true: no progress bar), without blocking the test worker. */
export function cli(...args: string[]) {
  return runCli(CLI, args);
}

/** A small sweep: 2 models × 2 boards × int8 × 256x256 × both templates × both paths = 16 jobs, one of which finds no design. */
export const SMALL = ['--models', 'bmshj2018-factorized,mbt2018', '--platforms', 'zcu102,kv260', '--precisions', 'int8', '--res', '256x256'];
export const SMALL_JOBS = 16;

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `lic-${prefix}-`));
}

/** Every file under a directory (relative paths, sorted), hidden ones included. */
export function listFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p, base));
    else out.push(path.relative(base, p));
  }
  return out;
}

/** Assert-friendly comparison of two directory trees: file lists and every file's bytes. */
export function treeDiff(a: string, b: string): string[] {
  const fa = listFiles(a);
  const fb = listFiles(b);
  const diffs: string[] = [];
  if (fa.join('\n') !== fb.join('\n')) diffs.push(`file lists differ: ${fa.filter((f) => !fb.includes(f)).concat(fb.filter((f) => !fa.includes(f))).join(', ')}`);
  for (const f of fa.filter((x) => fb.includes(x))) {
    if (!readFileSync(path.join(a, f)).equals(readFileSync(path.join(b, f)))) diffs.push(`${f} differs`);
  }
  return diffs;
}

/** A CSV file's records as arrays of fields (header first), for tests (RFC 4180 via the report reader). */
export async function csvFields(file: string): Promise<string[][]> {
  const { readCsvFields } = await import('../../src/report/csv.js');
  const rows: string[][] = [];
  for await (const r of readCsvFields(file)) rows.push(r);
  return rows;
}
