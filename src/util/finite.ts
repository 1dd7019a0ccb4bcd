import { UserError } from '../errors.js';

const badNumber = (v: number) => !Number.isFinite(v) || v < 0 || v > Number.MAX_SAFE_INTEGER * 1024;

/**
 * The first offending number under v and its path (as "[i]" and ".key" segments, innermost first), or undefined.
 * Depth first, each object's fields last to first: the order an explicit stack visits them in. Nothing is
 * allocated for a clean result (a sweep checks every estimate it reports): the path is built only on failure.
 */
function firstBad(v: unknown): { value: number; path: string[] } | undefined {
  if (typeof v === 'number') return badNumber(v) ? { value: v, path: [] } : undefined;
  if (!v || typeof v !== 'object') return undefined;
  if (Array.isArray(v)) {
    for (let i = v.length - 1; i >= 0; i--) {
      const p = firstBad(v[i]);
      if (p) return (p.path.push(`[${i}]`), p);
    }
    return undefined;
  }
  const keys = Object.keys(v);
  for (let i = keys.length - 1; i >= 0; i--) {
    const p = firstBad((v as Record<string, unknown>)[keys[i]]);
    if (p) return (p.path.push(`.${keys[i]}`), p);
  }
  return undefined;
}

/**
 * The last guard before a result is printed or written: every number finite (JSON would print NaN and
 * Infinity as null) and non-negative (all our figures are counts, times, rates and fractions), and every
 * count an exact double. A violation means the inputs drove the model outside what it can represent, so
 * the error names the input (`what`) and the first offending field; nothing is printed.
 */
export function checkOutputNumbers(x: unknown, what: string): void {
  const bad = firstBad(x);
  if (!bad) return;
  const name = bad.path.reverse().join('');
  throw new UserError(`the result ${name.replace(/^\./, '') || 'value'} = ${bad.value} is not a finite non-negative number; the inputs are outside what the model can represent`, { file: what });
}
