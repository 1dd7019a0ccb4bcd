import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../errors.js';
import { parseModel } from '../load.js';
import type { ModelFile } from '../schema.js';
import { assemble } from './assemble.js';
import { convertGraph, ImportFailure, type Problem } from './convert.js';
import { readOnnx } from './decode.js';

export interface ImportOptions {
  name?: string;
  /** Import the supported part and list what was left out, instead of refusing. */
  allowPartial?: boolean;
}

export interface ImportResult {
  spec: ModelFile;
  /** Nodes not in the descriptor: unsupported ones and those that depend on them. */
  leftOut: Problem[];
  bridged: string[];
  exported: { c: number; h: number; w: number };
  shapesFrom: { valueInfo: number; inferred: number };
}

const listProblems = (ps: Problem[]) => ps.map((p) => `${p.node} (${p.opType}: ${p.reason})`).join('; ');

/** A lower-case id from a file name: "My Model.onnx" → "my-model". */
export function modelIdFrom(file: string): string {
  const id = path.basename(file).replace(/\.onnx$/i, '').toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '');
  return id || 'onnx-model';
}

/** Import an ONNX model as a lic-dse model descriptor (validated by the same schema as models/*.json). */
export function importOnnx(file: string, opts: ImportOptions = {}): ImportResult {
  const rel = path.relative(process.cwd(), path.resolve(file)) || file;
  const g = readOnnx(file);
  let conv;
  try {
    conv = convertGraph(g);
  } catch (e) {
    if (e instanceof ImportFailure) throw new UserError(e.message, { file: rel });
    throw e;
  }
  if (conv.unsupported.length && !opts.allowPartial) {
    throw new UserError(
      `${conv.unsupported.length} unsupported node(s): ${listProblems(conv.unsupported)}${conv.dependents.length ? `; ${conv.dependents.length} node(s) after them` : ''} (--allow-partial imports the rest)`,
      { file: rel },
    );
  }
  if (!conv.layers.length) throw new UserError('no layer lic-dse can model was found in the graph', { file: rel });
  const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
  const name = opts.name ?? modelIdFrom(file);
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(name)) throw new UserError(`model name "${name}" must be a lower-case id (a-z, 0-9, . _ -)`, { field: 'name' });
  const leftOut = [...conv.unsupported, ...conv.dependents];
  const { c, h, w } = conv.image;
  const notes = [
    `Imported by lic-dse from ${path.basename(file)} (sha256 ${sha}; producer ${g.producer || 'unknown'}; opset ${g.opset}), exported at 1x${c}x${h}x${w}; layer names are the ONNX node names.`,
    ...conv.folded,
    ...leftOut.map((p) => `LEFT OUT ${p.node} (${p.opType}): ${p.reason}${conv.bridged.includes(p.node) ? ' — bridged as identity' : ''}`),
  ];
  const spec = assemble(conv, {
    name,
    title: `${path.basename(file)} (imported from ONNX)`,
    reference: { repo: '(ONNX file)', path: path.basename(file), commit: sha, note: `${g.producer}, opset ${g.opset}` },
    notes,
  });
  return { spec: parseModel(spec, rel), leftOut, bridged: conv.bridged, exported: { c, h, w }, shapesFrom: conv.shapesFrom };
}
