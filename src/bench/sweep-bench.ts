/**
 * The demo sweep as a user runs it (`lic-dse sweep --config examples/demo-sweep.json`, a fresh process):
 * wall time, peak RSS and what it wrote. LIC_SWEEP_BENCH_SCALE=N also runs a sweep N times larger
 * (N × 2 resolutions instead of 2), to check that memory stays flat as the sweep grows (rows are streamed).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_LISTS } from '../sweep/config.js';
import { PACKAGE_ROOT } from '../util/files.js';
import { runNode } from './child.js';
import { cliOf } from './startup-bench.js';

/** N × 2 resolutions: the demo's two, then widths and heights stepped by 64 pixels (all 16:9-ish). */
export function scaledResolutions(scale: number): string[] {
  const res = [...DEFAULT_LISTS.res];
  for (let k = 1; res.length < 2 * scale; k++) {
    res.push(`${1280 + 64 * k}x${720 + 32 * k}`);
    if (res.length < 2 * scale) res.push(`${1920 + 64 * k}x${1080 + 32 * k}`);
  }
  return res;
}

export interface SweepBenchResult {
  label: string;
  jobs: number;
  seconds: number;
  /** CPU time, all threads (user + system). */
  cpuSeconds: number;
  peakRssMB: number;
  summary: string;
  files: number;
  megabytes: number;
  indexHtmlMB: number;
}

function du(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      const d = du(p);
      files += d.files;
      bytes += d.bytes;
    } else {
      files++;
      bytes += statSync(p).size;
    }
  }
  return { files, bytes };
}

/** Run `lic-dse sweep --config <file> --out <tmp> --jobs <cores>` and measure it. */
export async function sweepBench(config: string, label: string, cli = cliOf(PACKAGE_ROOT)): Promise<SweepBenchResult> {
  const jobs = availableParallelism();
  const dir = mkdtempSync(path.join(tmpdir(), 'lic-sweep-bench-'));
  const out = path.join(dir, 'demo');
  try {
    const r = await runNode([cli, 'sweep', '--config', config, '--out', out, '--jobs', String(jobs)]);
    const { files, bytes } = du(out);
    return {
      label, jobs, seconds: r.wallMs / 1000, cpuSeconds: r.cpuMs / 1000, peakRssMB: r.maxRssMB, summary: r.stdout.trim(),
      files, megabytes: bytes / 1e6, indexHtmlMB: statSync(path.join(out, 'index.html')).size / 1e6,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The demo, and (LIC_SWEEP_BENCH_SCALE=N) the demo with N times as many resolutions. */
export async function demoBenches(): Promise<SweepBenchResult[]> {
  const out = [await sweepBench(path.join(PACKAGE_ROOT, 'examples', 'demo-sweep.json'), 'demo')];
  const scale = Math.max(1, Number(process.env.LIC_SWEEP_BENCH_SCALE ?? 1) || 1);
  if (scale > 1) {
    const dir = mkdtempSync(path.join(tmpdir(), 'lic-sweep-scale-'));
    try {
      const demo = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'examples', 'demo-sweep.json'), 'utf8')) as Record<string, unknown>;
      const file = path.join(dir, 'sweep.json');
      writeFileSync(file, JSON.stringify({ ...demo, res: scaledResolutions(scale) }));
      out.push(await sweepBench(file, `demo × ${scale}`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}
