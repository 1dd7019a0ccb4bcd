import type { Lowered } from '../cost/lower.js';
import type { WorkloadLayer } from '../workload/types.js';
import type { EngineGeom } from './engine.js';

/** Zero rows/columns before the input (conv), or P of o = i·s + k − P (transposed conv): PyTorch / TensorFlow "same". */
export function padding(l: WorkloadLayer): [number, number] {
  const L = l.layer;
  const [kh, kw] = L.kernel!;
  const [sh, sw] = L.stride!;
  if (l.op === 'conv' || l.op === 'masked_conv') {
    if (L.padding === 'same') {
      return [Math.floor(Math.max((l.outH - 1) * sh + kh - l.inH, 0) / 2), Math.floor(Math.max((l.outW - 1) * sw + kw - l.inW, 0) / 2)];
    }
    return (L.padding as [number, number] | undefined) ?? [0, 0];
  }
  if (L.padding === 'same') return [Math.floor(Math.max(kh - sh, 0) / 2), Math.floor(Math.max(kw - sw, 0) / 2)];
  return (L.padding as [number, number] | undefined) ?? [0, 0];
}

const GDN_OPS = new Set(['gdn', 'igdn', 'gdn_simplified', 'igdn_simplified']);

/**
 * A MAC layer's loop nest on the engine. Convolutions and transposed convolutions keep their real geometry
 * (padding, sub-pixel phases); every other MAC op runs as a 1×1 product over its lowered R×C grid.
 */
export function engineGeom(l: WorkloadLayer, lw: Lowered, deconv: 'subpixel' | 'zero-insert', fused: { storeReads?: boolean; shuffle?: number } = {}): EngineGeom {
  const gdn = GDN_OPS.has(l.op);
  const passes = l.op === 'gdn' || l.op === 'igdn' ? 2 : 1;
  const storeReads = gdn || !!fused.storeReads;
  const shuffle = fused.shuffle ?? 1;
  // One literal (no spread) for every kind: the search's hot loops then see a single object shape.
  if ((l.op === 'conv' || l.op === 'masked_conv' || l.op === 'deconv') && l.layer.kernel) {
    const [kh, kw] = l.layer.kernel;
    const [sh, sw] = l.layer.stride!;
    const [pt, pl] = padding(l);
    const kind = l.op === 'deconv' ? deconv : 'conv';
    return geom(lw, passes, storeReads, shuffle, kind, l.inH, l.inW, kh, kw, sh, sw, pt, pl, l.outH, l.outW);
  }
  return geom(lw, passes, storeReads, shuffle, 'pointwise', lw.R, lw.C, 1, 1, 1, 1, 0, 0, lw.R, lw.C);
}

function geom(lw: Lowered, passes: number, storeReads: boolean, shuffle: number, kind: EngineGeom['kind'], ih: number, iw: number, kh: number, kw: number, sh: number, sw: number, pt: number, pl: number, oh: number, ow: number): EngineGeom {
  return { groups: lw.groups, N: lw.N, M: lw.M, passes, storeReads, shuffle, kind, ih, iw, kh, kw, sh, sw, pt, pl, oh, ow };
}
