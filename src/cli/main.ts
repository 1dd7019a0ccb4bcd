#!/usr/bin/env node
import { hideBin } from 'yargs/helpers';
import { run } from './run.js';

// `lic-dse ... | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
// Anything run() throws is a bug and keeps its stack (exit 1).
run(hideBin(process.argv)).then((code) => {
  if (code !== 0) process.exit(code);
});
