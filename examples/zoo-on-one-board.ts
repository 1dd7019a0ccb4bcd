// # Comparing the model zoo on one board
//
// Which learned codec can a ZCU102 run in real time, with which template, and what holds each back?
// Run with `npx tsx examples/zoo-on-one-board.ts` (a few seconds). It writes a small report to
// reports/examples/zoo-zcu102/ (open index.html there) and prints the comparison.

import { collect, readPoints, runSweep, textTable } from '../src/index.js';

// ## 1. The sweep
// Every zoo model (default variant) on the ZCU102, int8, 1280x720, both templates, encode and decode.
// A sweep is data: the same object could be a JSON file for `lic-dse sweep --config`.
const out = 'reports/examples/zoo-zcu102';
const summary = await runSweep({
  sweep: { models: 'all', platforms: ['zcu102'], precisions: ['int8'], res: ['1280x720'], arch: ['engine', 'pipeline'], path: ['encode', 'decode'] },
  out,
  // jobs: worker threads (default: every core); charts: PNGs beside index.html (default on).
});
console.log(`${summary.ran} design points: ${summary.ok} explored, ${summary.failed} found no design that fits (${summary.seconds.toFixed(1)} s)\n`);

// ## 2. Read the results back
// points.csv has one row per design point; `readPoints` streams it back as typed records.
const points = await collect(readPoints(out));

// ## 3. The best template per model and path
// For each model and path keep the faster of the two templates, and say why it is not faster.
const best = new Map<string, (typeof points)[number]>();
for (const p of points) {
  if (p.status !== 'ok') continue;
  const key = `${p.model} ${p.path}`;
  const cur = best.get(key);
  if (!cur || p.fps! > cur.fps!) best.set(key, p);
}
const rows = [...best.values()].sort((a, b) => b.fps! - a.fps!);
console.log(textTable(
  ['model', 'path', 'template', 'FPS', 'DSP %', 'bottleneck'],
  rows.map((p) => [p.model, p.path, p.arch, Number(p.fps!.toFixed(2)), Math.round((100 * p.dspUsed!) / p.dspAvailable!), p.bottleneck.slice(0, 70)]),
));

// ## 4. Real time?
// 30 FPS end to end (accelerator and entropy coder together) is the usual bar for 720p video.
const realTime = rows.filter((p) => p.fps! >= 30).map((p) => `${p.model} (${p.path}, ${p.arch})`);
console.log(`\nreal time (≥ 30 FPS) on the ZCU102 at 1280x720: ${realTime.length ? realTime.join(', ') : 'none'}`);

// ## 5. What failed, and why
for (const p of points.filter((x) => x.status === 'error').slice(0, 3)) console.log(`no design: ${p.label}: ${p.error.slice(0, 90)}`);
console.log(`\nreport: ${out}/index.html`);
