/** Terminal width the CLI's tables keep to unless asked for all (`--wide`). */
export const TERMINAL_WIDTH = 120;

export interface TableOptions {
  /** Shorten the widest text columns (with "…") until a line fits; numbers are never cut. */
  maxWidth?: number;
}

/** Plain aligned text tables for the terminal; numbers right-aligned. */
export function textTable(header: string[], rows: (string | number)[][], opts: TableOptions = {}): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? fmtNum(c) : c)));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]?.length ?? 0)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] === ''));
  if (opts.maxWidth) shrink(widths, header, numeric, opts.maxWidth);
  const fit = (c: string, i: number) => (c.length > widths[i] ? `${c.slice(0, Math.max(0, widths[i] - 1))}…` : c);
  const line = (r: string[]) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : fit(c, i).padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** Break a line of words into lines of at most `max` characters (no limit: the line as it is). */
export function wrapWords(text: string, max?: number): string {
  if (!max || text.length <= max) return text;
  const lines: string[] = [];
  let cur = '';
  for (const w of text.split(' ')) {
    if (cur && cur.length + 1 + w.length > max) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines.join('\n');
}

/** Narrow the widest text column, one character at a time, down to its header (at least 8) until the table fits. */
function shrink(widths: number[], header: string[], numeric: boolean[], max: number) {
  const total = () => widths.reduce((s, w) => s + w, 0) + 2 * (widths.length - 1);
  const floor = (i: number) => Math.max(8, header[i].length);
  while (total() > max) {
    let k = -1;
    widths.forEach((w, i) => { if (!numeric[i] && w > floor(i) && (k < 0 || w > widths[k])) k = i; });
    if (k < 0) return;
    widths[k] -= 1;
  }
}

/**
 * One number style everywhere: thousands separators on integers and on values of 100 and more (one decimal),
 * four significant digits below 100.
 */
export function fmtNum(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  if (Math.abs(x) >= 100) return x.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return Number(x.toPrecision(4)).toString();
}

/** 1.23 G / 456 M style for large counts. */
export function si(x: number): string {
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toFixed(2)} G`;
  if (a >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (a >= 1e3) return `${(x / 1e3).toFixed(1)} k`;
  return String(x);
}
