import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { z } from 'zod';
import { UserError } from '../errors.js';
import { didYouMean } from './suggest.js';

/** The package root (models/, platforms/, hls-templates/ live there), from src/ or dist/. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UserError(`not valid JSON (${(e as Error).message})`, { file });
  }
}

/** One line for the first problem zod found: the field path, what is wrong and what is allowed. */
export function zodMessage(err: z.ZodError): { field: string; message: string } {
  const issue = err.issues[0];
  const field = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(top level)';
  let message = issue.message;
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
  const file = path.join(PACKAGE_ROOT, dir, `${nameOrFile}.json`);
  if (!existsSync(file) || exclude.includes(nameOrFile)) {
    const names = builtinNames(dir, exclude);
    throw new UserError(`unknown ${kind} "${nameOrFile}"${didYouMean(nameOrFile, names)} (built-in: ${names.join(', ')}; or give a .json file)`, { field: kind });
  }
  return file;
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
