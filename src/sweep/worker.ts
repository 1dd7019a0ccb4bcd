/**
 * A sweep worker thread (node:worker_threads, compiled to dist/sweep/worker.js): receives job indices,
 * runs them and posts the rows back. Messages: {index} in; {ok: true, out} or {ok: false, index, error} out.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ResolvedSweep } from './config.js';
import { runJob, type JobOptions } from './run-job.js';

const { sweep, options } = workerData as { sweep: ResolvedSweep; options: JobOptions };

parentPort!.on('message', (msg: { index: number }) => {
  runJob(sweep, msg.index, options).then(
    (out) => parentPort!.postMessage({ ok: true, out }),
    (e: unknown) => parentPort!.postMessage({ ok: false, index: msg.index, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
  );
});
