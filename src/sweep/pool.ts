import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { UserError } from '../errors.js';
import { PACKAGE_ROOT } from '../util/files.js';
import type { ResolvedSweep } from './config.js';
import type { JobOptions, JobOutput } from './run-job.js';

/** The compiled worker script: beside this module in dist/, or dist/sweep/worker.js when running from src/ (tsx). */
export function workerScript(): string {
  const here = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.js');
  if (existsSync(here)) return here;
  const built = path.join(PACKAGE_ROOT, 'dist', 'sweep', 'worker.js');
  if (existsSync(built)) return built;
  throw new UserError('the sweep worker is not built (run `npm run build`), or use one job', { field: 'jobs' });
}

interface Pending { resolve: (o: JobOutput) => void; reject: (e: Error) => void }
/** A worker of a pool and the jobs it has not answered yet. */
interface Slot { w: Worker; pending: Map<number, Pending> }

/**
 * V8's tiering for sweep workers. Each worker is an isolate of its own that compiles the same hot code again, and on
 * the demo those duplicated TurboFan compiles took about a quarter of the CPU (README, Performance). A worker runs
 * for seconds, so it can afford to tier up later (fewer compiles of code that is only warm) and inline less
 * (smaller compiles): 4× V8's interrupt budget, half its inlining limits. Numbers only change how fast the
 * same code runs. V8's flags are the process's: set once, before the first worker starts, as its isolate reads them.
 */
export const WORKER_V8_FLAGS = ['--interrupt-budget=270336', '--max-inlined-bytecode-size=230', '--max-inlined-bytecode-size-cumulative=460'];
let tuned = false;
/** The flags; LIC_SWEEP_V8_FLAGS (space-separated, empty for none) replaces them, e.g. to measure what they do. */
function tuneForBatch(): void {
  if (tuned) return;
  const given = process.env.LIC_SWEEP_V8_FLAGS;
  const flags = given === undefined ? WORKER_V8_FLAGS : given.split(/\s+/).filter(Boolean);
  const bad = flags.find((f) => !/^--[a-z0-9-]+(=[\w.-]+)?$/.test(f));
  if (bad) throw new UserError(`"${bad}" is not a V8 flag (allowed: --name or --name=value, space-separated)`, { field: 'LIC_SWEEP_V8_FLAGS' });
  tuned = true;
  for (const f of flags) setFlagsFromString(f);
}

/** Workers started before their sweep is known (`prestartWorkers`), unref'd until a pool takes them; `failed` if one died waiting. */
const idle: { w: Worker; failed: boolean }[] = [];

/**
 * A worker's young generation, larger than V8's default: an explore allocates about 10 MB of short-lived objects
 * (schedulers, tile lists, rows), and a larger nursery lets more of them die before a scavenge copies them
 * (README, Performance: the demo's CPU with 64 and 96 MB).
 */
const YOUNG_GENERATION_MB = 96;

function spawn(): Worker {
  tuneForBatch();
  return new Worker(workerScript(), { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
}

/**
 * Start n sweep workers now, for a pool made later: a worker's start-up (its isolate, the modules it imports)
 * then overlaps with what the caller does meanwhile, e.g. reading and checking the sweep file. They do not keep
 * the process alive; a pool that needs fewer stops the rest.
 */
export function prestartWorkers(n: number): void {
  try {
    workerScript();
  } catch {
    return; // Not built: the pool says so, if one is made.
  }
  while (idle.length < n) {
    const slot = { w: spawn(), failed: false };
    slot.w.unref();
    // A worker that dies before a pool takes it is replaced by a new one, whose failure the pool then reports.
    const died = () => { slot.failed = true; };
    slot.w.once('error', died).once('exit', died);
    idle.push(slot);
  }
}

/** A prestarted worker if one is waiting (and alive), else a new one. */
function takeWorker(): Worker {
  for (let slot = idle.shift(); slot; slot = idle.shift()) {
    if (slot.failed) continue;
    slot.w.removeAllListeners();
    slot.w.ref();
    return slot.w;
  }
  return spawn();
}

/** How many more waiting jobs than the least-busy worker a kind's home worker may have before a job of that kind goes elsewhere. */
const SPILL = 2;

/** A fixed set of worker threads running sweep jobs; each job goes to the least-busy worker, or its kind's (`run`). */
export class JobPool {
  private readonly workers: Slot[] = [];
  private closed = false;
  private readonly homes = new Map<string, Slot>();

  constructor(size: number, sweep: ResolvedSweep, options: JobOptions) {
    workerScript();
    for (const extra of idle.splice(size)) void extra.w.terminate();
    for (let i = 0; i < size; i++) {
      const w = takeWorker();
      // The sweep comes in the first message (a prestarted worker did not know it when it started).
      w.postMessage({ sweep, options });
      const slot: Slot = { w, pending: new Map<number, Pending>() };
      w.on('message', (m: { ok: true; out: JobOutput } | { ok: false; index: number; error: string }) => {
        const index = m.ok ? m.out.index : m.index;
        const p = slot.pending.get(index);
        if (!p) return;
        slot.pending.delete(index);
        if (m.ok) p.resolve(m.out);
        else p.reject(new Error(`job ${index} failed in a worker:\n${m.error}`));
      });
      const failAll = (e: Error) => {
        for (const p of slot.pending.values()) p.reject(e);
        slot.pending.clear();
      };
      w.on('error', failAll);
      w.on('exit', (code) => { if (!this.closed) failAll(new Error(`a sweep worker exited with code ${code}`)); });
      this.workers.push(slot);
    }
  }

  /**
   * Run a job on the least-busy worker; with a `kind` (its template), on the worker that ran the first job of that
   * kind unless it has SPILL more jobs waiting than the least busy. Each worker's V8 compiles the code its jobs
   * run: a kind kept on one worker is compiled once, not once per worker (on the demo the pipeline jobs' code).
   */
  run(index: number, kind?: string): Promise<JobOutput> {
    const least = this.workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    let slot = least;
    if (kind !== undefined) {
      const home = this.homes.get(kind);
      if (home === undefined) this.homes.set(kind, least);
      else if (home.pending.size < least.pending.size + SPILL) slot = home;
    }
    return new Promise<JobOutput>((resolve, reject) => {
      slot.pending.set(index, { resolve, reject });
      slot.w.postMessage({ index });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((s) => s.w.terminate()));
  }
}
