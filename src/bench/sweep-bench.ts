/**
 * The demo sweep's wall time and memory, for `npm run bench` (src/bench/run.ts calls runSweepBench).
 * Target: under 60 s on a 2-core machine with one worker per core.
 *
 * LIC_SWEEP_BENCH_SCALE=N runs a sweep N times larger (N × 2 resolutions instead of 2) and reports its
 * peak memory, to check that memory stays bounded as the sweep grows (the rows are streamed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_LISTS } from '../sweep/config.js';
import { runSweep } from '../sweep/sweep.js';
import { textTable } from '../report/table.js';

/** N × 2 resolutions: the demo's two, then widths and heights stepped by 64 pixels (all 16:9-ish). */
export function scaledResolutions(scale: number): string[] {
  const res = [...DEFAULT_LISTS.res];
  for (let k = 1; res.length < 2 * scale; k++) {
    res.push(`${1280 + 64 * k}x${720 + 32 * k}`);
    if (res.length < 2 * scale) res.push(`${1920 + 64 * k}x${1080 + 32 * k}`);
  }
  return res;
}

export async function runSweepBench(): Promise<void> {
  const scale = Math.max(1, Number(process.env.LIC_SWEEP_BENCH_SCALE ?? 1) || 1);
  const jobs = availableParallelism();
  const dir = mkdtempSync(path.join(tmpdir(), 'lic-sweep-bench-'));
  const out = path.join(dir, 'demo');
  try {
    const s = await runSweep({ sweep: { ...DEFAULT_LISTS, res: scaledResolutions(scale) }, out, jobs, progress: false });
    const rssMB = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(`${textTable(
      ['sweep', 'jobs', 'design points', 'explored', 'failed', 'layer rows', 'charts', 'seconds', 'peak RSS MB', 'reorder buffer max'],
      [[scale === 1 ? 'demo' : `demo × ${scale}`, jobs, s.ran, s.ok, s.failed, s.layerRows, s.charts, Number(s.seconds.toFixed(1)), Math.round(rssMB), s.maxBuffered]],
    )}\n`);
    process.stdout.write(`command: lic-dse sweep --config examples/demo-sweep.json --out reports/demo --jobs ${jobs} (${s.seconds.toFixed(1)} s; target < 60 s on 2 cores)\n`);
    if (scale === 1 && s.seconds >= 60) {
      process.stdout.write('demo sweep over 60 s\n');
      process.exitCode = 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
