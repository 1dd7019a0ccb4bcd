import { bytesOf, cArray, elems, stepText, tablesHeader, type Built, type Files, type TemplateOutput } from './common.js';
import { directInput, inputFifoWords, joinRows, MVAU_DEPTH, stageArch, stagePhases, streamLeads, SWU_DEPTH, WEIGHT_BEAT_BYTES, type StageGeom, type StreamNode } from '../arch/pipeline.js';
import { INPUT, isMacOp, type Step } from './ir.js';
import type { LayerParams } from './params.js';
import { GDN_KINDS } from './quant.js';
import { commentSafe, cString, render, templateText } from './templates.js';
import { beatCycles } from '../arch/axi.js';
import { NORM_TABLES, type NormKind } from '../cost/norm.js';
import type { Estimate } from '../cost/types.js';
import { dspPerMac, type CostTables } from '../platform/tables.js';
import { parsePrecision } from '../platform/precision.js';
import type { Platform } from '../platform/schema.js';

const cdiv = (a: number, b: number) => Math.ceil(a / b);
const GDN_CODE: Record<string, string> = { gdn: 'lic::GDN', igdn: 'lic::IGDN', gdn_simplified: 'lic::GDN_S', igdn_simplified: 'lic::IGDN_S' };
const isGdn = (s: Step) => (GDN_KINDS as string[]).includes(s.kind);

/** A MAC step's stage geometry (arch/pipeline.ts), the one description its loops and the cost model share. */
export function stepGeom(s: Step): StageGeom {
  const l = s.layer;
  const kind = isGdn(s) ? 'gdn' : s.kind === 'conv' ? 'conv' : s.deconv === 'subpixel' ? 'subpixel' : 'zero-insert';
  return {
    kind, cin: l.in.c, cout: l.out.c, ih: l.in.h, iw: l.in.w, oh: l.out.h, ow: l.out.w,
    kh: l.kh, kw: l.kw, sh: l.sh, sw: l.sw, pt: l.padT, pl: l.padL,
  };
}

/**
 * Weights in the order a stage reads them: [COUT/POUT][tap slot][CIN/PIN][PK][POUT][PIN], tap slots phase by phase
 * (arch/pipeline.ts stagePhases), zero-padded; GDN gamma [C/POUT][C/PIN][1][POUT][PIN].
 */
function stageWeights(s: Step, p: LayerParams): { w: Int8Array; b: Int32Array; words: number } {
  const l = s.layer;
  const par = s.par!;
  const pin = par.pin;
  const pout = par.pout;
  const pk = isGdn(s) ? 1 : par.pk;
  const N = l.in.c;
  const M = l.out.c;
  const taps = l.kh * l.kw;
  const NB = cdiv(N, pin);
  const MB = cdiv(M, pout);
  const phases = stagePhases(stepGeom(s), pk);
  const tgt = phases.reduce((a, ph) => a + ph.groups, 0);
  const W = p.weights!;
  const w = new Int8Array(MB * tgt * NB * pk * pout * pin);
  let i = 0;
  for (let mb = 0; mb < MB; mb++) {
    for (const ph of phases) {
      for (let tg = 0; tg < ph.groups; tg++) {
        for (let nb = 0; nb < NB; nb++) {
          for (let k = 0; k < pk; k++) {
            const tap = ph.taps[tg * pk + k];
            for (let q = 0; q < pout; q++) {
              for (let r = 0; r < pin; r++, i++) {
                const m = mb * pout + q;
                const n = nb * pin + r;
                if (m >= M || n >= N || !tap) continue;
                const t = tap[0] * l.kw + tap[1];
                w[i] = isGdn(s) ? W[m * N + n] : s.kind === 'deconv' ? W[(n * M + m) * taps + t] : W[(m * N + n) * taps + t];
              }
            }
          }
        }
      }
    }
  }
  const b = new Int32Array(MB * pout);
  b.set(p.bias!);
  return { w, b, words: MB * tgt * NB };
}

/** Streamed weights in DRAM: each block of POUT output channels padded to whole 128-bit beats. */
function beatPadded(w: Int8Array, blocks: number, beats: number): Int8Array {
  const blk = w.length / blocks;
  const out = new Int8Array(blocks * beats * WEIGHT_BEAT_BYTES);
  for (let k = 0; k < blocks; k++) out.set(w.subarray(k * blk, (k + 1) * blk), k * beats * WEIGHT_BEAT_BYTES);
  return out;
}

/**
 * The stream timing of the emitted stages, in arch/pipeline.ts's terms (the cost model's join buffers come
 * from the same leads): a residual folded into a stage joins that stage's own output with the skip operand.
 */
function streamNodes(steps: Step[]): Map<string, StreamNode> {
  const nodes = new Map<string, StreamNode>();
  for (const s of steps) {
    const l = s.layer;
    const node: StreamNode = {
      op: s.kind === 'unary' ? 'relu' : s.kind, inputs: s.inputs, inH: l.in.h, outH: l.out.h,
      kernel: [l.kh, l.kw], stride: [l.sh, l.sw], padding: [l.padT, l.padL],
    };
    if (s.addFrom) {
      nodes.set(`${s.output}#pre`, node);
      nodes.set(s.output, { op: 'add', inputs: [`${s.output}#pre`, s.addFrom], inH: s.outShape.h });
    } else nodes.set(s.output, node);
  }
  return nodes;
}

/**
 * FIFO depth (words of `w` channels; 0: no more than any FIFO) of the operand a reader takes into a join (slot: the add's input, or 2 for
 * the residual folded into a stage, 0 for that stage's own input): the rows the earlier operand waits
 * (arch/pipeline.ts), on the earlier operand's FIFO only (the estimate prices that one buffer: cost/pipeline-design.ts
 * joinBuffers). The later operand's FIFO is read as soon as it is written (make perf's replay measured a largest
 * occupancy of 1-3 words on FIFOs of 224-896 that the code used to give both).
 */
function joinDepth(leads: Map<string, number>, join: Step, slot: number, t: { c: number; h: number; w: number }, w: number): number {
  const operands = join.addFrom ? [`${join.output}#pre`, join.addFrom] : join.inputs;
  const { rows, held } = joinRows(leads, operands, t.h);
  const mine = join.addFrom ? (slot === 2 ? join.addFrom : `${join.output}#pre`) : join.inputs[slot];
  if (mine !== held) return 0;
  const perRow = t.w * cdiv(t.c, w);
  return Math.max(2, Math.min(t.h * perRow, rows * perRow));
}

/** The pipeline project's stages, top, testbench and data. */
export interface PipelineEmitContext {
  estimate: Estimate;
  platform: Platform;
  tables: CostTables;
  clockMHz: number;
  weightsInUram: boolean;
}

export function pipelineProject(b: Built, files: Files, ctx: PipelineEmitContext): TemplateOutput {
  const { ir } = b;
  const steps = ir.steps;
  const base = new Map<string, string>([[INPUT, 'input']]);
  const producer = new Map<string, Step>();
  const shape = new Map([[INPUT, ir.input]]);
  for (const s of steps) {
    base.set(s.output, s.cname);
    producer.set(s.output, s);
    shape.set(s.output, s.outShape);
  }
  // Readers of each tensor in execution order: stage inputs, residual operands, the output writer.
  type Reader = { step?: Step; slot: number; role: 'in' | 'skip' | 'out' };
  const readers = new Map<string, Reader[]>();
  const addReader = (t: string, r: Reader) => readers.set(t, [...(readers.get(t) ?? []), r]);
  for (const s of steps) {
    s.inputs.forEach((t, k) => addReader(t, { step: s, slot: k, role: s.kind === 'add' ? 'skip' : 'in' }));
    if (s.addFrom) addReader(s.addFrom, { step: s, slot: 2, role: 'skip' });
  }
  addReader(ir.output, { slot: 0, role: 'out' });

  const leads = streamLeads(streamNodes(steps));
  // Word width (channels per stream word) of each tensor: a MAC stage writes POUT-channel words, the input is read
  // in words of its first reader's PIN, element-wise stages keep their input's width.
  const width = new Map<string, number>();
  const first = readers.get(INPUT)?.[0];
  width.set(INPUT, first?.step && isMacOp(first.step.kind) && first.role === 'in' ? Math.min(first.step.par!.pin, ir.input.c) : 1);
  for (const s of steps) width.set(s.output, isMacOp(s.kind) ? s.par!.pout : width.get(s.inputs[0])!);
  /** Width a reader takes: PIN into a MAC stage, POUT for a residual folded into one, the first operand's for an add. */
  const wants = (t: string, r: Reader): number => {
    const s = r.step;
    if (!s) return width.get(t)!;
    if (isMacOp(s.kind)) return r.slot === 2 ? s.par!.pout : s.par!.pin;
    if (s.kind === 'add' && r.slot === 1) return width.get(s.inputs[0])!;
    return width.get(t)!;
  };
  const words = (t: { c: number; h: number; w: number }, w: number) => t.h * t.w * cdiv(t.c, w);
  const streams: string[] = [];
  const declare = (name: string, w: number, depth: number, what: string) => {
    streams.push(`  hls::stream<lic::word<${w}>> ${name}("${name}");  // ${commentSafe(what)}`);
    streams.push(`  LIC_PRAGMA(HLS STREAM variable=${name} depth=${depth})`);
    streams.push(`  LIC_FIFO_DEPTH(${name}, ${depth})`);
  };
  /** Stream each reader takes from, and the dup / width-converter stages after a tensor's producer. */
  const readFrom = new Map<string, string>();
  const fanOut = new Map<string, string[]>();
  const keyOf = (t: string, r: Reader) => `${t}|${r.step ? r.step.index : 'out'}|${r.slot}`;
  for (const [t, rs] of readers) {
    const nm = `s_${base.get(t)}`;
    const prod = producer.get(t);
    const sh = shape.get(t)!;
    const W = width.get(t)!;
    const calls: string[] = [];
    // Both operands of a join (a residual add, stand-alone or folded into a stage) wait for the slower branch.
    const joins = (r: Reader) => r.step && (r.role === 'skip' || r.step.addFrom !== undefined);
    // A sliding-window unit's input FIFO holds a row (arch/pipeline.ts inputFifoWords; priced in its stage's row).
    const rowFifo = (r: Reader) => (r.step && r.role === 'in' && r.slot === 0 && isMacOp(r.step.kind) ? inputFifoWords(stepGeom(r.step), r.step.par!.pin) : 0);
    const depthFor = (r: Reader) => Math.max(2, prod?.par?.fifoDepth ?? 2, joins(r) ? joinDepth(leads, r.step!, r.slot, sh, W) : 0, wants(t, r) === W ? rowFifo(r) : 0);
    const convert = (src: string, r: Reader) => {
      const w = wants(t, r);
      if (w === W) return src;
      const dst = `${src}_w${w}`;
      declare(dst, w, Math.max(2, rowFifo(r)), `${t} in ${w}-channel words`);
      calls.push(`  LIC_PROCESS(lic::dwc_stage<${sh.c}, ${sh.h * sh.w}, ${W}, ${w}>(${src}, ${dst}))`);
      return dst;
    };
    if (rs.length === 1) {
      declare(nm, W, depthFor(rs[0]), `${t}`);
      readFrom.set(keyOf(t, rs[0]), convert(nm, rs[0]));
      fanOut.set(t, calls);
      continue;
    }
    declare(nm, W, Math.max(2, prod?.par?.fifoDepth ?? 2), `${t}, fanned out to ${rs.length} readers`);
    const n = words(sh, W);
    let src = nm;
    const copies: [string, Reader][] = [];
    rs.forEach((r, k) => {
      const copy = `${nm}_${k}`;
      declare(copy, W, depthFor(r), `${t}, copy ${k}`);
      copies.push([copy, r]);
      if (k === rs.length - 1) return;
      const rest = k === rs.length - 2 ? `${nm}_${k + 1}` : `${nm}_rest${k}`;
      if (k < rs.length - 2) declare(rest, W, 2, `${t}, copies ${k + 1}+`);
      calls.push(`  LIC_PROCESS(lic::dup_stage<${n}, ${W}>(${src}, ${copy}, ${rest}))`);
      src = rest;
    });
    for (const [copy, r] of copies) readFrom.set(keyOf(t, r), convert(copy, r));
    fanOut.set(t, calls);
  }
  const inStream = (s: Step, t: string, slot: number) => readFrom.get(`${t}|${s.index}|${slot}`)!;
  const outStream = (t: string) => `s_${base.get(t)}`;

  const stages: string[] = ['  LIC_DATAFLOW_BEGIN', `  LIC_PROCESS(lic::read_input<${ir.input.h * ir.input.w}, ${ir.input.c}, ${width.get(INPUT)}>(in, ${outStream(INPUT)}))`, ...(fanOut.get(INPUT) ?? [])];
  const cfgs: string[] = [];
  const includes: string[] = [];
  const partitions: string[] = [];
  const params: string[] = ['const lic::act_t* in', 'lic::act_t* out'];
  const iface: string[] = [
    `  LIC_PRAGMA(HLS INTERFACE m_axi port=in bundle=gmem_in offset=slave depth=${elems(ir.input)})`,
    `  LIC_PRAGMA(HLS INTERFACE m_axi port=out bundle=gmem_out offset=slave depth=${elems(shape.get(ir.output)!)})`,
  ];
  const tbLoads: string[] = [];
  const tbArgs: string[] = ['in.data()', 'out.data()'];
  const data: string[] = ['data/input.bin'];
  const weightHeaders: string[] = [];
  for (const s of steps) {
    const l = s.layer;
    const out = outStream(s.output);
    const comment = `// ${s.index}: ${commentSafe(stepText(s))}`;
    if (isMacOp(s.kind)) {
      const par = s.par!;
      const gdn = isGdn(s);
      // GDN's gamma stays on chip whatever the point says (C² bytes, read every pixel).
      const stream = par.weights === 'stream' && !gdn;
      const pk = gdn ? 1 : par.pk;
      const g = stepGeom(s);
      const arch = stageArch(g, { pin: par.pin, pout: par.pout, pk, stream, reuse: par.reuse }, { weight: 8, act: 8 });
      const { w, b: bias, words: wWords } = stageWeights(s, b.params.get(s.id)!);
      const W = `W_${s.cname}`;
      const B = `B_${s.cname}`;
      const hdr = `src/weights/${s.cname}.h`;
      const layout = gdn ? 'gamma [C/POUT][C/PIN][1][POUT][PIN]' : 'weights [COUT/POUT][tap slot][CIN/PIN][PK][POUT][PIN]';
      files.set(hdr, [
        `// ${b.banner}`,
        `// ${commentSafe(s.id)}: ${layout}, zero-padded${stream ? ' (streamed from DRAM: data/wstream_' + s.cname + '.bin, each block of POUT output channels padded to 128-bit beats)' : ''}; ${gdn ? 'beta' : 'bias'} [${bias.length}].`,
        `#ifndef LIC_WEIGHTS_${s.cname.toUpperCase()}_H`,
        `#define LIC_WEIGHTS_${s.cname.toUpperCase()}_H`,
        '',
        '#include "../lic_quant.h"',
        '',
        ...(stream ? [] : [`static const lic::wgt_t ${W}[${wWords}][${pk}][${par.pout}][${par.pin}] = {`, cArray(w), '};', '']),
        `static const lic::acc_t ${B}[${bias.length}] = {`, cArray(bias), '};',
        '',
        `#endif  // LIC_WEIGHTS_${s.cname.toUpperCase()}_H`,
        '',
      ].join('\n'));
      weightHeaders.push(hdr);
      includes.push(`#include "weights/${s.cname}.h"`);
      // POUT x PK banks of PIN-wide words: one weight word per lane group per cycle.
      if (!stream) {
        partitions.push(
          `  LIC_PRAGMA(HLS ARRAY_PARTITION variable=${W} dim=2 complete)`,
          `  LIC_PRAGMA(HLS ARRAY_PARTITION variable=${W} dim=3 complete)`,
          `  LIC_PRAGMA(HLS ARRAY_RESHAPE variable=${W} dim=4 complete)`,
        );
      }
      partitions.push(`  LIC_PRAGMA(HLS ARRAY_PARTITION variable=${B} dim=1 cyclic factor=${par.pout})`);
      let wArg = W;
      if (stream) {
        wArg = `ws_${s.cname}`;
        const dram = beatPadded(w, arch.mb, arch.beats);
        const nBeats = dram.length / 16;
        params.push(`const lic::beat16* ${wArg}`);
        // One bundle per stage: every stage fetches concurrently with the others.
        iface.push(`  LIC_PRAGMA(HLS INTERFACE m_axi port=${wArg} bundle=gmem_w_${s.cname} offset=slave depth=${nBeats} max_read_burst_length=256 num_read_outstanding=4)`);
        const file = `data/wstream_${s.cname}.bin`;
        files.set(file, bytesOf(dram));
        data.push(file);
        tbLoads.push(`  std::vector<lic::beat16> ${wArg}(${nBeats});`, `  ok = lic_tb::read_i8(dir + "/wstream_${s.cname}.bin", reinterpret_cast<lic::wgt_t*>(${wArg}.data()), ${wArg}.size() * 16) && ok;`);
        tbArgs.push(`${wArg}.data()`);
      }
      const input = inStream(s, s.inputs[0], 0);
      const skip = s.addFrom ? inStream(s, s.addFrom, 2) : undefined;
      const cfg = `cfg_${s.cname}`;
      const norm = gdn ? NORM_TABLES[s.kind as NormKind] : null;
      const kind = gdn || s.kind === 'conv' ? 'lic::S_CONV' : s.deconv === 'subpixel' ? 'lic::S_DECONV_SP' : 'lic::S_DECONV_ZI';
      cfgs.push([
        comment,
        `struct ${cfg} {`,
        `  static constexpr int KIND = ${kind}, GDN_KIND = ${gdn ? GDN_CODE[s.kind] : 0};`,
        `  static constexpr int CIN = ${g.cin}, IH = ${g.ih}, IW = ${g.iw}, COUT = ${g.cout}, OH = ${g.oh}, OW = ${g.ow};`,
        `  static constexpr int KH = ${g.kh}, KW = ${g.kw}, SH = ${g.sh}, SW = ${g.sw}, PT = ${g.pt}, PL = ${g.pl};`,
        `  static constexpr int SHIFT = ${l.shift}, ACT = ${s.act}, SLOPE = ${s.slopeQ8}, HAS_BIAS = ${gdn || l.bias ? 1 : 0};`,
        `  static constexpr int STREAM = ${stream ? 1 : 0}, REUSE = ${arch.group}, W_URAM = ${!stream && ctx.weightsInUram ? 1 : 0};`,
        `  static constexpr int IN_FIFO = ${arch.buffers.find((x) => x.name === 'in_fifo')?.depth ?? 0};  // words of the input FIFO, when deeper than 2`,
        `  static constexpr int NORM_WIDTH = ${norm?.width ?? 0}, NORM_DEPTH = ${norm?.depth ?? 0};`,
        `  static constexpr const char* ID = ${cString(s.id)};`,
        '};',
      ].join('\n'));
      // The stage's estimate (cost/pipeline.ts from the same arch/pipeline.ts description) beside its count.
      const est = ctx.estimate.layers.find((r) => r.id === s.id)?.cycles ?? 0;
      stages.push(`  LIC_PERF_LAYER(${cString(s.id)}, ${est});`);
      let win = input;
      if (!directInput(g)) {
        win = `w_${s.cname}`;
        declare(win, pk * par.pin, 2, `${s.id}: windows, ${pk} taps x ${par.pin} channels a word`);
        stages.push(`  LIC_PROCESS(lic::swu<${cfg}, ${par.pin}, ${pk}>(${input}, ${win}))  ${comment}`);
      }
      const tpl = `${cfg}, ${par.pin}, ${par.pout}`;
      if (gdn) {
        stages.push(skip
          ? `  LIC_PROCESS(lic::gdn_add_stage<${tpl}>(${win}, ${skip}, ${out}, ${W}, ${B}))  ${comment}`
          : `  LIC_PROCESS(lic::gdn_stage<${tpl}>(${win}, ${out}, ${W}, ${B}))  ${comment}`);
      } else {
        const fn = `mvau${stream ? '_stream' : ''}${skip ? '_add' : ''}`;
        stages.push(`  LIC_PROCESS(lic::${fn}<${tpl}, ${pk}>(${[win, ...(skip ? [skip] : []), out, wArg, B].join(', ')}))`);
      }
    } else if (s.kind === 'add') {
      const W = width.get(s.output)!;
      stages.push(`  LIC_PROCESS(lic::add_stage<${words(s.outShape, W)}, ${W}>(${inStream(s, s.inputs[0], 0)}, ${inStream(s, s.inputs[1], 1)}, ${out}))  ${comment}`);
    } else if (s.kind === 'pixel_shuffle') {
      const W = width.get(s.output)!;
      // Counted and priced like a stage (arch/pipeline.ts shuffleCycles).
      stages.push(`  LIC_PERF_LAYER(${cString(s.id)}, ${ctx.estimate.layers.find((r) => r.id === s.id)?.cycles ?? 0});`);
      stages.push(`  LIC_PROCESS(lic::shuffle_stage<${s.index}, ${l.out.c}, ${l.in.h}, ${l.in.w}, ${l.factor}, ${W}, ${W}>(${inStream(s, s.inputs[0], 0)}, ${out}))  ${comment}`);
    } else {
      const W = width.get(s.output)!;
      stages.push(`  LIC_PROCESS(lic::unary_stage<${words(s.outShape, W)}, ${W}, ${s.act}, ${s.slopeQ8}>(${inStream(s, s.inputs[0], 0)}, ${out}))  ${comment}`);
    }
    stages.push(...(fanOut.get(s.output) ?? []));
  }
  const final = shape.get(ir.output)!;
  const last = producer.get(ir.output)!;
  stages.push(`  LIC_PROCESS(lic::write_output<${final.h * final.w}, ${final.c}, ${wants(ir.output, { slot: 0, role: 'out' })}>(${readFrom.get(`${ir.output}|out|0`)}, out))`, '  LIC_DATAFLOW_END');

  const network = `// ${b.banner}
// The stages of this design point: one configuration struct per layer (shape, requantisation, weights on chip
// or streamed). The parallelism (PIN, POUT, PK) is given at each stage's call in the top function.
#ifndef LIC_NETWORK_H
#define LIC_NETWORK_H

#include "lic_stages.h"
${includes.join('\n')}

${cfgs.join('\n\n')}

#endif  // LIC_NETWORK_H
`;
  const io = `// ${b.banner}
// Shapes of the pipeline's input and output (the testbench's view of the kernel; lic::beat16 for streamed weights).
#ifndef LIC_PIPELINE_IO_H
#define LIC_PIPELINE_IO_H

#include "lic_stages.h"

#define LIC_NUM_STAGES ${steps.length}
#define LIC_IN_C ${ir.input.c}
#define LIC_IN_H ${ir.input.h}
#define LIC_IN_W ${ir.input.w}
#define LIC_OUT_C ${final.c}
#define LIC_OUT_H ${final.h}
#define LIC_OUT_W ${final.w}

#endif  // LIC_PIPELINE_IO_H
`;
  const top = b.top;
  const paramText = params.join(', ');
  files.set('src/hls_compat.h', templateText('common/hls_compat.h'));
  files.set('src/lic_quant.h', templateText('common/lic_quant.h'));
  files.set('src/lic_tables.h', tablesHeader(b.banner));
  files.set('src/lic_stages.h', templateText('pipeline/lic_stages.h'));
  files.set('src/lic_perf.h', templateText('common/lic_perf.h'));
  files.set('src/pipeline_perf.h', perfHeader(b, ctx));
  files.set('src/network.h', network);
  files.set('src/pipeline_io.h', io);
  files.set(`src/${top}.cpp`, render('pipeline/top.cpp.tmpl', {
    BANNER: b.banner, TOP: top, PARAMS: paramText, INTERFACE: iface.join('\n'), PARTITIONS: partitions.join('\n'),
    STREAMS: streams.join('\n'), STAGES: stages.join('\n'),
  }));
  files.set('tb/lic_tb.h', templateText('common/lic_tb.h'));
  files.set(`tb/tb_${top}.cpp`, render('pipeline/tb.cpp.tmpl', {
    BANNER: b.banner, TOP: top, PARAMS: paramText, LOAD_WEIGHTS: tbLoads.join('\n'), CALL_ARGS: tbArgs.join(', '),
    OUT_NAME: last.cname, GOLDEN: `golden_${last.cname}.bin`,
  }));
  files.set('data/input.bin', bytesOf(b.tensors.get(INPUT)!));
  files.set(`data/golden_${last.cname}.bin`, bytesOf(b.tensors.get(ir.output)!));
  data.push(`data/golden_${last.cname}.bin`);
  const streamed = steps.filter((s) => s.par?.weights === 'stream').map((s) => s.cname);
  return {
    synth: [`src/${top}.cpp`],
    headers: ['src/hls_compat.h', 'src/lic_quant.h', 'src/lic_tables.h', 'src/lic_stages.h', 'src/lic_perf.h', 'src/pipeline_perf.h', 'src/network.h', 'src/pipeline_io.h', ...weightHeaders],
    tb: [`tb/tb_${top}.cpp`, 'tb/lic_tb.h'],
    data,
    summary: { interface: `${top}(${paramText})`, stages: steps.length, streamedWeights: streamed },
    readme: {
      interface: [
        '```c++',
        `extern "C" void ${top}(${paramText});`,
        '```',
        '',
        `One call processes one frame: \`in\` is the ${ir.input.c}×${ir.input.h}×${ir.input.w} input and \`out\` the ${final.c}×${final.h}×${final.w}`,
        'output, both H×W×C int8 in memory (bundles `gmem_in`, `gmem_out`); control is AXI-Lite.',
        `Each of the ${steps.length} stages is a process of one DATAFLOW region (\`src/${top}.cpp\`); tensors flow between them`,
        'as hls::stream FIFOs in raster order, channels fastest, with the depths of the design point. A tensor read by',
        'two stages is copied by a `dup_stage`; a residual branch gets a FIFO deep enough for the rows the other branch',
        'holds back in its line buffers.',
        'A convolution is a sliding-window unit (`swu`, line buffer, one window word of PK taps x PIN channels a cycle)',
        'and a compute unit (`mvau`, PIN x POUT x PK MACs a cycle, weights in POUT x PK banks); a sub-pixel transposed',
        'convolution computes only the taps of each output pixel\'s phase. `make perf` counts every stage\'s loops',
        '(the two units run concurrently: the slower one sets the stage) into perf.json beside lic-dse\'s estimate.',
        streamed.length
          ? `Streamed weights (${streamed.map((n) => `\`ws_${n}\``).join(', ')}) each have their own bundle (\`gmem_w_<layer>\`): 128-bit beats of one block of POUT output channels, fetched while the previous block computes, once per REUSE output pixels of a row.`
          : 'Every stage keeps its weights on chip (read-only memories in `src/weights/`).',
        '',
        '### Cycle accounting (`make perf`)',
        '',
        '`make perf` builds with `-DLIC_PERF` (src/lic_perf.h) and runs the C simulation, in which the processes run one',
        'after another. Every stage\'s sliding-window and compute units count their loop trips (II = 1) plus each loop',
        `entry's pipeline depth (${SWU_DEPTH} and ${MVAU_DEPTH} cycles, as the estimate pays them) and their streamed-weight beats; \`perf.json\``,
        'lists each stage\'s count beside the estimate (the slower unit sets the stage). The other processes (memory',
        'reader and writer, width converters, dup, add, shuffle, element-wise) tick once per II = 1 iteration.',
        'Every read and write of a stream is stamped with its own process\'s count at that moment, and the traces are',
        'replayed as a timed dataflow simulation: a process runs its stamps in order; a read waits until its word was',
        'written at least a cycle before, a write until its FIFO (of the depth declared here, or Vitis\' default of 2)',
        'has room, and a wait delays everything the process does after it. Three frames run back to back, each process',
        'starting the next frame as soon as it has finished one (`ap_ctrl_chain`); `frameReplayed` is the last frame\'s',
        'interval, `frameDecoupled` the same with unbounded FIFOs (what the estimate\'s frame, its slowest stage, assumes),',
        'and `fifos` gives each FIFO\'s declared depth, largest occupancy and the cycles its writer waited on it full. A',
        'deadlock names the streams every process waits on and fails the testbench. What the replay does not see: the',
        'latency between a loop iteration\'s read and its write (both are stamped with the iteration), memory-port',
        'stalls inside a loop (a process\'s beats are stamped by its trips), and the control between calls.',
        '`LIC_PERF_FIFO_DEPTHS="s_g_s_3=64,w_=8"` replays other depths (prefixes of stream names) without rebuilding;',
        '`LIC_PERF_REPLAY_FRAMES` sets the frames. A sliding-window unit\'s input FIFO holds one input row, and the unit',
        'spreads its reads and window writes evenly over each output row, so that rows arrive at a steady rate.',
      ].join('\n'),
      data: [
        ' (C×H×W; the testbench reorders it to H×W×C). Weights and biases of on-chip stages are in',
        '`src/weights/<layer>.h` in the order the stage reads them: [C_out/POUT][k_h·k_w][C_in/PIN][POUT][PIN], zero-padded',
        '(GDN gamma [C/POUT][C/PIN][POUT][PIN]; beta in place of the bias).',
        streamed.length ? 'Streamed weights are in `data/wstream_<layer>.bin` in the same order.' : '',
        `\`data/golden_${last.cname}.bin\` is the expected output (C×H×W).`,
      ].filter(Boolean).join('\n'),
      limits: [
        '- Stream words carry the producer\'s POUT (or the consumer\'s PIN) channels of one pixel; where they differ a',
        '  width converter (`dwc_stage`) sits between. Width converters, dup, add and element-wise stages are',
        '  not priced by the estimate (a word per cycle; `make perf`\'s replay runs them). A pixel shuffle is counted and',
        '  priced in cycles (its row buffer is not priced; its reads and writes of that buffer may collide on banks).',
        '- Streamed weights are read a 128-bit beat per cycle inside the MAC loop (a block ahead, double-buffered);',
        '  whether Vitis infers bursts from that conditional read is not checked here (`make perf` assumes it does).',
        '- GDN parameters stay on chip even where the point streams weights; `spill` is not emitted (line buffers on chip).',
        '- On-chip weights are ROMs initialised at synthesis; a point that places them in URAM would need a load path',
        '  (URAM has no initial contents), which is not emitted.',
        '- int8 only; grouped and dilated convolutions, attention and masked (context-model) layers are not emitted.',
      ].join('\n'),
    },
  };
}

/**
 * The counting shim's coefficients (`make perf`, lic_perf.h): the board's AXI figures, its DRAM bytes per cycle
 * at the kernel clock, whether the board packs two INT8 products per DSP, and the pipeline depths a loop entry costs.
 */
function perfHeader(b: Built, ctx: PipelineEmitContext): string {
  const axi = ctx.platform.axi;
  const p = parsePrecision('int8');
  const d = dspPerMac(ctx.tables.packing, ctx.platform.spec.dspFamily, p);
  const bpc = ctx.platform.bandwidthBytesPerSec / (ctx.clockMHz * 1e6);
  return `// ${b.banner}
// Coefficients of \`make perf\` (lic_perf.h) for this board at ${ctx.clockMHz} MHz, and the multiplier packing the stages use.
#ifndef LIC_PIPELINE_PERF_H
#define LIC_PIPELINE_PERF_H

// Two INT8 products sharing an activation per DSP48E2 (WP486) on this board's DSP family.
#define LIC_PACKED ${d.dspPerMac < 1 && d.sharedOperand ? 'true' : 'false'}
// Cycles a pipelined loop's entry costs (its fill), as the estimate counts them (arch/pipeline.ts).
#define LIC_SWU_DEPTH ${SWU_DEPTH}
#define LIC_MVAU_DEPTH ${MVAU_DEPTH}
#define LIC_PERF_LATENCY ${axi.latencyCycles}
#define LIC_PERF_OUTSTANDING ${axi.outstanding}
#define LIC_PERF_MAX_BURST ${axi.maxBurstBeats}
#define LIC_PERF_GRANULE ${axi.granuleBytes}
#define LIC_PERF_BEAT_CYCLES ${beatCycles(WEIGHT_BEAT_BYTES * 8, axi)}
#define LIC_PERF_DRAM_BPC ${Number(bpc.toPrecision(12))}
#define LIC_PERF_STAGES 1
#include "lic_perf.h"

#endif  // LIC_PIPELINE_PERF_H
`;
}
