import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** A fixed set of worker threads running sweep jobs; each job goes to the least-busy worker. */
export class JobPool {
  private readonly workers: { w: Worker; pending: Map<number, Pending> }[] = [];
  private closed = false;

  constructor(size: number, sweep: ResolvedSweep, options: JobOptions) {
    const script = workerScript();
    for (let i = 0; i < size; i++) {
      const w = new Worker(script, { workerData: { sweep, options } });
      const slot = { w, pending: new Map<number, Pending>() };
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

  run(index: number): Promise<JobOutput> {
    const slot = this.workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
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
