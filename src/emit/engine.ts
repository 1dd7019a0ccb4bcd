import { UserError } from '../errors.js';
import type { EngineSpec } from '../mapping/schema.js';
import { bytesOf, elems, int32Bytes, stepText, tablesHeader, type Built, type Files, type TemplateOutput } from './common.js';
import { INPUT, isMacOp, type Step } from './ir.js';
import { commentSafe, render, templateText } from './templates.js';

/** Kind codes of hls-templates/engine/lic_layer.h. */
const KIND: Record<string, number> = {
  conv: 0, 'deconv:subpixel': 1, 'deconv:zero-insert': 2, gdn: 3, igdn: 4, gdn_simplified: 5, igdn_simplified: 6,
  add: 7, pixel_shuffle: 8, unary: 9,
};
const K_SP = 1;
const K_ZI = 2;
const K_GDN = 3;

const cdiv = (a: number, b: number) => Math.ceil(a / b);
const align = (n: number) => Math.ceil(n / 64) * 64;
const kindOf = (s: Step) => KIND[s.kind === 'deconv' ? `deconv:${s.deconv}` : s.kind];

interface Geometry {
  kind: number;
  kh: number; kw: number; sh: number; sw: number; pt: number; pl: number;
  gy0: number; gx0: number; gr: number; gc: number;
}

function geometry(s: Step): Geometry {
  const l = s.layer;
  const kind = kindOf(s);
  if (kind >= K_GDN) return { kind, kh: 1, kw: 1, sh: 1, sw: 1, pt: 0, pl: 0, gy0: 0, gx0: 0, gr: l.out.h, gc: l.out.w };
  const g = { kind, kh: l.kh, kw: l.kw, sh: l.sh, sw: l.sw, pt: l.padT, pl: l.padL, gy0: 0, gx0: 0, gr: l.out.h, gc: l.out.w };
  if (kind === K_SP) {
    // Grid positions b = ⌊(o + P)/s⌋ of every output o, from ⌊P/s⌋ on.
    g.gy0 = Math.floor(l.padT / l.sh);
    g.gx0 = Math.floor(l.padL / l.sw);
    g.gr = Math.floor((l.out.h - 1 + l.padT) / l.sh) - g.gy0 + 1;
    g.gc = Math.floor((l.out.w - 1 + l.padL) / l.sw) - g.gx0 + 1;
  }
  return g;
}

/** window_1d of lic_engine.h: buffer coordinates a tile of n grid positions from g reads. */
function window1(kind: number, g: number, n: number, k: number, s: number, p: number, g0: number, extent: number): number {
  let lo: number;
  let hi: number;
  if (kind === 0) { lo = g * s - p; hi = (g + n - 1) * s - p + k; }
  else if (kind === K_SP) { lo = g + g0 - cdiv(k, s) + 1; hi = g + g0 + n; }
  else if (kind === K_ZI) { lo = g + p - (k - 1); hi = g + n + p; }
  else { lo = g; hi = g + n; }
  const ext = kind === K_ZI ? (extent - 1) * s + 1 : extent;
  return Math.max(0, Math.min(hi, ext) - Math.max(lo, 0));
}

/** Words per bank this layer's tiling needs in the engine's buffers (largest over its tiles). */
function needs(s: Step, g: Geometry, spec: EngineSpec) {
  const t = s.tile!;
  const l = s.layer;
  const banks = spec.poy * spec.pox;
  let hw = 0;
  let cols = 0;
  for (let gy = 0; gy < g.gr; gy += t.tr) {
    const h = window1(g.kind, gy, Math.min(t.tr, g.gr - gy), g.kh, g.sh, g.pt, g.gy0, l.in.h);
    for (let gx = 0; gx < g.gc; gx += t.tc) {
      const wl = window1(g.kind, gx, Math.min(t.tc, g.gc - gx), g.kw, g.sw, g.pl, g.gx0, l.in.w);
      hw = Math.max(hw, h * wl);
      cols = Math.max(cols, wl);
    }
  }
  const taps = g.kind >= K_GDN ? 1 : l.kh * l.kw;
  const opp = g.kind === K_SP ? l.sh * l.sw : 1;
  return {
    in: cdiv(t.tn, spec.pif) * cdiv(hw, banks),
    w: cdiv(t.tm, spec.pof) * cdiv(t.tn, spec.pif) * taps,
    out: cdiv(t.tm, spec.pof) * cdiv(t.tr, spec.poy) * cdiv(t.tc, spec.pox) * opp,
    inCols: cols,
  };
}

interface Ports {
  params: string;
  args: (act: string, w: string, b: string) => string;
  interface: string;
  macros: string;
}

/** Pointer arguments, bundles and access macros for the AXI ports the point asks for. */
function ports(spec: EngineSpec): Ports {
  const n = { rd: spec.ports.read, w: spec.ports.weight, wr: spec.ports.write };
  for (const [k, v] of Object.entries(n)) if (v > 16) throw new UserError(`${v} ${k} ports: the emitter writes at most 16 AXI ports per role`, { field: 'engine.ports' });
  const names = (p: string, k: number) => Array.from({ length: k }, (_, i) => `${p}${i}`);
  const rd = names('rd', n.rd);
  const w = names('w', n.w);
  const wr = names('wr', n.wr);
  const bundle = (role: string, i: number, count: number) => (count === 1 ? `gmem_${role}` : `gmem_${role}${i}`);
  const sel = (list: string[], port: string, access: (p: string) => string): string =>
    list.length === 1 ? `((void)(${port}), ${access(list[0])})` : list.slice(1).reduceRight((acc, p, i) => `((${port}) == ${i + 1} ? ${access(p)} : ${acc})`, access(list[0]));
  const wrSel = wr.length === 1
    ? 'do { (void)(port); wr0[(a)] = (v); } while (0)'
    : `do { ${wr.map((p, i) => `${i ? 'else ' : ''}${i < wr.length - 1 ? `if ((port) == ${i}) ` : ''}${p}[(a)] = (v);`).join(' ')} } while (0)`;
  const macros = [
    `#define LIC_RD_PORTS ${n.rd}`,
    `#define LIC_W_PORTS ${n.w}`,
    `#define LIC_WR_PORTS ${n.wr}`,
    `#define LIC_RD_PARAMS ${rd.map((p) => `const lic::act_t* ${p}`).join(', ')}`,
    `#define LIC_RD_ARGS ${rd.join(', ')}`,
    `#define LIC_W_PARAMS ${w.map((p) => `const lic::wgt_t* ${p}`).join(', ')}`,
    `#define LIC_W_ARGS ${w.join(', ')}`,
    `#define LIC_WR_PARAMS ${wr.map((p) => `lic::act_t* ${p}`).join(', ')}`,
    `#define LIC_WR_ARGS ${wr.join(', ')}`,
    `#define LIC_RD(port, a) ${sel(rd, 'port', (p) => `${p}[(a)]`)}`,
    `#define LIC_W(port, a) ${sel(w, 'port', (p) => `${p}[(a)]`)}`,
    `#define LIC_WR(port, a, v) ${wrSel}`,
  ].join('\n');
  const m = (port: string, b: string, depth: string) => `  LIC_PRAGMA(HLS INTERFACE m_axi port=${port} bundle=${b} offset=slave depth=${depth} max_widen_bitwidth=LIC_AXI_BITS)`;
  const iface = [
    ...rd.map((p, i) => m(p, bundle('rd', i, n.rd), 'LIC_ACT_WORDS')),
    ...w.map((p, i) => m(p, bundle('w', i, n.w), 'LIC_W_WORDS')),
    m('bias', bundle('w', 0, n.w), 'LIC_B_WORDS'),
    ...wr.map((p, i) => m(p, bundle('wr', i, n.wr), 'LIC_ACT_WORDS')),
  ].join('\n');
  return {
    params: [...rd.map((p) => `const lic::act_t* ${p}`), ...w.map((p) => `const lic::wgt_t* ${p}`), 'const lic::acc_t* bias', ...wr.map((p) => `lic::act_t* ${p}`)].join(', '),
    args: (act, wt, b) => [...rd.map(() => act), ...w.map(() => wt), b, ...wr.map(() => act)].join(', '),
    interface: iface,
    macros,
  };
}

/** The engine project's kernel, header, testbench and data. */
export function engineProject(b: Built, spec: EngineSpec, files: Files): TemplateOutput {
  const { ir } = b;
  // Memories: activations (input, then every step's output), weights, biases; 64-element alignment.
  const actOff = new Map<string, number>([[INPUT, 0]]);
  let act = align(elems(ir.input));
  for (const s of ir.steps) {
    if (!actOff.has(s.output)) {
      actOff.set(s.output, act);
      act += align(elems(s.outShape));
    }
  }
  const wOff = new Map<string, number>();
  const bOff = new Map<string, number>();
  let w = 0;
  let bw = 0;
  const wParts: Uint8Array[] = [];
  const bParts: number[] = [];
  for (const s of ir.steps) {
    if (!isMacOp(s.kind)) continue;
    const p = b.params.get(s.id)!;
    wOff.set(s.id, w);
    const wb = bytesOf(p.weights!);
    wParts.push(wb, new Uint8Array(align(wb.length) - wb.length));
    w += align(wb.length);
    bOff.set(s.id, bw);
    const bias = Array.from(p.bias!);
    while (bias.length % 16) bias.push(0);
    bParts.push(...bias);
    bw += bias.length;
  }
  const weights = new Uint8Array(w);
  let at = 0;
  for (const part of wParts) { weights.set(part, at); at += part.length; }

  const rows: string[] = [];
  const consts: string[] = [];
  const checks: string[] = [];
  const max = { inCols: 1, taps: 1, colBlocks: 1, inTiles: 1, colTiles: 1, tensor: 1 };
  ir.steps.forEach((s, i) => {
    const l = s.layer;
    const kind = kindOf(s);
    consts.push(`constexpr int L_${s.cname} = ${i};`);
    const out = s.outShape;
    const inOff = actOff.get(s.inputs[0])!;
    const addOff = s.kind === 'add' ? actOff.get(s.inputs[1])! : s.addFrom ? actOff.get(s.addFrom)! : -1;
    const outOff = actOff.get(s.output)!;
    max.tensor = Math.max(max.tensor, elems(out));
    let g: Geometry = { kind, kh: 1, kw: 1, sh: 1, sw: 1, pt: 0, pl: 0, gy0: 0, gx0: 0, gr: 0, gc: 0 };
    let t = { tn: 0, tm: 0, tr: 0, tc: 0 };
    if (isMacOp(s.kind)) {
      g = geometry(s);
      t = s.tile!;
      const nd = needs(s, g, spec);
      if (t.tn > spec.tif || t.tm > spec.tof || nd.in > spec.inBufDepth || nd.w > spec.wBufDepth || nd.out > spec.outBufDepth) {
        throw new UserError(`layer ${s.id}: tile tn=${t.tn} tm=${t.tm} tr=${t.tr} tc=${t.tc} needs ${nd.in}/${nd.w}/${nd.out} words per bank (in/weights/out) but the buffers hold ${spec.inBufDepth}/${spec.wBufDepth}/${spec.outBufDepth} (tif ${spec.tif}, tof ${spec.tof})`, { field: `engine.layers.${s.id}` });
      }
      max.inCols = Math.max(max.inCols, nd.inCols);
      max.taps = Math.max(max.taps, kind >= K_GDN ? 1 : l.kh * l.kw);
      max.colBlocks = Math.max(max.colBlocks, cdiv(t.tc, spec.pox));
      max.inTiles = Math.max(max.inTiles, cdiv(l.in.c, t.tn) + 1);
      max.colTiles = Math.max(max.colTiles, cdiv(g.gc, t.tc));
    }
    const shuffle = s.kind === 'pixel_shuffle' ? l.factor : s.shuffle;
    const hasBias = isMacOp(s.kind) ? (kind >= K_GDN || l.bias ? 1 : 0) : 0;
    const fields = [
      kind, l.in.c, l.in.h, l.in.w, l.out.c, l.out.h, l.out.w,
      g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.gy0, g.gx0, g.gr, g.gc,
      t.tn, t.tm, t.tr, t.tc,
      l.shift, s.act, s.slopeQ8, hasBias, shuffle,
      inOff, addOff, outOff, wOff.get(s.id) ?? 0, bOff.get(s.id) ?? 0,
      out.c, out.h, out.w,
    ];
    rows.push(`    // ${i}: ${commentSafe(stepText(s))}${isMacOp(s.kind) ? ` | tile tn${t.tn} tm${t.tm} tr${t.tr} tc${t.tc}` : ''}`);
    rows.push(`    {${fields.join(', ')}},`);
    checks.push(`      {"${s.cname}", "golden_${s.cname}.bin", ${outOff}, ${out.c}, ${out.h}, ${out.w}},`);
  });

  const pt = ports(spec);
  const tiling = `// ${b.banner}
// Engine configuration of this design point: the unroll, the buffer depths and, per layer, the shape, tile,
// requantisation and memory offsets. Generated by lic-dse from tiling.json; edit the point and re-emit.
#ifndef LIC_TILING_H
#define LIC_TILING_H

#include "lic_layer.h"
#include "lic_quant.h"

// MAC array: input channels x output channels x output rows x output columns.
#define LIC_PIF ${spec.pif}
#define LIC_POF ${spec.pof}
#define LIC_POY ${spec.poy}
#define LIC_POX ${spec.pox}
// Channel capacity of the tile buffers and words per bank (input: POY*POX banks, weights: POF, output: POY*POX).
#define LIC_TIF ${spec.tif}
#define LIC_TOF ${spec.tof}
#define LIC_IN_DEPTH ${spec.inBufDepth}
#define LIC_W_DEPTH ${spec.wBufDepth}
#define LIC_OUT_DEPTH ${spec.outBufDepth}
#define LIC_W_IMPL ${spec.weightsInUram ? 'uram' : 'bram'}
#define LIC_AXI_BITS ${spec.ports.widthBits}

// Memories (elements): activations (input at LIC_INPUT_OFF, then every layer's output), weights, biases.
#define LIC_NUM_LAYERS ${ir.steps.length}
#define LIC_ACT_WORDS ${act}
#define LIC_INPUT_OFF 0
#define LIC_INPUT_WORDS ${elems(ir.input)}
#define LIC_W_WORDS ${Math.max(64, w)}
#define LIC_B_WORDS ${Math.max(16, bw)}

// Loop trip counts for the synthesis report.
#define LIC_MAX_IN_COLS ${max.inCols}
#define LIC_MAX_TAPS ${max.taps}
#define LIC_MAX_COL_BLOCKS ${max.colBlocks}
#define LIC_MAX_IN_TILES ${max.inTiles}
#define LIC_MAX_COL_TILES ${max.colTiles}
#define LIC_MAX_TENSOR ${max.tensor}

// AXI ports: read ${spec.ports.read}, weight ${spec.ports.weight}, write ${spec.ports.write}; ${spec.ports.widthBits}-bit bursts.
${pt.macros}

namespace lic {

${consts.join('\n')}

// {kind, cin, ih, iw, cout, oh, ow, kh, kw, sh, sw, pt, pl, gy0, gx0, gr, gc, tn, tm, tr, tc,
//  shift, act, slope, has_bias, shuffle, in_off, add_off, out_off, w_off, b_off, out_c, out_h, out_w}
static const LayerCfg LAYERS[LIC_NUM_LAYERS] = {
${rows.join('\n')}
};

}  // namespace lic

#endif  // LIC_TILING_H
`;
  const wFile = new Uint8Array(Math.max(64, w));
  wFile.set(weights);
  while (bParts.length < Math.max(16, bw)) bParts.push(0);

  const top = b.top;
  files.set('src/hls_compat.h', templateText('common/hls_compat.h'));
  files.set('src/lic_quant.h', templateText('common/lic_quant.h'));
  files.set('src/lic_tables.h', tablesHeader(b.banner));
  files.set('src/lic_layer.h', templateText('engine/lic_layer.h'));
  files.set('src/lic_engine.h', templateText('engine/lic_engine.h'));
  files.set('src/tiling.h', tiling);
  files.set(`src/${top}.cpp`, render('engine/top.cpp.tmpl', {
    BANNER: b.banner, TOP: top, PARAMS: pt.params, INTERFACE: pt.interface, ARGS: 'LIC_RD_ARGS, LIC_W_ARGS, bias, LIC_WR_ARGS',
  }));
  files.set('tb/lic_tb.h', templateText('common/lic_tb.h'));
  files.set(`tb/tb_${top}.cpp`, render('engine/tb.cpp.tmpl', {
    BANNER: b.banner, TOP: top, PARAMS: pt.params, CALL_ARGS: pt.args('act.data()', 'wgt.data()', 'bias.data()'), CHECKS: checks.join('\n'),
  }));
  files.set('data/input.bin', bytesOf(b.tensors.get(INPUT)!));
  files.set('data/weights.bin', wFile);
  files.set('data/bias.bin', int32Bytes(bParts));
  const data = ['data/input.bin', 'data/weights.bin', 'data/bias.bin'];
  for (const s of ir.steps) {
    files.set(`data/golden_${s.cname}.bin`, bytesOf(b.tensors.get(s.output)!));
    data.push(`data/golden_${s.cname}.bin`);
  }
  return {
    synth: [`src/${top}.cpp`],
    headers: ['src/hls_compat.h', 'src/lic_quant.h', 'src/lic_tables.h', 'src/lic_layer.h', 'src/lic_engine.h', 'src/tiling.h'],
    tb: [`tb/tb_${top}.cpp`, 'tb/lic_tb.h'],
    data,
    summary: {
      interface: `${top}(${pt.params}, int first, int last)`,
      memories: { activationWords: act, weightWords: wFile.length, biasWords: bParts.length },
      offsets: Object.fromEntries([...actOff].map(([k, v]) => [k, v])),
    },
    readme: {
      interface: [
        '```c++',
        `extern "C" void ${top}(${pt.params}, int first, int last);`,
        '```',
        '',
        `One call runs layers \`first\`..\`last\` of the table in \`src/tiling.h\` (${ir.steps.length} layers) on one MAC array of`,
        `${spec.pif}×${spec.pof}×${spec.poy}×${spec.pox} lanes (input channels × output channels × output rows × output columns).`,
        'Activations live in one memory: the input at offset 0, then every layer\'s output at the offsets of `tiling.h`;',
        `the read port(s) (\`rd*\`, bundle${spec.ports.read > 1 ? 's `gmem_rd0`…' : ' `gmem_rd`'}) and the write port(s) (\`wr*\`) both point at it.`,
        'Weights (`w*`) and biases (`bias`) have their own memories and bundle. Control is AXI-Lite (`s_axilite`).',
        'The testbench calls the kernel once per layer, so C/RTL co-simulation sees each layer\'s writes before the',
        'next layer reads them; on the board one call with first = 0, last = LIC_NUM_LAYERS − 1 does the same.',
        '',
        'Each layer\'s output tiles are computed over ⌈C_in/tn⌉ input tiles that stream through ping-pong input and',
        'weight buffers (the next tile loads while the current one computes); accumulators sit in ping-pong output',
        'buffers. Element-wise layers are folded into the store of the layer that produces their input (activation,',
        'pixel shuffle, residual add) where that is exact; the rest run as element-wise passes over memory.',
      ].join('\n'),
      data: [
        ' (at offset 0 of the activation memory); `data/weights.bin` is the weight memory',
        '(int8: conv weights [C_out][C_in][k_h][k_w], transposed conv [C_in][C_out][k_h][k_w] as PyTorch stores them,',
        'GDN gamma [C][C], each block at the `w_off` of its layer, 64-aligned); `data/bias.bin` is the bias memory',
        '(int32 little-endian: biases, GDN beta, at `b_off`). `data/golden_<layer>.bin` is each layer\'s expected output.',
      ].join('\n'),
      limits: [
        '- An input tile is spread over the POY×POX input banks position by position (the depth the cost model sizes);',
        '  with POY·POX > 1 the parallel reads of strided layers can meet in one bank, and synthesis may then raise the',
        '  II of the MAC loop above 1. The schedule, not the numbers, changes.',
        '- int8 only; grouped and dilated convolutions, attention and masked (context-model) layers are not emitted.',
      ].join('\n'),
    },
  };
}
