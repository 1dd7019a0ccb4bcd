#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { isUserError } from '../errors.js';
import { didYouMean } from '../util/suggest.js';
import { describeCommand } from './describe.js';
import { modelsCommand } from './models.js';
import { platformsCommand } from './platforms.js';
import { evaluateCommand } from './evaluate.js';
import { exploreCommand } from './explore.js';
import { emitCommand } from './emit.js';
import { sweepCommand } from './sweep.js'; import { mergeCommand } from './merge.js';

/** The first word of every command, for "did you mean" on a misspelt one. */
const COMMANDS = ['models', 'describe', 'platforms', 'platform', 'evaluate', 'explore', 'sweep', 'merge', 'emit'];

/** User mistakes: one line on stderr, exit 2, no stack. Anything else is a bug and keeps its stack. */
function fail(e: unknown): never {
  if (isUserError(e)) {
    process.stderr.write(`lic-dse: ${e.message}\n`);
    process.exit(2);
  }
  throw e;
}

/** yargs' own messages, made one line; a misspelt command is named as such, with the closest command. */
function usageMessage(msg: string, args: string[]): string {
  const first = args.find((a) => !a.startsWith('-'));
  if (first !== undefined && !COMMANDS.includes(first) && (/^Unknown argument/.test(msg) || /give a command/.test(msg))) {
    return `unknown command "${first}"${didYouMean(first, COMMANDS)} (commands: ${COMMANDS.join(', ')}; lic-dse --help)`;
  }
  return msg.replace(/\s*\n\s*/g, ' ');
}

async function main() {
  // `lic-dse ... | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  const args = hideBin(process.argv);
  let cli = yargs(args).scriptName('lic-dse');
  for (const add of [modelsCommand, describeCommand, platformsCommand, evaluateCommand, exploreCommand, sweepCommand, mergeCommand]) cli = add(cli) as typeof cli;
  cli = emitCommand(cli) as typeof cli;
  await cli
    .demandCommand(1, 'give a command (see --help)')
    .strict()
    .example('$0 explore --model mbt2018-mean --platform zcu102 --summary', 'the best design for a model on a board')
    .epilogue('Every command has --help with its options and examples. Docs: README.md.')
    .wrap(Math.min(120, process.stdout.columns ?? 120))
    .fail((msg, err) => {
      if (err) fail(err);
      process.stderr.write(`lic-dse: ${usageMessage(msg ?? '', args)}\n`);
      process.exit(2);
    })
    .parseAsync();
}

main().catch(fail);
