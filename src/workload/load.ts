import path from 'node:path';
import { UserError } from '../errors.js';
import { checkDepth, locate, parseWith, readJson } from '../util/files.js';
import { LIMITS } from './limits.js';
import { ModelFileSchema, OP_KINDS, type ModelFile } from './schema.js';
import { importOnnx } from './onnx/index.js';

export interface LoadedModel {
  file: string;
  spec: ModelFile;
}

/** Unknown ops are named before zod's union error, which would not say what is allowed. */
function checkOps(data: unknown, file: string) {
  const parts = (data as { parts?: unknown })?.parts;
  if (!Array.isArray(parts)) return;
  const walk = (items: unknown, where: string, depth = 0) => {
    if (!Array.isArray(items)) return;
    items.forEach((it, k) => {
      const o = it as { op?: unknown; name?: unknown; layers?: unknown; repeat?: unknown };
      if (o && typeof o === 'object' && 'repeat' in o) {
        if (depth >= LIMITS.repeatNesting) throw new UserError(`repeat blocks nest deeper than ${LIMITS.repeatNesting} levels (allowed: at most ${LIMITS.repeatNesting})`, { file, field: `${where}[${k}]` });
        return walk(o.layers, `${where}[${k}]`, depth + 1);
      }
      if (o && typeof o === 'object' && typeof o.op === 'string' && !(OP_KINDS as readonly string[]).includes(o.op)) {
        throw new UserError(`unknown op "${o.op}" (allowed: ${OP_KINDS.join(', ')})`, { file, field: `${where}.${String(o.name ?? `[${k}]`)}.op` });
      }
    });
  };
  parts.forEach((p: { name?: string; layers?: unknown }, k) => walk(p?.layers, `parts.${p?.name ?? k}`));
}

export function parseModel(data: unknown, file: string): ModelFile {
  // Before zod, whose recursive union would overflow the stack on a file nested thousands deep.
  checkDepth(data, file);
  checkOps(data, file);
  const spec = parseWith(ModelFileSchema, data, file);
  if (spec.defaultVariant !== undefined && !(spec.defaultVariant in spec.variants)) {
    throw new UserError(`defaultVariant "${spec.defaultVariant}" is not among the variants (${Object.keys(spec.variants).join(', ')})`, { file, field: 'defaultVariant' });
  }
  return spec;
}

/** Load a zoo model by name, a user's model file, or an ONNX file (imported in memory, nothing left out). */
export function loadModel(nameOrFile: string): LoadedModel {
  if (/\.onnx$/i.test(nameOrFile)) {
    const file = path.relative(process.cwd(), path.resolve(nameOrFile)) || nameOrFile;
    return { file, spec: importOnnx(nameOrFile).spec };
  }
  const file = locate(nameOrFile, 'models', 'model');
  const spec = parseModel(readJson(file), path.relative(process.cwd(), file) || file);
  return { file: path.relative(process.cwd(), file) || file, spec };
}

export { zooNames } from './zoo-index.js';
