import { beatCycles } from '../arch/axi.js';
import { grid, tapList, tileDepths, weightTaps, type EngineArch } from '../arch/engine.js';
import { engineContext } from '../cost/engine-design.js';
import type { Estimate } from '../cost/types.js';
import { parsePrecision } from '../platform/precision.js';
import type { Platform } from '../platform/schema.js';
import type { CostTables } from '../platform/tables.js';
import { UserError } from '../errors.js';
import type { EngineSpec } from '../mapping/schema.js';
import { bytesOf, int32Bytes, stepText, tablesHeader, type Built, type Files, type TemplateOutput } from './common.js';
import { INPUT, isMacOp, type Step } from './ir.js';
import { commentSafe, cString, render, templateText } from './templates.js';

/** Kind codes of hls-templates/engine/lic_layer.h. */
const KIND: Record<string, number> = {
  conv: 0, 'deconv:subpixel': 1, 'deconv:zero-insert': 2, gdn: 3, igdn: 4, gdn_simplified: 5, igdn_simplified: 6,
  add: 7, pixel_shuffle: 8, unary: 9,
};
const K_GDN = 3;

const cdiv = (a: number, b: number) => Math.ceil(a / b);
/** Tensors and weight tiles start on 64-byte boundaries (the Vitis m_axi default alignment, UG1399). */
const alignBeats = (n: number, beatBytes: number) => Math.ceil((n * beatBytes) / 64) * (64 / beatBytes);
const kindOf = (s: Step) => KIND[s.kind === 'deconv' ? `deconv:${s.deconv}` : s.kind];

/** A CHW int8 tensor in the channel-blocked layout: [⌈C/L⌉][H][W] beats of L channels (zero lanes past C). */
export function blockChannels(t: Int8Array, c: number, h: number, w: number, L: number): Int8Array {
  const out = new Int8Array(cdiv(c, L) * h * w * L);
  for (let ch = 0; ch < c; ch++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) out[((Math.floor(ch / L) * h + y) * w + x) * L + (ch % L)] = t[(ch * h + y) * w + x];
    }
  }
  return out;
}

/** One layer's weights in the order the kernel loads them: per (m-tile, n-tile) block, rows (mb, nb, tap) of POF×PIF. */
function tileWeights(s: Step, w: Int8Array, arch: EngineArch, rowBeats: number, block: number, nt: number, mtiles: number): Int8Array {
  const l = s.layer;
  const t = s.tile!;
  const g = s.geom!;
  const wt = weightTaps(g);
  const L = arch.L;
  const out = new Int8Array(mtiles * nt * block * L);
  const deconv = s.kind === 'deconv';
  const cin = l.in.c;
  const cout = l.out.c;
  for (let mt = 0; mt < mtiles; mt++) {
    const m0 = mt * t.tm;
    const tm = Math.min(t.tm, cout - m0);
    for (let ntile = 0; ntile < nt; ntile++) {
      const n0 = ntile * t.tn;
      const tn = Math.min(t.tn, cin - n0);
      const base = (mt * nt + ntile) * block * L;
      const nbk = cdiv(tn, arch.pif);
      let row = 0;
      for (let mb = 0; mb < cdiv(tm, arch.pof); mb++) {
        for (let nb = 0; nb < nbk; nb++) {
          for (let k = 0; k < wt; k++, row++) {
            for (let pm = 0; pm < arch.pof; pm++) {
              for (let q = 0; q < arch.pif; q++) {
                const m = mb * arch.pof + pm;
                const n = nb * arch.pif + q;
                if (m >= tm || n >= tn) continue;
                const M = m0 + m;
                const N = n0 + n;
                // conv [cout][cin][kh][kw]; transposed conv [cin][cout][kh][kw]; GDN gamma [c][c].
                const src = deconv ? (N * cout + M) * wt + k : (M * cin + N) * wt + k;
                out[base + row * rowBeats * L + pm * arch.pif + q] = w[src];
              }
            }
          }
        }
      }
    }
  }
  return out;
}

interface Ports {
  params: string;
  args: (act: string, w: string, b: string) => string;
  interface: string;
}

/** The engine's four m_axi ports: activations in (loads), weights+biases, activations out, and the store's re-reads. */
function ports(spec: EngineSpec): Ports {
  for (const [k, v] of Object.entries({ read: spec.ports.read, weight: spec.ports.weight, write: spec.ports.write })) {
    if (v !== 1) throw new UserError(`${v} ${k} ports: the engine kernel has one port per role (loads, weights, stores, store re-reads)`, { field: 'engine.ports' });
  }
  const m = (port: string, b: string, depth: string) => `  LIC_PRAGMA(HLS INTERFACE m_axi port=${port} bundle=${b} offset=slave depth=${depth} max_read_burst_length=LIC_MAX_BURST max_write_burst_length=LIC_MAX_BURST num_read_outstanding=LIC_OUTSTANDING num_write_outstanding=LIC_OUTSTANDING latency=LIC_AXI_LATENCY)`;
  return {
    params: 'const lic::beat_t* rd, const lic::wbeat_t* w, const lic::bbeat_t* bias, const lic::beat_t* aux, lic::beat_t* wr',
    args: (act, wt, b) => `${act}, ${wt}, ${b}, ${act}, ${act}`,
    interface: [
      m('rd', 'gmem_rd', 'LIC_ACT_BEATS'), m('w', 'gmem_w', 'LIC_W_BEATS'), m('bias', 'gmem_w', 'LIC_B_BEATS'),
      m('aux', 'gmem_aux', 'LIC_ACT_BEATS'), m('wr', 'gmem_wr', 'LIC_ACT_BEATS'),
    ].join('\n'),
  };
}

/** What the engine writer needs beyond the IR: the estimate it prints beside the counts, and the board. */
export interface EngineEmitContext {
  estimate: Estimate;
  platform: Platform;
  tables: CostTables;
  clockMHz: number;
}

/** The engine project's kernel, header, testbench and data. */
export function engineProject(b: Built, spec: EngineSpec, files: Files, ec: EngineEmitContext): TemplateOutput {
  const { ir } = b;
  const ctx = engineContext(spec, parsePrecision('int8'), ec.platform, ec.tables, ec.clockMHz);
  const arch = ctx.arch;
  const L = arch.L;
  if (L * 8 !== spec.ports.widthBits) throw new UserError(`layoutLanes ${L} with ${spec.ports.widthBits}-bit ports: the engine kernel reads a full beat of int8 channels (layoutLanes ${spec.ports.widthBits / 8})`, { field: 'engine.layoutLanes' });
  if (L % spec.pif !== 0) throw new UserError(`pif ${spec.pif}: the engine kernel reads PIF channels out of a ${L}-channel beat, so PIF must divide ${L}`, { field: 'engine.pif' });
  if (L < 4) throw new UserError(`${spec.ports.widthBits}-bit ports: the engine kernel needs at least 32-bit beats`, { field: 'engine.ports.widthBits' });
  const BL = L / 4;
  const beatBytes = L;
  const rowBeats = cdiv(arch.pof * arch.pif, beatBytes);
  const est = new Map(ec.estimate.layers.map((l) => [l.id, l.cycles]));

  // Activation memory (beats): the input, then every step's output, channel-blocked.
  const beatsOf = (t: { c: number; h: number; w: number }) => cdiv(t.c, L) * t.h * t.w;
  const actOff = new Map<string, number>([[INPUT, 0]]);
  let act = alignBeats(beatsOf(ir.input), beatBytes);
  for (const s of ir.steps) {
    if (!actOff.has(s.output)) {
      actOff.set(s.output, act);
      act += alignBeats(beatsOf(s.outShape), beatBytes);
    }
  }
  // Weights (beats, pre-tiled) and biases (int32, each layer's padded to whole beats).
  const wOff = new Map<string, number>();
  const bOff = new Map<string, number>();
  const wParts: Int8Array[] = [];
  const bParts: number[] = [];
  let wBeats = 0;
  const layout = new Map<string, { nt: number; block: number }>();
  for (const s of ir.steps) {
    if (!isMacOp(s.kind)) continue;
    const t = s.tile!;
    const g = s.geom!;
    const l = s.layer;
    const shuffle = s.shuffle;
    // Channel tiles hold whole beats (and, before a folded pixel shuffle, whole beats of the shuffled result).
    const mAlign = L * shuffle * shuffle;
    if (t.tn < l.in.c && t.tn % L) throw new UserError(`layer ${s.id}: tn ${t.tn} must be a multiple of the ${L} channels of a beat (or cover all ${l.in.c})`, { field: `engine.layers.${s.id}` });
    if (t.tm < l.out.c && t.tm % mAlign) throw new UserError(`layer ${s.id}: tm ${t.tm} must be a multiple of ${mAlign} channels (beats of ${L}${shuffle > 1 ? ` after the pixel shuffle ×${shuffle}` : ''}) or cover all ${l.out.c}`, { field: `engine.layers.${s.id}` });
    const d = tileDepths(arch, g, t);
    if (t.tn > spec.tif || t.tm > spec.tof || d.inDepth > spec.inBufDepth || d.wDepth > spec.wBufDepth || d.outDepth > spec.outBufDepth) {
      throw new UserError(`layer ${s.id}: tile tn=${t.tn} tm=${t.tm} tr=${t.tr} tc=${t.tc} needs ${d.inDepth}/${d.wDepth}/${d.outDepth} words per bank (in/weights/out) but the buffers hold ${spec.inBufDepth}/${spec.wBufDepth}/${spec.outBufDepth} (tif ${spec.tif}, tof ${spec.tof})`, { field: `engine.layers.${s.id}` });
    }
    const nt = cdiv(l.in.c, t.tn);
    const mtiles = cdiv(l.out.c, t.tm);
    const block = alignBeats(cdiv(t.tm, arch.pof) * cdiv(t.tn, arch.pif) * weightTaps(g) * rowBeats, beatBytes);
    layout.set(s.id, { nt, block });
    const p = b.params.get(s.id)!;
    wOff.set(s.id, wBeats);
    wParts.push(tileWeights(s, p.weights!, arch, rowBeats, block, nt, mtiles));
    wBeats += mtiles * nt * block;
    bOff.set(s.id, bParts.length);
    const bias = Array.from(p.bias!);
    while (bias.length % L) bias.push(0);
    bParts.push(...bias);
  }
  const weights = new Int8Array(Math.max(4, wBeats) * L);
  let at = 0;
  for (const part of wParts) { weights.set(part, at); at += part.length; }
  while (bParts.length < L) bParts.push(0);

  const rows: string[] = [];
  const consts: string[] = [];
  const checks: string[] = [];
  const tapRows: string[] = [];
  let maxSteps = 1;
  let maxTrips = 1;
  ir.steps.forEach((s, i) => {
    const l = s.layer;
    const kind = kindOf(s);
    consts.push(`constexpr int L_${s.cname} = ${i};`);
    const out = s.outShape;
    const inOff = actOff.get(s.inputs[0])!;
    const addOff = s.kind === 'add' ? actOff.get(s.inputs[1])! : s.addFrom ? actOff.get(s.addFrom)! : -1;
    const outOff = actOff.get(s.output)!;
    let geo = { kh: 1, kw: 1, sh: 1, sw: 1, pt: 0, pl: 0, gy0: 0, gx0: 0, gr: 0, gc: 0, my: 1, mx: 1, rows: 1, cols: 1, passes: 1, wtaps: 1 };
    let t = { tn: 0, tm: 0, tr: 0, tc: 0 };
    let tapOff = 0;
    let ntaps = 0;
    const lay = layout.get(s.id) ?? { nt: 0, block: 0 };
    if (isMacOp(s.kind)) {
      const g = s.geom!;
      const gr = grid(g);
      t = s.tile!;
      const d = tileDepths(arch, g, t);
      const taps = tapList(g);
      const seen = new Set<number>();
      tapOff = tapRows.length;
      ntaps = taps.length;
      for (const tp of taps) {
        tapRows.push(`    {${tp.wt}, ${tp.addy}, ${tp.addx}, ${tp.ph}, ${seen.has(tp.ph) ? 0 : 1}},`);
        seen.add(tp.ph);
      }
      geo = {
        kh: g.kh, kw: g.kw, sh: g.sh, sw: g.sw, pt: g.pt, pl: g.pl, gy0: gr.gy0, gx0: gr.gx0, gr: gr.gr, gc: gr.gc,
        my: g.kind === 'conv' ? g.sh : 1, mx: g.kind === 'conv' ? g.sw : 1, rows: d.rowsPerBank, cols: d.colsPerBank, passes: g.passes, wtaps: weightTaps(g),
      };
      const steps = cdiv(l.out.c, t.tm) * cdiv(gr.gr, t.tr) * cdiv(gr.gc, t.tc) * cdiv(l.in.c, t.tn);
      maxSteps = Math.max(maxSteps, steps);
      maxTrips = Math.max(maxTrips, g.passes * ntaps * cdiv(t.tm, arch.pof) * cdiv(t.tn, arch.pif) * cdiv(t.tr, arch.poy) * cdiv(t.tc, arch.pox));
    }
    const shuffle = s.kind === 'pixel_shuffle' ? l.factor : s.shuffle;
    const hasBias = isMacOp(s.kind) ? (kind >= K_GDN || l.bias ? 1 : 0) : 0;
    const fields = [
      kind, l.in.c, l.in.h, l.in.w, l.out.c, l.out.h, l.out.w,
      geo.kh, geo.kw, geo.sh, geo.sw, geo.pt, geo.pl, geo.gy0, geo.gx0, geo.gr, geo.gc,
      t.tn, t.tm, t.tr, t.tc,
      l.shift, s.act, s.slopeQ8, hasBias, shuffle,
      inOff, addOff, outOff, wOff.get(s.id) ?? 0, bOff.get(s.id) ?? 0,
      out.c, out.h, out.w,
      tapOff, ntaps, geo.wtaps, geo.passes, geo.my, geo.mx, geo.rows, geo.cols, lay.nt, lay.block,
      `${est.get(s.id) ?? 0}LL`,
    ];
    rows.push(`    // ${i}: ${commentSafe(stepText(s))}${isMacOp(s.kind) ? ` | tile tn${t.tn} tm${t.tm} tr${t.tr} tc${t.tc}` : ''}`);
    rows.push(`    {${fields.join(', ')}},`);
    checks.push(`      {"${s.cname}", "golden_${s.cname}.bin", ${outOff}, ${out.c}, ${out.h}, ${out.w}},`);
  });
  if (!tapRows.length) tapRows.push('    {0, 0, 0, 0, 1},');

  const pt = ports(spec);
  const axi = ec.platform.axi;
  const d = ctx.dramBytesPerCycle;
  const tiling = `// ${b.banner}
// Engine configuration of this design point, derived by lic-dse from the same description its cost model reads
// (src/arch/engine.ts): the unroll, the buffers, the ports, and per layer the shape, tile, taps, memory offsets.
// Generated from tiling.json; edit the point and re-emit.
#ifndef LIC_TILING_H
#define LIC_TILING_H

#include "lic_layer.h"
#include "lic_quant.h"

// MAC array: input channels x output channels x output rows x output columns.
#define LIC_PIF ${spec.pif}
#define LIC_POF ${spec.pof}
#define LIC_POY ${spec.poy}
#define LIC_POX ${spec.pox}
// DRAM layout: L channels per ${spec.ports.widthBits}-bit beat (channel-blocked); LIC_BL int32 biases per beat;
// a weight row (POF x PIF) takes LIC_ROW_BEATS beats.
#define LIC_L ${L}
#define LIC_BL ${BL}
#define LIC_ROW_BEATS ${rowBeats}
// Channel capacity of the tile buffers and words per bank (input: POY*POX banks, weights: POF, output: POY*POX).
#define LIC_TIF ${spec.tif}
#define LIC_TOF ${spec.tof}
#define LIC_IN_DEPTH ${spec.inBufDepth}
#define LIC_W_DEPTH ${spec.wBufDepth}
#define LIC_OUT_DEPTH ${spec.outBufDepth}
#define LIC_IN_IMPL ${spec.actInUram ? 'uram' : 'bram'}
#define LIC_W_IMPL ${spec.weightsInUram ? 'uram' : 'bram'}
// AXI bursts (board file "axi": ${commentSafe(ec.platform.name)}).
#define LIC_MAX_BURST ${axi.maxBurstBeats}
#define LIC_OUTSTANDING ${axi.outstanding}
#define LIC_AXI_LATENCY ${axi.latencyCycles}

// Memories: activations (beats; the input at LIC_INPUT_OFF, then every layer's output), weights (beats), biases.
#define LIC_NUM_LAYERS ${ir.steps.length}
#define LIC_ACT_BEATS ${act}
#define LIC_INPUT_OFF 0
#define LIC_INPUT_BEATS ${beatsOf(ir.input)}
#define LIC_W_BEATS ${Math.max(4, wBeats)}
#define LIC_B_BEATS ${bParts.length / BL}

// Loop trip counts for the synthesis report.
#define LIC_MAX_STEPS ${maxSteps}
#define LIC_MAX_MAC_TRIPS ${maxTrips}

// The cycle accounting of \`make perf\` (lic_perf.h): pipeline fills, control per step and per layer, the AXI
// and DRAM coefficients of the board at ${ec.clockMHz} MHz. The same figures the estimate uses.
#define LIC_MAC_DEPTH ${arch.computeDepth}
#define LIC_MOVE_DEPTH ${arch.moveDepth}
#define LIC_STEP_CYCLES ${arch.perStepCycles}
#define LIC_LAYER_CYCLES ${arch.perLayerCycles}
#define LIC_PERF_LATENCY ${axi.latencyCycles}
#define LIC_PERF_OUTSTANDING ${axi.outstanding}
#define LIC_PERF_MAX_BURST ${axi.maxBurstBeats}
#define LIC_PERF_GRANULE ${axi.granuleBytes}
#define LIC_PERF_BEAT_CYCLES ${beatCycles(spec.ports.widthBits, axi)}
#define LIC_PERF_DRAM_BPC ${Number(d.toPrecision(12))}

namespace lic {

${consts.join('\n')}

// {kind, cin, ih, iw, cout, oh, ow, kh, kw, sh, sw, pt, pl, gy0, gx0, gr, gc, tn, tm, tr, tc,
//  shift, act, slope, has_bias, shuffle, in_off, add_off, out_off, w_off, b_off, out_c, out_h, out_w,
//  tap_off, ntaps, wtaps, passes, my, mx, rows_pb, cols_pb, nt, wblock, est}
static const LayerCfg LAYERS[LIC_NUM_LAYERS] = {
${rows.join('\n')}
};

// {weight row, buffer row offset, buffer column offset, output phase, first tap of its phase}
static const TapCfg TAPS[] = {
${tapRows.join('\n')}
};

}  // namespace lic

#endif  // LIC_TILING_H
`;
  const top = b.top;
  const names = ir.steps.map((s) => cString(s.id)).join(', ');
  files.set('src/hls_compat.h', templateText('common/hls_compat.h'));
  files.set('src/lic_quant.h', templateText('common/lic_quant.h'));
  files.set('src/lic_perf.h', templateText('common/lic_perf.h'));
  files.set('src/lic_tables.h', tablesHeader(b.banner));
  files.set('src/lic_layer.h', templateText('engine/lic_layer.h'));
  files.set('src/lic_engine.h', templateText('engine/lic_engine.h'));
  files.set('src/tiling.h', tiling);
  files.set(`src/${top}.cpp`, render('engine/top.cpp.tmpl', {
    BANNER: b.banner, TOP: top, PARAMS: pt.params, INTERFACE: pt.interface, ARGS: 'rd, w, bias, aux, wr', NAMES: names,
  }));
  files.set('tb/lic_tb.h', templateText('common/lic_tb.h'));
  files.set(`tb/tb_${top}.cpp`, render('engine/tb.cpp.tmpl', {
    BANNER: b.banner, TOP: top, PARAMS: pt.params, CALL_ARGS: pt.args('act.data()', 'wgt.data()', 'bias.data()'), CHECKS: checks.join('\n'),
  }));
  const inp = b.tensors.get(INPUT)!;
  files.set('data/input.bin', bytesOf(blockChannels(inp, ir.input.c, ir.input.h, ir.input.w, L)));
  files.set('data/weights.bin', bytesOf(weights));
  files.set('data/bias.bin', int32Bytes(bParts));
  const data = ['data/input.bin', 'data/weights.bin', 'data/bias.bin'];
  for (const s of ir.steps) {
    const g = b.tensors.get(s.output);
    if (!g) continue;  // count-only project: no reference
    files.set(`data/golden_${s.cname}.bin`, bytesOf(g));
    data.push(`data/golden_${s.cname}.bin`);
  }
  return {
    synth: [`src/${top}.cpp`],
    headers: ['src/hls_compat.h', 'src/lic_quant.h', 'src/lic_perf.h', 'src/lic_tables.h', 'src/lic_layer.h', 'src/lic_engine.h', 'src/tiling.h'],
    tb: [`tb/tb_${top}.cpp`, 'tb/lic_tb.h'],
    data,
    summary: {
      interface: `${top}(${pt.params}, int first, int last)`,
      memories: { activationBeats: act, weightBeats: Math.max(4, wBeats), biasWords: bParts.length, lanesPerBeat: L },
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
        `Activations live in one memory of ${spec.ports.widthBits}-bit beats, channel-blocked: a tensor is [⌈C/${L}⌉][H][W] beats of ${L} int8`,
        'channels (lanes past C are zero), the input at beat 0, then every layer\'s output at the beat offsets of `tiling.h`.',
        'Four m_axi ports: `rd` (tile loads, bundle `gmem_rd`), `w` and `bias` (bundle `gmem_w`), `wr` (stores, `gmem_wr`) and',
        '`aux` (the store\'s re-reads: GDN\'s x, a residual operand; `gmem_aux`); `rd`, `aux` and `wr` point at the activation',
        `memory. Bursts: at most ${axi.maxBurstBeats} beats, ${axi.outstanding} outstanding, latency ${axi.latencyCycles} cycles (the board file's "axi").`,
        'The testbench calls the kernel once per layer, so C/RTL co-simulation sees each layer\'s writes before the',
        'next layer reads them; on the board one call with first = 0, last = LIC_NUM_LAYERS − 1 does the same.',
        '',
        'A layer runs as steps; in each, three processes work concurrently on disjoint ping-pong buffers: the MAC loop',
        'of input tile k (one flattened II=1 loop over passes × taps × output words × input words × rows × columns),',
        'the loads of input tile k+1 (activations, weights and biases) and, on the first input tile of an output tile,',
        'the store of the previous output tile. Every step calls all three (with zero-size tiles in the first and last',
        'steps and wherever one has nothing to do): HLS guarantees the DATAFLOW overlap only for unconditional calls.',
        'Element-wise layers are folded into the store of the layer that',
        'produces their input (activation, pixel shuffle, residual add) where that is exact; the rest run as passes over',
        'memory, a beat per cycle.',
        '',
        '### Cycle accounting (`make perf`)',
        '',
        '`make perf` builds the kernel with `-DLIC_PERF` (src/lic_perf.h) and counts, per layer: trips of every pipelined',
        'loop, beats on every m_axi port and the bursts they form (consecutive addresses inside one loop, at most',
        `${axi.maxBurstBeats} beats). It turns them into cycles under these assumptions:`,
        '- every pipelined loop runs at II = 1 and pays its pipeline depth once per entry that runs a trip (MAC loop',
        '  `LIC_MAC_DEPTH`, loads/stores `LIC_MOVE_DEPTH`; a zero-size tile\'s loop fills nothing);',
        `- a port moves at most a beat per ${beatCycles(spec.ports.widthBits, axi)} cycle(s) (${spec.ports.widthBits}-bit beats through the board's ${axi.portBits}-bit port) and at most ${axi.outstanding} bursts per round trip of ${axi.latencyCycles} cycles, and the first`,
        '  round trip of each step is exposed;',
        `- the DRAM serves whole ${axi.granuleBytes}-byte accesses per burst at ${d.toFixed(2)} bytes per cycle (the board's sustained bandwidth at ${ec.clockMHz} MHz);`,
        '- a step lasts as long as its slowest process, port or the DRAM, plus `LIC_STEP_CYCLES` of control; a layer',
        '  adds `LIC_LAYER_CYCLES` (descriptor read, first DRAM access).',
        '`perf.json` lists, per layer, lic-dse\'s estimate beside the count, the raw counts, and the buffers and',
        'multipliers the code declares. `make perf-count` skips the arithmetic (the loops still run) for full-size layers.',
      ].join('\n'),
      data: [
        ` (channel-blocked, ${L} channels per beat, at beat 0 of the activation memory); \`data/weights.bin\` is the weight`,
        'memory, pre-tiled: per layer and per (output-channel tile, input-channel tile) a block of rows (output word,',
        `input word, tap), each row POF×PIF int8 weights padded to ${rowBeats} beat(s) (conv weights [C_out][C_in][k_h][k_w],`,
        'transposed conv [C_in][C_out][k_h][k_w] as PyTorch stores them, GDN gamma [C][C] underneath). `data/bias.bin` is the',
        'bias memory (int32 little-endian: biases, GDN beta, at `b_off`). `data/golden_<layer>.bin` is each layer\'s',
        'expected output in C×H×W order (the testbench reads the blocked memory back into that order).',
      ].join('\n'),
      limits: [
        '- Channel tiles are whole beats: tn and tm are multiples of the beat\'s channels (tm of the shuffled result\'s),',
        '  or cover the layer; PIF divides the beat\'s channels. One port per role.',
        '- A pixel shuffle folded into the store writes each destination pixel as its own short burst.',
        '- int8 only; grouped and dilated convolutions, attention and masked (context-model) layers are not emitted.',
      ].join('\n'),
    },
  };
}
