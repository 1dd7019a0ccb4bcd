import { loadModel } from '../src/workload/load.js';
import { resolveModel, type VariantChoice } from '../src/workload/resolve.js';
import { inferWorkload, workloadTotals } from '../src/workload/shapes.js';
import type { PadPolicy } from '../src/workload/types.js';
import { parseModel } from '../src/workload/load.js';

export function workloadOf(name: string, choice: VariantChoice = {}, width = 768, height = 512, policy: PadPolicy = 'stride') {
  const { file, spec } = loadModel(name);
  return inferWorkload(resolveModel(spec, file, choice), { width, height }, policy);
}

export function totalsOf(name: string, choice: VariantChoice = {}, width = 768, height = 512, policy: PadPolicy = 'stride') {
  return workloadTotals(workloadOf(name, choice, width, height, policy));
}

/** Build a workload from an in-memory model document (for malformed-file tests). */
export function workloadFromDoc(doc: unknown, width = 64, height = 64, policy: PadPolicy = 'stride', choice: VariantChoice = {}) {
  const spec = parseModel(doc, 'user.json');
  return inferWorkload(resolveModel(spec, 'user.json', choice), { width, height }, policy);
}
