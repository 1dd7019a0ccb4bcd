import type { EmitIR, Step, TensorShape } from './ir.js';
import type { LayerParams } from './params.js';
import type { Tensors } from './reference.js';
import { gdnTables } from './quant.js';

/** Everything a template writer needs: the IR, the seeded parameters and the reference tensors. */
export interface Built {
  ir: EmitIR;
  params: Map<string, LayerParams>;
  tensors: Tensors;
  /** Top function and project (component) names, both C identifiers. */
  top: string;
  name: string;
  banner: string;
}

/** Relative path → contents. */
export type Files = Map<string, string | Uint8Array>;

/** What a template writer adds, and how the project files list its sources. */
export interface TemplateOutput {
  /** Synthesised sources (.cpp) and their headers, relative to the project root. */
  synth: string[];
  headers: string[];
  /** Testbench sources and headers, and the data files it reads. */
  tb: string[];
  data: string[];
  /** The kernel's interface for tiling.json. */
  summary: Record<string, unknown>;
  /** README sections: the interface, the data files, the limits of this template. */
  readme: { interface: string; data: string; limits: string };
}

export const bytesOf = (a: Int8Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export function int32Bytes(a: Int32Array | number[]): Uint8Array {
  const out = new Uint8Array(a.length * 4);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) dv.setInt32(4 * i, a[i], true);
  return out;
}

export const elems = (s: TensorShape) => s.c * s.h * s.w;

/** C array initialiser text, 24 values a line. */
export function cArray(values: ArrayLike<number>, indent = '  '): string {
  const lines: string[] = [];
  for (let i = 0; i < values.length; i += 24) {
    const row: string[] = [];
    for (let j = i; j < Math.min(values.length, i + 24); j++) row.push(String(values[j]));
    lines.push(indent + row.join(', ') + (i + 24 < values.length ? ',' : ''));
  }
  return lines.join('\n');
}

export function tablesHeader(banner: string): string {
  const t = gdnTables();
  return `// ${banner}
// Fixed-point tables of the integer GDN/IGDN (see lic_quant.h): RSQRT[m-128] = floor(2^15/sqrt(m)) and
// SQRT[m-128] = floor(256*sqrt(m)) for m in [128, 512); RECIP[m-256] = floor(2^23/m) for m in [256, 512).
// Built with exact integer square roots by lic-dse.
#ifndef LIC_TABLES_H
#define LIC_TABLES_H

#include <cstdint>

static const uint16_t LIC_RSQRT[384] = {
${cArray(t.rsqrt)}
};

static const uint16_t LIC_SQRT[384] = {
${cArray(t.sqrt)}
};

static const uint16_t LIC_RECIP[256] = {
${cArray(t.recip)}
};

#endif  // LIC_TABLES_H
`;
}

/** Human description of a step, for comments and the README. */
export function stepText(s: Step): string {
  const l = s.layer;
  const fused = s.fused.length ? ` + ${s.fused.join(' + ')}` : '';
  if (s.kind === 'conv' || s.kind === 'deconv') {
    const how = s.kind === 'deconv' ? ` ${s.deconv}` : '';
    return `${s.id} ${s.kind}${how} ${l.in.c}->${l.out.c} ${l.in.h}x${l.in.w}->${l.out.h}x${l.out.w} k${l.kh}x${l.kw} s${l.sh}x${l.sw} shift ${l.shift}${fused}`;
  }
  if (s.kind === 'add') return `${s.id} add ${s.inputs.join(' + ')}`;
  return `${s.id} ${s.kind === 'unary' ? l.op : s.kind} ${l.in.c}x${l.in.h}x${l.in.w}${fused}`;
}
