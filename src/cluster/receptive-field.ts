import type { ResolvedLayer, ResolvedModel } from '../workload/types.js';

/**
 * Receptive field of a model's outputs in image pixels, from the layer descriptors (Araujo et al.,
 * "Computing receptive fields of convolutional neural networks", Distill 2019): along a chain, a layer of
 * kernel k, dilation d and stride s grows the field by (k − 1)·d·j and multiplies the jump j (image pixels
 * between neighbouring outputs) by s. A transposed convolution of stride s reads ⌈k/s⌉ inputs per output
 * (its phase decomposition) and divides the jump by s; pixel (un)shuffle divides (multiplies) the jump.
 * Window attention mixes a whole window of w tokens: it grows the field by (w − 1)·j. Where a layer reads
 * several tensors the widest field is taken. A fully connected layer sees everything: the field is infinite.
 */

export interface Field { rf: number; jump: number }

function grow(l: ResolvedLayer, f: Field): Field {
  const d = l.dilation?.[0] ?? 1;
  switch (l.op) {
    case 'conv':
    case 'masked_conv':
    case 'maxpool':
    case 'avgpool': {
      const k = l.kernel?.[0] ?? 1;
      const s = l.stride?.[0] ?? 1;
      return { rf: f.rf + (k - 1) * d * f.jump, jump: f.jump * s };
    }
    case 'deconv': {
      const k = l.kernel?.[0] ?? 1;
      const s = l.stride?.[0] ?? 1;
      return { rf: f.rf + (Math.ceil(k / s) - 1) * f.jump, jump: f.jump / s };
    }
    case 'pixel_shuffle':
      return { rf: f.rf, jump: f.jump / (l.factor ?? 1) };
    case 'pixel_unshuffle':
      return { rf: f.rf + ((l.factor ?? 1) - 1) * f.jump, jump: f.jump * (l.factor ?? 1) };
    case 'matmul':
      // Q·Kᵀ mixes the window; A·V reads those scores, so the window is counted once.
      if (!l.window) return { rf: Infinity, jump: f.jump };
      return l.form === 'av' ? f : { rf: f.rf + (l.window - 1) * f.jump, jump: f.jump };
    case 'fc':
      return { rf: Infinity, jump: f.jump };
    default:
      return f;
  }
}

/** Field of each part's output, for the parts named (in model order); parts read earlier parts or the image. */
export function partFields(m: ResolvedModel, parts?: string[]): Map<string, Field> {
  const out = new Map<string, Field>([['image', { rf: 1, jump: 1 }]]);
  const wanted = parts ? new Set(parts) : undefined;
  for (const p of m.parts) {
    if (wanted && !wanted.has(p.base)) continue;
    const ins = p.input.map((t) => out.get(t.from)).filter((x): x is Field => !!x);
    if (!ins.length) continue;
    const f0 = ins.reduce((a, b) => (b.rf > a.rf ? b : a));
    const at = new Map<string, Field>([['@input', f0]]);
    let last = f0;
    for (const l of p.layers) {
      const fs = l.inputs.map((r) => at.get(r) ?? f0);
      const fin = fs.reduce((a, b) => (b.rf > a.rf ? b : a));
      last = grow(l, fin);
      at.set(l.name, last);
    }
    out.set(p.id, last);
  }
  out.delete('image');
  return out;
}

/**
 * The receptive field a tile's halo must cover: every part of the path ("path": tiles then give exactly
 * the whole image's latents and hyper-latents) or only the parts that read the image ("analysis").
 */
export function receptiveField(m: ResolvedModel, path: 'encode' | 'decode', scope: 'path' | 'analysis'): number {
  const fields = partFields(m, m.paths[path]);
  const analysis = new Set(m.parts.filter((p) => p.input.some((t) => t.from === 'image')).map((p) => p.id));
  let rf = 1;
  for (const [id, f] of fields) if (scope === 'path' || analysis.has(id)) rf = Math.max(rf, f.rf);
  return rf;
}

/**
 * Halo rows at each interior edge of a strip: half the field beyond the centre pixel, rounded up to the
 * strip alignment so that strips start on the latent grid.
 */
export function haloRows(rf: number, rowMultiple: number): number {
  if (!Number.isFinite(rf)) return Infinity;
  return Math.ceil(Math.ceil((rf - 1) / 2) / rowMultiple) * rowMultiple;
}
