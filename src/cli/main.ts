#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { isUserError } from '../errors.js';
import { describeCommand } from './describe.js';
import { modelsCommand } from './models.js';
import { platformsCommand } from './platforms.js';
import { evaluateCommand } from './evaluate.js';
import { exploreCommand } from './explore.js';
import { emitCommand } from './emit.js';
import { sweepCommand } from './sweep.js'; import { mergeCommand } from './merge.js';
import { importCommand } from './import.js';
import { calibrateCommand } from './calibrate.js';

/** User mistakes: one line on stderr, exit 2, no stack. Anything else is a bug and keeps its stack. */
function fail(e: unknown): never {
  if (isUserError(e)) {
    process.stderr.write(`lic-dse: ${e.message}\n`);
    process.exit(2);
  }
  throw e;
}

async function main() {
  // `lic-dse ... | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  let cli = yargs(hideBin(process.argv)).scriptName('lic-dse');
  for (const add of [modelsCommand, describeCommand, platformsCommand, evaluateCommand, exploreCommand, sweepCommand, mergeCommand, importCommand, calibrateCommand]) cli = add(cli) as typeof cli;
  cli = emitCommand(cli) as typeof cli;
  await cli
    .demandCommand(1, 'give a command (see --help)')
    .strict()
    .wrap(Math.min(120, process.stdout.columns ?? 120))
    .fail((msg, err) => {
      if (err) fail(err);
      process.stderr.write(`lic-dse: ${msg}\n`);
      process.exit(2);
    })
    .parseAsync();
}

main().catch(fail);
