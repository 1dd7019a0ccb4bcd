import { UserError } from '../errors.js';

/** ["N=192", "M=320"] → {N: 192, M: 320}. */
export function parseParams(list: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  const items = list === undefined ? [] : Array.isArray(list) ? list : [list];
  for (const it of items) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(-?[0-9.eE+-]+)$/.exec(String(it));
    if (!m || !Number.isFinite(Number(m[2]))) throw new UserError(`"${it}" is not NAME=NUMBER`, { field: 'param' });
    out[m[1]] = Number(m[2]);
  }
  return out;
}

/** Print JSON with a stable key order (insertion order of our own objects) and a final newline. */
export const jsonOut = (x: unknown) => `${JSON.stringify(x, null, 2)}\n`;
