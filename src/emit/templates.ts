import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../util/files.js';

/** hls-templates/ of the installed package (copied verbatim or filled in; never referenced by the output). */
export const TEMPLATE_DIR = path.join(PACKAGE_ROOT, 'hls-templates');

export function templateText(rel: string): string {
  return readFileSync(path.join(TEMPLATE_DIR, rel), 'utf8');
}

/**
 * Fill {{NAME}} placeholders. Every placeholder must have a value and every value a placeholder, so a
 * template and its writer cannot drift apart silently.
 */
export function render(rel: string, values: Record<string, string>): string {
  const text = templateText(rel);
  const used = new Set<string>();
  const out = text.replace(/\{\{([A-Z0-9_]+)\}\}/g, (_m, k: string) => {
    if (!(k in values)) throw new Error(`template ${rel}: no value for {{${k}}}`);
    used.add(k);
    return values[k];
  });
  for (const k of Object.keys(values)) if (!used.has(k)) throw new Error(`template ${rel}: {{${k}}} is not used`);
  return out;
}

/** Text safe inside a // comment: printable ASCII, no line continuation. */
export const commentSafe = (s: string) => s.replace(/[^\x20-\x7e]/g, '?').replace(/\\/g, '/');
/** A C string literal of a name from the model: printable ASCII, quotes and backslashes escaped. */
export const cString = (s: string) => `"${s.replace(/[^\x20-\x7e]/g, '?').replace(/["\\]/g, '\\$&')}"`;
/** Free text (layer and variant names) in a Markdown table cell: control characters shown as escapes, | and ` escaped. */
export const markdownSafe = (s: string) => s
  .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  .replace(/([|`])/g, '\\$1');
