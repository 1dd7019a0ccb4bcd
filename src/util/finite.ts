import { UserError } from '../errors.js';

/**
 * The last guard before a result is printed or written: every number finite (JSON would print NaN and
 * Infinity as null) and non-negative (all our figures are counts, times, rates and fractions), and every
 * count an exact double. A violation means the inputs drove the model outside what it can represent, so
 * the error names the input (`what`) and the first offending field; nothing is printed.
 */
export function checkOutputNumbers(x: unknown, what: string): void {
  const stack: [unknown, string][] = [[x, '']];
  while (stack.length) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || v < 0 || v > Number.MAX_SAFE_INTEGER * 1024) {
        throw new UserError(`the result ${at.replace(/^\./, '') || 'value'} = ${v} is not a finite non-negative number; the inputs are outside what the model can represent`, { file: what });
      }
    } else if (v && typeof v === 'object') {
      const entries = Array.isArray(v) ? v.map((e, i) => [String(i), e] as const) : Object.entries(v);
      for (const [k, e] of entries) stack.push([e, Array.isArray(v) ? `${at}[${k}]` : `${at}.${k}`]);
    }
  }
}
