import { format } from 'node:util';
import yargs, { type Argv } from 'yargs';
import { isUserError, UserError } from '../errors.js';
import { RANGES } from '../util/ranges.js';
import { didYouMean } from '../util/suggest.js';
import { COMMANDS, loadCommand, type CommandName } from './commands.js';

/** Where a run's output goes; default the process's own streams. */
export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** A message as one line: newlines collapsed, other control characters shown as escapes. */
export function oneLine(msg: string): string {
  return msg.replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .trim();
}

/** File-system failures (a full disk, a read-only or missing folder, a name too long) are the user's to fix. */
const FS_CODES = new Set(['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'ENAMETOOLONG', 'ENOSPC', 'EROFS', 'EEXIST', 'ENOTEMPTY', 'EMFILE', 'ENFILE', 'ELOOP', 'EXDEV', 'EBUSY', 'EDQUOT', 'EFBIG']);
function fsError(e: unknown): UserError | undefined {
  const x = e as NodeJS.ErrnoException;
  if (!(x instanceof Error) || !x.code || !FS_CODES.has(x.code) || !x.syscall) return undefined;
  return new UserError(`cannot ${x.syscall} ${x.path ?? ''} (${x.code})`.replace(/ {2}/g, ' '));
}

const BOOLEAN_FLAGS = new Set(['json', 'force', 'charts', 'no-charts', 'help', 'version', 'summary', 'wide', 'point-charts', 'no-point-charts', 'slurm-script']);

/** `--res -5x5` would be read by yargs as the short flags -5 -x -5: a value that starts with "-<digit>" sticks to its option. */
export function joinNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = argv[i + 1];
    if (/^--[a-z][a-z0-9-]*$/i.test(a) && !BOOLEAN_FLAGS.has(a.slice(2)) && next !== undefined && /^-[0-9.]/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** Numeric options are checked where they enter (yargs turns "abc" into NaN and 0 would be dropped silently). */
function checkNumbers(argv: Record<string, unknown>) {
  // An option given twice arrives as an array; only --param (and merge's folders) take several values.
  for (const [k, v] of Object.entries(argv)) {
    if (Array.isArray(v) && k !== '_' && k !== 'param' && k !== 'dirs' && k !== 'reports' && !/[A-Z]/.test(k)) {
      throw new UserError(`given ${v.length} times (give it once)`, { field: k });
    }
  }
  const check = (name: string, min: number, max: number, int = false) => {
    const v = argv[name];
    if (v === undefined) return;
    const n = v as number;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max || (int && !Number.isInteger(n))) {
      const what = typeof n === 'number' && !Number.isNaN(n) ? `${n} is out of range` : 'not a number';
      throw new UserError(`${what} (allowed: ${int ? 'a whole number' : 'a number'} from ${min} to ${max})`, { field: name });
    }
  };
  check('entropy-rate', ...RANGES.entropySymbolsPerSec);
  check('clock', ...RANGES.clockMHz);
  check('seed', 0, 2 ** 32 - 1, true);
  check('jobs', 1, 1024, true);
}

/** The first word of every command, for "did you mean" on a misspelt one. */
const NAMES = Object.keys(COMMANDS);

/** yargs' own messages; a misspelt command is named as such, with the closest command. */
function usageMessage(msg: string, args: string[]): string {
  const first = args.find((a) => !a.startsWith('-'));
  if (first !== undefined && !NAMES.includes(first) && (/^Unknown argument/.test(msg) || /give a command/.test(msg))) {
    return `unknown command "${first}"${didYouMean(first, NAMES)} (commands: ${NAMES.join(', ')}; lic-dse --help)`;
  }
  return msg;
}

/**
 * yargs with every command: the one being run imported in full, the others listed by usage and description
 * only (start-up time: `lic-dse models` does not load the search, the report or the emitter).
 */
async function commandLine(args: string[]): Promise<Argv> {
  // There are no global options that take a value, so the first word that is not an option is the command.
  const word = args.find((a) => !a.startsWith('-'));
  const chosen = word !== undefined && Object.hasOwn(COMMANDS, word) ? COMMANDS[word as CommandName].module : undefined;
  let cli: Argv = yargs(args).scriptName('lic-dse').exitProcess(false);
  for (const c of Object.values(COMMANDS)) {
    if (c.module === chosen) {
      if (c === Object.values(COMMANDS).find((x) => x.module === chosen)) cli = (await loadCommand(chosen))(cli);
    } else cli = cli.command(c.usage, c.describe);
  }
  return cli;
}

class Failed extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/**
 * The CLI as a function: parse `argv` (without "node main.js"), run the command, return the exit code.
 * User mistakes print one line on stderr and return 2; anything else is a bug and is thrown with its stack.
 * With `io`, process.stdout/stderr writes (and console.log/error) are captured for the duration of the run (runs must not overlap).
 */
export async function run(argv: string[], io?: CliIo): Promise<number> {
  const restore: (() => void)[] = [];
  if (io) {
    for (const [stream, sink] of [[process.stdout, io.stdout], [process.stderr, io.stderr]] as const) {
      const orig = stream.write;
      stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        sink(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
        cb?.();
        return true;
      }) as typeof stream.write;
      restore.push(() => { stream.write = orig; });
    }
    // yargs prints --help and its messages with console.log / console.error.
    for (const [name, sink] of [['log', io.stdout], ['error', io.stderr]] as const) {
      const orig = console[name];
      console[name] = (...a: unknown[]) => sink(`${format(...a)}\n`);
      restore.push(() => { console[name] = orig; });
    }
  }
  const err = (msg: string) => process.stderr.write(`lic-dse: ${oneLine(msg)}\n`);
  try {
    const args = joinNegativeValues(argv);
    await (await commandLine(args))
      .middleware((a) => checkNumbers(a as Record<string, unknown>), true)
      .demandCommand(1, 'give a command (see --help)')
      .strict()
      .example('$0 explore --model mbt2018-mean --platform zcu102 --summary', 'the best design for a model on a board')
      .epilogue('Every command has --help with its options and examples. Docs: README.md.')
      .wrap(Math.min(120, process.stdout.columns ?? 120))
      .fail((msg, e) => {
        if (e) throw e;
        err(usageMessage(msg ?? '', args));
        throw new Failed(2);
      })
      .parseAsync();
    return 0;
  } catch (e) {
    if (e instanceof Failed) return e.code;
    const user = isUserError(e) ? e : fsError(e);
    if (user) {
      err(user.message);
      return 2;
    }
    throw e;
  } finally {
    for (const r of restore) r();
  }
}
