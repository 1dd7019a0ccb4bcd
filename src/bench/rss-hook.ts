/**
 * Preloaded by the benches (`node --import .../rss-hook.js dist/cli/main.js ...`): on exit, writes the
 * process's CPU time (user + system, all threads) and peak resident memory (maxRSS, worker threads
 * included: they share the process) as JSON to the file named by LIC_BENCH_RSS_FILE. CPU time is what a
 * run costs whatever else the machine is doing; wall time on a busy machine is mostly waiting.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.LIC_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssKB: u.maxRSS }));
  });
}
