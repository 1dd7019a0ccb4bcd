import type { LayerSpec, ModelFile, PartSpec } from '../schema.js';
import type { Conversion, ImportedLayer } from './convert.js';

/** The module scope of a node name as PyTorch's exporter writes it: "/g_a/g_a.0/Conv" → "g_a"; top level → undefined. */
function scopeOf(node: string): string | undefined {
  const parts = node.split('/').filter(Boolean);
  return node.startsWith('/') && parts.length > 1 ? parts[0] : undefined;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Group layers into parts by top-level module (g_a, h_a, h_s, g_s for a CompressAI-style codec) when every part
 * then reads exactly one tensor: the image or the output of an earlier part (lic-dse's part model). Otherwise one
 * part holds the whole graph.
 */
export function groupParts(layers: ImportedLayer[]): Map<string, string> {
  const consumers = new Map<string, ImportedLayer[]>();
  for (const l of layers) for (const i of l.inputs) (consumers.get(i) ?? consumers.set(i, []).get(i)!).push(l);
  const part = new Map<string, string | undefined>(layers.map((l) => [l.id, scopeOf(l.nodes[0])]));
  // Top-level nodes (torch.abs(y) in a forward) join the part of the layer that reads them, else of their input.
  for (const l of [...layers].reverse()) {
    if (part.get(l.id)) continue;
    const c = (consumers.get(l.id) ?? []).map((x) => part.get(x.id)).find(Boolean);
    part.set(l.id, c);
  }
  for (const l of layers) if (!part.get(l.id)) part.set(l.id, l.inputs.map((i) => part.get(i)).find(Boolean));
  const single = new Map(layers.map((l) => [l.id, 'main']));
  const names = [...new Set(layers.map((l) => part.get(l.id)))];
  if (names.length < 2 || names.some((n) => !n || !IDENT.test(n) || n === 'image')) return single;
  const order = new Map(names.map((n, k) => [n!, k]));
  const lastOf = new Map<string, string>();
  for (const l of layers) lastOf.set(part.get(l.id)!, l.id);
  for (const n of names) {
    const mine = layers.filter((l) => part.get(l.id) === n);
    const ext = new Set(mine.flatMap((l) => l.inputs).filter((i) => part.get(i) !== n));
    if (ext.size !== 1) return single;
    const [src] = [...ext];
    if (src === '@image') continue;
    const sp = part.get(src)!;
    if (lastOf.get(sp) !== src || order.get(sp)! >= order.get(n!)!) return single;
  }
  return new Map(layers.map((l) => [l.id, part.get(l.id)!]));
}

const pair = (p: [number, number]) => (p[0] === p[1] ? p[0] : p);

function layerName(id: string, part: string): string {
  let s = id.startsWith('/') ? id.slice(1) : id;
  if (part !== 'main' && s.startsWith(`${part}/`)) s = s.slice(part.length + 1);
  if (part !== 'main' && s.startsWith(`${part}.`)) s = s.slice(part.length + 1);
  return s || id;
}

function layerSpec(l: ImportedLayer, name: string, input: string | string[] | undefined): LayerSpec {
  const r = l.layer;
  const o: Record<string, unknown> = { name, op: l.op };
  if (input !== undefined) o.input = input;
  switch (l.op) {
    case 'conv':
    case 'deconv':
      Object.assign(o, {
        cout: r.cout, kernel: pair(r.kernel!), stride: pair(r.stride!),
        padding: r.padding === 'same' ? 'same' : pair(r.padding!), dilation: pair(r.dilation!), groups: r.groups, bias: r.bias,
      });
      if (l.op === 'deconv') o.outputPadding = pair(r.outputPadding!);
      break;
    case 'maxpool':
    case 'avgpool':
      Object.assign(o, { kernel: pair(r.kernel!), stride: pair(r.stride!), padding: r.padding === 'same' ? 'same' : pair(r.padding!), ceilMode: r.ceilMode });
      break;
    case 'leaky_relu':
      o.slope = Number(r.slope!.toPrecision(6));
      break;
    case 'slice':
      Object.assign(o, { start: r.start, end: r.end });
      break;
    case 'pixel_shuffle':
    case 'pixel_unshuffle':
      o.factor = r.factor;
      break;
    case 'linear':
    case 'fc':
      Object.assign(o, { cout: r.cout, bias: r.bias });
      break;
    case 'matmul':
      Object.assign(o, { form: r.form, dim: r.dim, heads: r.heads, window: r.window, relativePositionBias: !!r.relativePositionBias });
      break;
    default:
  }
  return o as LayerSpec;
}

const DECODE_ONLY = /^(g_s|decoder|dec|synthesis)/i;
const ENCODE_ONLY = /^(g_a|h_a|encoder|enc|analysis)/i;

export interface AssembleInfo {
  name: string;
  title: string;
  reference: ModelFile['reference'];
  notes: string[];
}

/** The lic-dse model descriptor of a converted graph. */
export function assemble(conv: Conversion, info: AssembleInfo): ModelFile {
  const partOf = groupParts(conv.layers);
  const partNames = [...new Set(conv.layers.map((l) => partOf.get(l.id)!))];
  const parts: PartSpec[] = partNames.map((pn) => {
    const mine = conv.layers.filter((l) => partOf.get(l.id) === pn);
    const names = new Map<string, string>();
    const used = new Set<string>();
    for (const l of mine) {
      let n = layerName(l.id, pn);
      for (let k = 2; used.has(n); k++) n = `${layerName(l.id, pn)}_${k}`;
      used.add(n);
      names.set(l.id, n);
    }
    const ext = mine.flatMap((l) => l.inputs).find((i) => partOf.get(i) !== pn) ?? '@image';
    const ref = (i: string) => (partOf.get(i) === pn ? names.get(i)! : '@input');
    const layers = mine.map((l, k) => {
      const prev = k === 0 ? '@input' : names.get(mine[k - 1].id)!;
      const ins = l.inputs.map(ref);
      const needsList = ['add', 'mul', 'concat'].includes(l.op);
      const input = needsList ? ins : ins[0] === prev ? undefined : ins[0];
      return layerSpec(l, names.get(l.id)!, input);
    });
    return { name: pn, input: [{ from: ext === '@image' ? 'image' : partOf.get(ext)!, offset: 0 }], layers, schedule: 'parallel' };
  });
  // CompressAI naming: the entropy coder codes y (g_a's output) and z (h_a's output).
  const latents = partNames.includes('g_a') && partNames.includes('h_a') ? ['g_a', 'h_a'] : undefined;
  const encode = partNames.filter((n) => !DECODE_ONLY.test(n));
  const decode = partNames.filter((n) => !ENCODE_ONLY.test(n));
  return {
    schema: 'lic-dse/model@1',
    name: info.name,
    title: info.title,
    reference: info.reference,
    params: {},
    derived: {},
    variants: {},
    image: { channels: conv.image.c },
    paths: { encode: encode.length ? encode : partNames, decode: decode.length ? decode : partNames },
    ...(latents ? { latents } : {}),
    parts,
    notes: info.notes,
  };
}
