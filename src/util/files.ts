import { closeSync, existsSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { z } from 'zod';
import { UserError } from '../errors.js';
import { didYouMean } from './suggest.js';

/** The package root (models/, platforms/, hls-templates/ live there), from src/ or dist/. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The largest user file read (a model, board, point or sweep file is a few kB; the zoo's largest ~30 kB). */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;
/** Deepest JSON nesting accepted: a real file nests < 20 levels; deeper ones would overflow zod's recursion. */
export const MAX_JSON_DEPTH = 64;

const oneLine = (s: string) => s.replace(/\s*[\r\n]+\s*/g, ' ').trim();

/**
 * Read a user's text file: a regular file (not a device, FIFO or folder, which could block or never end),
 * at most MAX_FILE_BYTES, and valid UTF-8 (no silent U+FFFD replacement).
 */
export function readText(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw new UserError(`cannot read file (${(e as NodeJS.ErrnoException).code ?? oneLine((e as Error).message)})`, { file });
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new UserError('is a folder, not a file', { file });
    if (!st.isFile()) throw new UserError('is not a regular file (a device, pipe or socket)', { file });
    if (st.size > MAX_FILE_BYTES) throw new UserError(`is ${st.size} bytes; at most ${MAX_FILE_BYTES} are read`, { file });
    const buf = Buffer.alloc(st.size);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, got));
    } catch {
      throw new UserError('is not valid UTF-8 text', { file });
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot read file (${(e as NodeJS.ErrnoException).code ?? oneLine((e as Error).message)})`, { file });
  } finally {
    closeSync(fd);
  }
}

/** Depth of a parsed JSON value, without recursion (a 100 000-deep array must not overflow the stack here). */
export function jsonDepth(data: unknown, stopAt = Infinity): number {
  let max = 0;
  const stack: [unknown, number][] = [[data, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > max) max = d;
    if (max > stopAt) return max;
    for (const x of Array.isArray(v) ? v : Object.values(v)) if (x !== null && typeof x === 'object') stack.push([x, d + 1]);
  }
  return max;
}

export function checkDepth(data: unknown, file: string, max = MAX_JSON_DEPTH): void {
  if (jsonDepth(data, max) > max) throw new UserError(`nests deeper than ${max} levels`, { file });
}

/** Parse JSON text; the error is one line (V8 quotes the raw text, newlines included). */
export function parseJsonText(text: string, file: string): unknown {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    let msg = oneLine((e as Error).message);
    if (msg.length > 160) msg = `${msg.slice(0, 157)}...`;
    throw new UserError(`not valid JSON (${msg})`, { file });
  }
  checkDepth(data, file);
  return data;
}

export function readJson(file: string): unknown {
  return parseJsonText(readText(file), file);
}

/** One line for the first problem zod found: the field path, what is wrong and what is allowed. */
export function zodMessage(err: z.ZodError): { field: string; message: string } {
  const issue = err.issues[0];
  const field = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(top level)';
  let message = oneLine(issue.message);
  const i = issue as unknown as { code: string; keys?: string[]; values?: unknown[]; options?: unknown[] };
  if (i.code === 'unrecognized_keys' && i.keys) message = `unknown field(s) ${i.keys.map((k) => `"${k}"`).join(', ')}`;
  if (i.code === 'invalid_union' && (i as { note?: string }).note) message = (i as { note?: string }).note!;
  return { field, message };
}

export function parseWith<T>(schema: z.ZodType<T>, data: unknown, file: string): T {
  const r = schema.safeParse(data);
  if (!r.success) {
    const { field, message } = zodMessage(r.error);
    throw new UserError(message, { file, field });
  }
  return r.data;
}

/** Resolve a built-in name (models/<name>.json) or a path to a user's JSON file. */
export function locate(nameOrFile: string, dir: string, kind: string, exclude: string[] = []): string {
  if (nameOrFile.endsWith('.json') || nameOrFile.includes('/')) return path.resolve(nameOrFile);
  const names = builtinNames(dir, exclude);
  if (!names.includes(nameOrFile)) {
    const shown = nameOrFile.length > 60 ? `${nameOrFile.slice(0, 57)}...` : nameOrFile;
    throw new UserError(`unknown ${kind} ${JSON.stringify(shown)}${didYouMean(shown, names)} (built-in: ${names.join(', ')}; or give a .json file)`, { field: kind });
  }
  return path.join(PACKAGE_ROOT, dir, `${nameOrFile}.json`);
}

export function builtinNames(dir: string, exclude: string[] = []): string[] {
  const d = path.join(PACKAGE_ROOT, dir);
  if (!existsSync(d)) return [];
  return readdirSync(d)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .filter((n) => !exclude.includes(n))
    .sort();
}
