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
