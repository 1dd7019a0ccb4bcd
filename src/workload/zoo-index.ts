import { builtinNames, locate, readJson } from '../util/files.js';

/** What `lic-dse models` lists of a zoo model: the header fields of its file. */
export interface ZooEntry {
  name: string;
  title: string;
  variants: string[];
  defaultVariant: string | null;
  params: Record<string, number>;
  reference: string;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNumbers = (x: unknown): x is Record<string, number> => isRecord(x) && Object.values(x).every((v) => typeof v === 'number' && Number.isFinite(v));

/**
 * The header of a zoo model file, read without the schema (loading zod costs `lic-dse models` more than
 * the rest of its start-up). Only a header that is plainly what the schema accepts is taken; anything else
 * is undefined, and the caller loads the file through the schema, whose message names the problem.
 */
export function zooEntry(name: string): ZooEntry | undefined {
  const d = readJson(locate(name, 'models', 'model'));
  if (!isRecord(d) || d.schema !== 'lic-dse/model@1' || typeof d.name !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(d.name)) return undefined;
  const { title, reference: ref, params, variants = {}, defaultVariant } = d;
  if (typeof title !== 'string' || !isRecord(ref) || typeof ref.repo !== 'string' || typeof ref.path !== 'string' || !isNumbers(params)) return undefined;
  if (!isRecord(variants) || !Object.values(variants).every(isNumbers)) return undefined;
  if (defaultVariant !== undefined && (typeof defaultVariant !== 'string' || !Object.hasOwn(variants, defaultVariant))) return undefined;
  return {
    name: d.name, title, variants: Object.keys(variants), defaultVariant: defaultVariant ?? null, params, reference: `${ref.repo}/${ref.path}`,
  };
}

export const zooNames = (): string[] => builtinNames('models');
