/**
 * The one error type for a user's mistake (bad file, unknown name, impossible budget).
 * The CLI prints `message` on one line and exits 2; anything else is a bug and keeps its stack.
 */
export class UserError extends Error {
  readonly file?: string;
  readonly field?: string;
  constructor(message: string, opts: { file?: string; field?: string } = {}) {
    const where = [opts.file, opts.field].filter(Boolean).join(': ');
    super(where ? `${where}: ${message}` : message);
    this.name = 'UserError';
    this.file = opts.file;
    this.field = opts.field;
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}

/**
 * Run `f` on behalf of a file the user gave (a design point, a sweep file): a UserError raised while
 * following it (its model, its board, the estimate) names that file first, so the user knows where to look.
 */
export function withFile<T>(file: string, f: () => T, notFor: string[] = []): T {
  try {
    return f();
  } catch (e) {
    // Errors about a command-line option (notFor: e.g. --out) are not the file's.
    if (isUserError(e) && !e.message.startsWith(`${file}:`) && !(e.field && notFor.includes(e.field))) throw new UserError(e.message, { file });
    throw e;
  }
}
