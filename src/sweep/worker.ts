/**
 * A sweep worker thread (node:worker_threads, compiled to dist/sweep/worker.js): receives its sweep, then job
 * indices, runs them and posts the rows back. Messages: {sweep, options} first, then {index} in; {ok: true, out}
 * or {ok: false, index, error} out.
 */
import { parentPort } from 'node:worker_threads';
import type { ResolvedSweep } from './config.js';
import { runJob, type JobOptions } from './run-job.js';

let job: { sweep: ResolvedSweep; options: JobOptions } | undefined;

parentPort!.on('message', (msg: { index: number } | { sweep: ResolvedSweep; options: JobOptions }) => {
  if (!('index' in msg)) {
    job = msg;
    return;
  }
  const { sweep, options } = job!;
  runJob(sweep, msg.index, options).then(
    (out) => parentPort!.postMessage({ ok: true, out }),
    (e: unknown) => parentPort!.postMessage({ ok: false, index: msg.index, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
  );
});
