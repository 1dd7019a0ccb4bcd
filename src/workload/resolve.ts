import { UserError } from '../errors.js';
import { evalExpr, evalInt, type Expr, type Scope } from '../util/expr.js';
import type { LayerOrRepeat, LayerSpec, ModelFile, RepeatSpec } from './schema.js';
import { strideFactor } from './ops.js';
import type { ResolvedLayer, ResolvedModel, ResolvedPart } from './types.js';
import { LIMITS } from './limits.js';

const C = LIMITS.channels;
const K = LIMITS.kernel;

export interface VariantChoice {
  variant?: string;
  /** Parameter overrides (e.g. a pruned student: N=96). */
  params?: Record<string, number>;
}

const isRepeat = (x: LayerOrRepeat): x is RepeatSpec => (x as RepeatSpec).repeat !== undefined;
const subst = (s: string, scope: Scope) => s.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (m, v) => (v in scope ? String(scope[v]) : m));

/** The parameter scope of a variant: defaults, then the variant, then overrides, then derived values. */
export function variantScope(m: ModelFile, file: string, choice: VariantChoice): { variant?: string; scope: Record<string, number> } {
  const variant = choice.variant ?? (choice.params && Object.keys(choice.params).length ? undefined : m.defaultVariant);
  const scope: Record<string, number> = { ...m.params };
  if (variant !== undefined) {
    const v = m.variants[variant];
    if (!v) {
      const allowed = Object.keys(m.variants).join(', ') || 'none';
      throw new UserError(`unknown variant "${variant}" (allowed: ${allowed})`, { file, field: 'variant' });
    }
    Object.assign(scope, v);
  }
  for (const [k, v] of Object.entries(choice.params ?? {})) {
    if (!(k in m.params)) {
      throw new UserError(`unknown parameter "${k}" (allowed: ${Object.keys(m.params).join(', ')})`, { file, field: `param ${k}` });
    }
    if (!Number.isFinite(v) || v <= 0 || v > Number.MAX_SAFE_INTEGER) {
      throw new UserError(`parameter ${k}=${v} must be a positive number (allowed: up to 2^53)`, { file, field: `param ${k}` });
    }
    scope[k] = v;
  }
  for (const [k, e] of Object.entries(m.derived)) scope[k] = evalExpr(e, scope, { file, field: `derived.${k}` });
  return { variant, scope };
}

function pair(x: Expr | [Expr, Expr], scope: Scope, where: { file: string; field: string }, min = 1, max: number = K): [number, number] {
  if (Array.isArray(x)) return [evalInt(x[0], scope, where, min, max), evalInt(x[1], scope, where, min, max)];
  const v = evalInt(x, scope, where, min, max);
  return [v, v];
}

function resolveLayer(spec: LayerSpec, scope: Scope, prefix: string, prev: string, file: string, partId: string): ResolvedLayer {
  const name = prefix + subst(spec.name, scope);
  const field = (f: string) => ({ file, field: `${partId}.${name}.${f}` });
  const inputs = spec.input === undefined ? [prev] : (Array.isArray(spec.input) ? spec.input : [spec.input]).map((s) => (s === '@input' ? s : prefix + subst(s, scope)));
  const l: ResolvedLayer = { part: '', name, op: spec.op, inputs };
  const s = spec as Record<string, unknown>;
  if ('cout' in spec) l.cout = evalInt(spec.cout, scope, field('cout'), 1, C);
  if ('kernel' in spec) l.kernel = pair(spec.kernel, scope, field('kernel'));
  if ('stride' in spec) l.stride = spec.stride === undefined ? l.kernel : pair(spec.stride, scope, field('stride'));
  if ('dilation' in spec) l.dilation = pair(spec.dilation, scope, field('dilation'));
  if ('groups' in spec) l.groups = evalInt(spec.groups, scope, field('groups'), 1, C);
  if ('bias' in spec) l.bias = spec.bias;
  if (spec.op === 'conv' || spec.op === 'masked_conv' || spec.op === 'deconv' || spec.op === 'maxpool' || spec.op === 'avgpool') {
    const p = s.padding as Expr | [Expr, Expr] | 'same' | 'valid' | undefined;
    if (p === 'same') l.padding = 'same';
    else if (p === 'valid') l.padding = [0, 0];
    else if (p === undefined) {
      const [kh, kw] = l.kernel!;
      const [dh, dw] = l.dilation ?? [1, 1];
      l.padding = [Math.floor((dh * (kh - 1)) / 2), Math.floor((dw * (kw - 1)) / 2)];
    } else l.padding = pair(p, scope, field('padding'), 0, LIMITS.padding);
  }
  if (spec.op === 'deconv') {
    l.outputPadding = spec.outputPadding === undefined
      ? [l.stride![0] - 1, l.stride![1] - 1]
      : pair(spec.outputPadding, scope, field('outputPadding'), 0, LIMITS.padding);
  }
  if (spec.op === 'masked_conv') l.mask = spec.mask;
  if (spec.op === 'leaky_relu') l.slope = spec.slope;
  if (spec.op === 'slice') {
    l.start = evalInt(spec.start, scope, field('start'), 0, C);
    l.end = evalInt(spec.end, scope, field('end'), 1, C);
  }
  if (spec.op === 'pixel_shuffle' || spec.op === 'pixel_unshuffle') l.factor = evalInt(spec.factor, scope, field('factor'), 1, K);
  if (spec.op === 'matmul') {
    l.form = spec.form;
    l.dim = evalInt(spec.dim, scope, field('dim'), 1, C);
    l.heads = evalInt(spec.heads, scope, field('heads'), 1, C);
    l.window = evalInt(spec.window, scope, field('window'), 1, K);
    l.relativePositionBias = spec.relativePositionBias;
  }
  if (spec.op === 'maxpool' || spec.op === 'avgpool') l.ceilMode = spec.ceilMode;
  if (spec.op === 'factorized_density') {
    l.filters = spec.filters;
    l.quantiles = spec.quantiles;
  }
  return l;
}

function expand(items: LayerOrRepeat[], scope: Scope, prefix: string, file: string, partId: string, out: ResolvedLayer[], budget: { layers: number }, depth = 0) {
  for (const it of items) {
    if (isRepeat(it)) {
      const field = { file, field: `${partId}.repeat` };
      if (depth >= LIMITS.repeatNesting) throw new UserError(`repeat blocks nest deeper than ${LIMITS.repeatNesting} levels`, field);
      const n = evalInt(it.repeat, scope, field, 0, LIMITS.repeat);
      for (let k = 0; k < n; k++) expand(it.layers, { ...scope, [it.var]: k }, prefix, file, partId, out, budget, depth + 1);
    } else {
      // Counted before the layer is made: the whole expansion is bounded by LIMITS.layers steps.
      if (++budget.layers > LIMITS.layers) {
        throw new UserError(`expands to more than ${LIMITS.layers} layers (repeats × instances); allowed: at most ${LIMITS.layers}`, { file, field: `parts.${partId}` });
      }
      const prev = out.length ? out[out.length - 1].name : '@input';
      out.push(resolveLayer(it, scope, prefix, prev, file, partId));
    }
  }
}

/** Resolve a validated model file for one variant: evaluate every expression, expand repeats and instances. */
export function resolveModel(m: ModelFile, file: string, choice: VariantChoice = {}): ResolvedModel {
  const { variant, scope } = variantScope(m, file, choice);
  const parts: ResolvedPart[] = [];
  const known = new Set<string>(['image']);
  const bases = new Set<string>();
  const budget = { layers: 0 };
  for (const p of m.parts) {
    if (bases.has(p.name)) throw new UserError(`part "${p.name}" is defined twice`, { file, field: `parts.${p.name}` });
    bases.add(p.name);
    const count = p.instances ? evalInt(p.instances.count, scope, { file, field: `parts.${p.name}.instances.count` }, 1, LIMITS.instances) : 1;
    for (let i = 0; i < count; i++) {
      const s = p.instances ? { ...scope, [p.instances.var]: i } : scope;
      const id = p.instances ? `${p.name}.${i}` : p.name;
      const input = p.input.map((t, k) => {
        const from = subst(t.from, s);
        const field = `parts.${id}.input[${k}]`;
        if (!known.has(from)) {
          throw new UserError(`input from "${from}", which is not the image or an earlier part (known: ${[...known].join(', ')})`, { file, field });
        }
        return {
          from,
          offset: evalInt(t.offset, s, { file, field: `${field}.offset` }, 0, C),
          channels: t.channels === undefined ? undefined : evalInt(t.channels, s, { file, field: `${field}.channels` }, 0, C),
        };
      }).filter((t) => t.channels !== 0);
      // A term of 0 channels is dropped (slice 0 of a channel-wise model has no support); a part needs one left.
      if (!input.length) throw new UserError('every input takes 0 channels; a part needs at least one channel in', { file, field: `parts.${id}.input` });
      const layers: ResolvedLayer[] = [];
      expand(p.layers, s, p.instances ? `${i}.` : '', file, id, layers, budget);
      const names = new Set<string>();
      for (const l of layers) {
        if (names.has(l.name)) throw new UserError(`layer name "${l.name}" is used twice`, { file, field: `parts.${id}` });
        for (const r of l.inputs) {
          if (r !== '@input' && !names.has(r)) {
            throw new UserError(`layer ${l.name} reads "${r}", which is not an earlier layer of the part`, { file, field: `parts.${id}.${l.name}.input` });
          }
        }
        names.add(l.name);
        l.part = p.name;
        if (p.instances) l.instance = i;
      }
      parts.push({ id, base: p.name, instance: p.instances ? i : undefined, input, schedule: p.schedule, layers });
      known.add(id);
    }
  }
  for (const path of ['encode', 'decode'] as const) {
    for (const n of m.paths[path]) {
      if (!bases.has(n)) throw new UserError(`path ${path} names unknown part "${n}" (parts: ${[...bases].join(', ')})`, { file, field: `paths.${path}` });
    }
  }
  const padMultiple = m.padMultiple !== undefined
    ? evalInt(m.padMultiple, scope, { file, field: 'padMultiple' }, 1, LIMITS.resolution)
    : totalStride(parts);
  if (!(padMultiple <= LIMITS.resolution)) {
    throw new UserError(`the model's total stride ${padMultiple} exceeds ${LIMITS.resolution} (allowed: 1 to ${LIMITS.resolution})`, { file, field: 'padMultiple' });
  }
  let latents = m.latents;
  if (latents) {
    for (const n of latents) if (!bases.has(n)) throw new UserError(`latent part "${n}" is not a part`, { file, field: 'latents' });
  } else {
    const eb = m.parts.filter((p) => p.layers.some((l) => (l as { op?: string }).op === 'factorized_density')).flatMap((p) => p.input.map((t) => t.from));
    latents = [...new Set([m.parts[0].name, ...eb])];
  }
  return {
    file, name: m.name, title: m.title, variant, params: scope, imageChannels: m.image.channels,
    padMultiple, paths: m.paths, latents, parts,
  };
}

/**
 * The deepest cumulative down-sampling from the image (g_a·h_a = 64 for a hyperprior model): the multiple
 * CompressAI pads inputs to so that every strided layer divides exactly.
 */
export function totalStride(parts: ResolvedPart[]): number {
  const partStride = new Map<string, number>([['image', 1]]);
  let best = 1;
  for (const p of parts) {
    const f0 = Math.max(...p.input.map((t) => partStride.get(t.from) ?? 1));
    const at = new Map<string, number>([['@input', f0]]);
    let last = f0;
    for (const l of p.layers) {
      const fin = Math.max(...l.inputs.map((r) => at.get(r) ?? f0));
      last = fin * strideFactor(l);
      at.set(l.name, last);
      best = Math.max(best, last);
    }
    partStride.set(p.id, last);
  }
  return Math.round(best);
}
