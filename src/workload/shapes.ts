import { UserError } from '../errors.js';
import { layerCounts, ShapeError } from './ops.js';
import type { PadPolicy, ResolvedModel, Shape, Workload, WorkloadLayer } from './types.js';
import { LIMITS, MAX_EXACT } from './limits.js';

/** A layer's output and counts within the limits (every count exact, no empty or runaway map). */
function checkCounts(c: { out: Shape; macs: number; zeroMacs: number; elemOps: number; params: number }): string | undefined {
  const { c: ch, h, w } = c.out;
  for (const [what, v, max] of [['channels', ch, LIMITS.channels], ['height', h, LIMITS.featureSide], ['width', w, LIMITS.featureSide]] as const) {
    if (!(Number.isInteger(v) && v >= 1 && v <= max)) return `output ${what} ${v} is out of range (allowed: 1 to ${max})`;
  }
  if (ch * h * w > LIMITS.tensorElements) return `output ${ch}×${h}×${w} has more than ${LIMITS.tensorElements} elements`;
  for (const k of ['macs', 'zeroMacs', 'elemOps', 'params'] as const) {
    const v = c[k];
    if (!(Number.isFinite(v) && v >= 0 && v <= MAX_EXACT)) return `${k} ${v} is out of range (allowed: 0 to 2^53)`;
  }
  return undefined;
}

export interface Resolution {
  width: number;
  height: number;
}

/**
 * Shape inference at a resolution. Policy 'stride' pads the image up to a multiple of the model's total
 * stride (CompressAI's habit); 'same' keeps the image and lets each strided layer round up
 * (tensorflow-compression's habit), cropping a part's inputs to the smallest where up-sampled maps overshoot.
 */
export function inferWorkload(m: ResolvedModel, res: Resolution, policy: PadPolicy = 'stride'): Workload {
  if (!(Number.isInteger(res.width) && Number.isInteger(res.height) && res.width > 0 && res.height > 0)) {
    throw new UserError(`resolution ${res.width}x${res.height} must be two positive whole numbers`, { field: 'res' });
  }
  if (res.width > LIMITS.resolution || res.height > LIMITS.resolution) {
    throw new UserError(`resolution ${res.width}x${res.height} is too large (allowed: 1 to ${LIMITS.resolution} per side)`, { field: 'res' });
  }
  const mult = policy === 'stride' ? m.padMultiple : 1;
  const paddedWidth = Math.ceil(res.width / mult) * mult;
  const paddedHeight = Math.ceil(res.height / mult) * mult;
  const outputs = new Map<string, Shape>([['image', { c: m.imageChannels, h: paddedHeight, w: paddedWidth }]]);
  const inEncode = new Set(m.paths.encode);
  const inDecode = new Set(m.paths.decode);
  const layers: WorkloadLayer[] = [];
  let total = 0;

  for (const p of m.parts) {
    const terms = p.input.map((t, k) => {
      const src = outputs.get(t.from)!;
      const c = t.channels ?? src.c - t.offset;
      if (t.offset + c > src.c || c < 1) {
        throw new UserError(`takes channels [${t.offset}, ${t.offset + c}) of ${t.from}, which has ${src.c}`, { file: m.file, field: `parts.${p.id}.input[${k}]` });
      }
      return { c, h: src.h, w: src.w, from: t.from };
    });
    const h = Math.min(...terms.map((t) => t.h));
    const w = Math.min(...terms.map((t) => t.w));
    if (policy === 'stride') {
      const odd = terms.find((t) => t.h !== h || t.w !== w);
      if (odd) {
        throw new UserError(
          `inputs disagree in size at ${res.width}x${res.height}: ${terms.map((t) => `${t.from} ${t.h}×${t.w}`).join(', ')}`,
          { file: m.file, field: `parts.${p.id}.input` },
        );
      }
    }
    const input: Shape = { c: terms.reduce((s, t) => s + t.c, 0), h, w };
    const at = new Map<string, Shape>([['@input', input]]);
    let last = input;
    for (const l of p.layers) {
      const xs = l.inputs.map((r) => at.get(r)!);
      let counts;
      try {
        counts = layerCounts(l, xs);
      } catch (e) {
        if (e instanceof ShapeError) {
          throw new UserError(`${e.message} at ${res.width}x${res.height} (padded ${paddedWidth}x${paddedHeight})`, { file: m.file, field: `layer ${p.id}/${l.name}` });
        }
        throw e;
      }
      const bad = checkCounts(counts);
      total += counts.macs + counts.zeroMacs + counts.elemOps + counts.params;
      if (bad || !(total <= MAX_EXACT)) {
        throw new UserError(`${bad ?? 'the model\'s counts sum beyond 2^53'} at ${res.width}x${res.height}`, { file: m.file, field: `layer ${p.id}/${l.name}` });
      }
      const x = xs[0];
      layers.push({
        ...counts,
        part: p.base,
        instance: p.instance,
        name: l.name,
        op: l.op,
        layer: l,
        cin: l.op === 'fc' ? x.c * x.h * x.w : x.c,
        cout: counts.out.c,
        inH: x.h,
        inW: x.w,
        outH: counts.out.h,
        outW: counts.out.w,
        inElems: xs.reduce((s, t) => s + t.c * t.h * t.w, 0),
        outElems: counts.out.c * counts.out.h * counts.out.w,
        encode: inEncode.has(p.base),
        decode: inDecode.has(p.base),
        schedule: p.schedule,
      });
      at.set(l.name, counts.out);
      last = counts.out;
    }
    outputs.set(p.id, last);
  }
  const latents = m.latents.map((name) => {
    const o = outputs.get(name)!;
    return { part: name, elements: o.c * o.h * o.w, channels: o.c, positions: o.h * o.w };
  });
  return {
    model: m.name,
    title: m.title,
    variant: m.variant,
    params: m.params,
    policy,
    resolution: { width: res.width, height: res.height, paddedWidth, paddedHeight },
    layers,
    latents,
  };
}

export interface Totals {
  params: number;
  macs: number;
  zeroMacs: number;
}

export interface WorkloadTotals extends Totals {
  parts: Record<string, Totals>;
  paths: { encode: Totals; decode: Totals };
}

const add = (t: Totals, l: WorkloadLayer) => {
  t.params += l.params;
  t.macs += l.macs;
  t.zeroMacs += l.zeroMacs;
};
const zero = (): Totals => ({ params: 0, macs: 0, zeroMacs: 0 });

/** Totals per part (in model order) and per path. */
export function workloadTotals(w: Workload): WorkloadTotals {
  const t: WorkloadTotals = { ...zero(), parts: {}, paths: { encode: zero(), decode: zero() } };
  for (const l of w.layers) {
    add(t, l);
    add((t.parts[l.part] ??= zero()), l);
    if (l.encode) add(t.paths.encode, l);
    if (l.decode) add(t.paths.decode, l);
  }
  return t;
}

/** Layers a path runs, in model order. */
export function pathLayers(w: Workload, path: 'encode' | 'decode'): WorkloadLayer[] {
  return w.layers.filter((l) => l[path]);
}
