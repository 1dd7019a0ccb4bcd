/**
 * `npm run bench`: the numbers issue 10 names, each beside its goal, measured on this machine (never in a
 * timed unit test), with the previous version's figures (src/bench/baseline.json, commit 0e5f324) beside them.
 * 1. CLI start-up: `lic-dse models` and `lic-dse --help` (fresh processes; median of 9).
 * 2. explore: every zoo model × board × template, encode at 1280x720 int8, in one process; median and worst.
 * 3. the demo sweep (examples/demo-sweep.json) as a user runs it: wall time and peak RSS.
 * Exit code 1 when a goal is missed. LIC_BENCH_SKIP=startup,explore,demo skips parts.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { textTable } from '../report/table.js';
import { PACKAGE_ROOT } from '../util/files.js';
import { exploreBench, exploreBenchText } from './explore-bench.js';
import { median, startupBench } from './startup-bench.js';
import { demoBenches } from './sweep-bench.js';

const GOALS = { startupMs: 300, exploreMedianMs: 50, exploreWorstMs: 300, demoSeconds: 10 };

interface Baseline {
  commit: string;
  how: string;
  startupMs: { models: number; help: number };
  explore: { medianMs: number; worstMs: number; rows: Record<string, number> };
  demo: { seconds: number; peakRssMB: number };
}

const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
const ratio = (before: number, now: number) => `${(before / now).toFixed(1)}× faster than ${before >= 100 ? Math.round(before) : before.toFixed(1)}`;

async function main() {
  const skip = new Set((process.env.LIC_BENCH_SKIP ?? '').split(',').map((s) => s.trim()));
  const base = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'src', 'bench', 'baseline.json'), 'utf8')) as Baseline;
  const results: (string | number)[][] = [];
  let missed = 0;
  const row = (what: string, value: number, unit: string, goal: number, before: number, note = '') => {
    const ok = value < goal;
    if (!ok) missed++;
    results.push([what, `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${unit}`, `< ${goal} ${unit}`, ok ? 'met' : 'MISSED', `${ratio(before, value)} (${base.commit})`, note]);
  };
  process.stdout.write(`# lic-dse bench: ${availableParallelism()} cores, load average ${load()} at the start\n\n`);

  if (!skip.has('startup')) {
    const rows = await startupBench(path.join(PACKAGE_ROOT, 'dist', 'cli', 'main.js'));
    process.stdout.write(`## CLI start-up (fresh process each run, 9 runs)\n${textTable(['command', 'median ms', 'min ms'], rows.map((r) => [r.what, Math.round(r.medianMs), Math.round(r.minMs)]))}\n\n`);
    row('start-up: lic-dse models', rows[0].medianMs, 'ms', GOALS.startupMs, base.startupMs.models, `min ${Math.round(rows[0].minMs)} ms; node alone ${Math.round(rows[2].medianMs)} ms`);
    row('start-up: lic-dse --help', rows[1].medianMs, 'ms', GOALS.startupMs, base.startupMs.help, `min ${Math.round(rows[1].minMs)} ms`);
  }

  if (!skip.has('explore')) {
    process.stdout.write('## explore (encode, 1280x720, int8; one process)\n');
    const rows = exploreBench();
    process.stdout.write(`${exploreBenchText(rows, base.explore.rows)}\n`);
    const ms = rows.map((r) => r.ms);
    const worst = rows.reduce((a, b) => (b.ms > a.ms ? b : a));
    row('explore: median', median(ms), 'ms', GOALS.exploreMedianMs, base.explore.medianMs, `${rows.length} explores`);
    row('explore: worst', worst.ms, 'ms', GOALS.exploreWorstMs, base.explore.worstMs, `${worst.model} ${worst.platform} ${worst.arch}`);
  }

  if (!skip.has('demo')) {
    process.stdout.write(`## demo sweep: lic-dse sweep --config examples/demo-sweep.json --out <tmp> --jobs ${availableParallelism()} (load average ${load()})\n`);
    const runs = await demoBenches();
    process.stdout.write(`${textTable(['sweep', 'jobs', 'seconds', 'peak RSS MB', 'files', 'MB written', 'index.html MB', 'summary'],
      runs.map((r) => [r.label, r.jobs, Number(r.seconds.toFixed(1)), Math.round(r.peakRssMB), r.files, Number(r.megabytes.toFixed(1)), Number(r.indexHtmlMB.toFixed(2)), r.summary.replace(/^wrote \S+: /, '')]))}\n\n`);
    const demo = runs[0];
    row('demo sweep: wall', demo.seconds, 's', GOALS.demoSeconds, base.demo.seconds, `${demo.jobs} workers`);
    results.push(['demo sweep: peak RSS', `${Math.round(demo.peakRssMB)} MB`, 'flat in sweep size', runs.length > 1 ? `× ${runs[1].label.split('× ')[1]}: ${Math.round(runs[1].peakRssMB)} MB` : 'LIC_SWEEP_BENCH_SCALE=4 to compare', `was ${base.demo.peakRssMB} MB (bench process)`, '']);
    results.push(['demo: index.html', `${demo.indexHtmlMB.toFixed(2)} MB`, '< 3 MB', demo.indexHtmlMB < 3 ? 'met' : 'MISSED', '', '']);
    if (demo.indexHtmlMB >= 3) missed++;
  }

  process.stdout.write(`## summary (load average ${load()} at the end)\n${textTable(['what', 'measured', 'goal', '', 'previous version', 'note'], results)}\n`);
  process.stdout.write(`previous version: ${base.how}\n`);
  if (missed) {
    process.stdout.write(`${missed} goal(s) missed\n`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
