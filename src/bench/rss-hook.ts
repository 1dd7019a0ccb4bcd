/**
 * Preloaded by the demo bench (`node --import .../rss-hook.js dist/cli/main.js sweep ...`): on exit, writes the
 * process's peak resident memory (maxRSS, worker threads included: they share the process) to the file
 * named by LIC_BENCH_RSS_FILE.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.LIC_BENCH_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
