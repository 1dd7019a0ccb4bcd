import { z } from 'zod';

/** A number a user file gives, within what is physically meaningful; the message states the allowed range. */
export function inRange(min: number, max: number, opts: { int?: boolean; minExclusive?: boolean } = {}) {
  const lo = opts.minExclusive ? `above ${min}` : `${min}`;
  const allowed = `(allowed: ${opts.int ? 'whole numbers ' : ''}${lo} to ${max})`;
  let n = z.number({ error: (i) => (i.input === undefined ? 'required' : `expected a number ${allowed}`) });
  n = opts.minExclusive ? n.gt(min, `out of range ${allowed}`) : n.min(min, `out of range ${allowed}`);
  n = n.max(max, `out of range ${allowed}`);
  return opts.int ? n.int(`not a whole number ${allowed}`) : n;
}

export { RANGES } from './ranges.js';
