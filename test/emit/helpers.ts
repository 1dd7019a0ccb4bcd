import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { evaluate } from '../../src/cost/evaluate.js';
import { emitProject, type EmitResult } from '../../src/emit/index.js';
import { basePoint } from '../../src/mapping/base-point.js';
import { contextFor } from '../../src/mapping/load.js';
import type { Point } from '../../src/mapping/schema.js';
import { explore } from '../../src/search/explore.js';

export const tmp = (prefix = 'lic-emit-') => mkdtempSync(path.join(tmpdir(), prefix));

export interface Case {
  name: string;
  model: string;
  params?: Record<string, number>;
  arch: 'engine' | 'pipeline';
  path: 'encode' | 'decode';
  res?: string;
  /** Part to emit instead of g_a / g_s. */
  part?: string;
  /** Change the searched point (e.g. zero-insert, streamed weights, more ports). */
  mutate?: (p: Point) => void;
}

/** Explored points of this test file, by what was explored: a file asks for the same point many times. */
const explored = new Map<string, Point>();

/** The point explore finds for a case (a fresh copy), then the case's changes. */
export function pointFor(c: Case): Point {
  const base = basePoint({
    model: c.model, params: c.params, platform: 'zcu102', precision: 'int8', res: c.res ?? '64x64', arch: c.arch, path: c.path,
  });
  // A model file may be rewritten between calls: its text is part of the key.
  const key = JSON.stringify([base, c.model.endsWith('.json') ? readFileSync(c.model, 'utf8') : '']);
  let found = explored.get(key);
  if (!found) {
    const { workload, platform, tables } = contextFor(base);
    found = explore(workload, platform, tables, base).point;
    explored.set(key, found);
  }
  const p = structuredClone(found);
  c.mutate?.(p);
  return p;
}

export function emitPoint(point: Point, out: string, opts: { force?: boolean; part?: string; seed?: number } = {}): EmitResult {
  const { workload, platform, tables } = contextFor(point);
  const estimate = evaluate(workload, platform, point, tables);
  return emitProject({ point, estimate, workload, platform, out, ...opts });
}

export const CXXFLAGS = ['-std=c++17', '-Wall', '-Werror', '-O1'];

export function haveTool(cmd: string, args = ['--version']): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0 || spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Sources a project compiles: every .cpp under src/ and tb/. */
export function sources(dir: string): string[] {
  return ['src', 'tb'].flatMap((d) => readdirSync(path.join(dir, d)).filter((f) => f.endsWith('.cpp')).sort().map((f) => path.join(d, f)));
}

export interface SimResult {
  compiled: boolean;
  passed: boolean;
  status: number | null;
  output: string;
  compileMs: number;
  runMs: number;
}

function run(cmd: string, args: string[], cwd: string): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const status = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ status, out: `${stdout}${stderr}` });
    });
  });
}

/**
 * g++ -std=c++17 -Wall -Werror, then the testbench (from the project folder, as `make sim` runs it).
 * `unity`: the project's sources as one translation unit (a file beside them that includes each), which builds in
 * about half the CPU: the kernel and the testbench instantiate the same standard containers (the counting shim's
 * maps), and g++ then generates them once. What only separate units check (a definition in a header that two
 * units include, a unit that misses an include) is left to the builds that keep them.
 */
export async function compileAndRun(dir: string, flags = CXXFLAGS, exe = 'sim.bin', opts: { unity?: boolean } = {}): Promise<SimResult> {
  const t0 = Date.now();
  let units = sources(dir);
  if (opts.unity) {
    writeFileSync(path.join(dir, 'lic_unity.cpp'), units.map((f) => `#include "${f}"\n`).join(''));
    units = ['lic_unity.cpp'];
  }
  const c = await run('g++', [...flags, ...units, '-o', exe], dir);
  const t1 = Date.now();
  if (c.status !== 0) return { compiled: false, passed: false, status: c.status, output: c.out, compileMs: t1 - t0, runMs: 0 };
  const r = await run(`./${exe}`, [], dir);
  return { compiled: true, passed: r.status === 0 && /PASS/.test(r.out) && !/FAIL/.test(r.out), status: r.status, output: r.out, compileMs: t1 - t0, runMs: Date.now() - t1 };
}

/** The standard headers the HLS templates include (not Vitis' own): what a precompiled header may hold. */
export function templateStdHeaders(dir = 'hls-templates'): string[] {
  const found = new Set<string>();
  for (const f of listFiles(dir)) {
    for (const m of readFileSync(path.join(dir, f), 'utf8').matchAll(/^\s*#\s*include\s*<([^>]+)>/gm)) if (!m[1].startsWith('hls_')) found.add(m[1]);
  }
  return [...found].sort();
}

/**
 * A precompiled header of the templates' standard headers, built once for these flags under `root`; returns the
 * flags that make g++ read it first. Parsing the C++ standard library is about a second of CPU per translation
 * unit, most of a small project's build. -Winvalid-pch (an error under -Werror) makes sure it is really used.
 * It also hides a standard header the emitted sources forget to include: builds without it (the pragma builds,
 * `make sim`, perf-full, project.test.ts) keep that check.
 */
export async function stdPch(root: string, flags: string[]): Promise<string[]> {
  const dir = path.join(root, `pch-${createHash('sha256').update(flags.join('\0')).digest('hex').slice(0, 12)}`);
  const hdr = path.join(dir, 'lic_std.h');
  let ready = pchBuilds.get(hdr);
  if (!ready) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(hdr, `${templateStdHeaders().map((h) => `#include <${h}>`).join('\n')}\n`);
    ready = run('g++', [...flags, '-x', 'c++-header', 'lic_std.h', '-o', 'lic_std.h.gch'], dir).then((r) => {
      if (r.status !== 0) throw new Error(`precompiled header for ${flags.join(' ')}: ${r.out}`);
    });
    pchBuilds.set(hdr, ready);
  }
  await ready;
  return ['-Winvalid-pch', '-include', hdr];
}
const pchBuilds = new Map<string, Promise<void>>();

/** A gate that runs at most `limit` of the jobs given to it at a time, in the order given. */
export function limiter(limit: number): <T>(job: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((go) => waiting.push(go));
    else active++;
    try {
      return await job();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

/** Run jobs with at most `limit` at a time (one per core). */
export async function pool<T>(jobs: (() => Promise<T>)[], limit = Math.max(2, cpus().length)): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const k = next++;
      out[k] = await jobs[k]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return out;
}

/** Every file under a folder (relative paths, sorted). */
export function listFiles(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel)).sort().flatMap((f) => {
    const r = rel ? `${rel}/${f}` : f;
    return statSync(path.join(dir, r)).isDirectory() ? listFiles(dir, r) : [r];
  });
}

export const read = (dir: string, f: string) => readFileSync(path.join(dir, f));

/** A minimal INI reader (what v++ reads from hls_config.cfg): global keys, [sections], repeated keys as lists. */
export function parseIni(text: string): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = { '': {} };
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const s = /^\[([^\]]+)\]$/.exec(line);
    if (s) {
      section = s[1].trim().toLowerCase();
      out[section] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 1) throw new Error(`not key=value: ${line}`);
    const k = line.slice(0, eq).trim();
    (out[section][k] ??= []).push(line.slice(eq + 1).trim());
  }
  return out;
}
