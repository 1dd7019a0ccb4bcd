#!/usr/bin/env node
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { isUserError } from '../errors.js';
import { didYouMean } from '../util/suggest.js';
import { COMMANDS, loadCommand, type CommandName } from './commands.js';

/** The first word of every command, for "did you mean" on a misspelt one. */
const NAMES = Object.keys(COMMANDS);

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
  if (first !== undefined && !NAMES.includes(first) && (/^Unknown argument/.test(msg) || /give a command/.test(msg))) {
    return `unknown command "${first}"${didYouMean(first, NAMES)} (commands: ${NAMES.join(', ')}; lic-dse --help)`;
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
  // There are no global options that take a value, so the first word that is not an option is the command.
  // Only its module is imported (start-up time); the others are listed from their usage and description.
  const word = args.find((a) => !a.startsWith('-'));
  const chosen = word !== undefined && Object.hasOwn(COMMANDS, word) ? COMMANDS[word as CommandName].module : undefined;
  let cli: Argv = yargs(args).scriptName('lic-dse');
  for (const c of Object.values(COMMANDS)) {
    if (c.module === chosen) {
      if (c === Object.values(COMMANDS).find((x) => x.module === chosen)) cli = (await loadCommand(chosen))(cli);
    } else cli = cli.command(c.usage, c.describe);
  }
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
