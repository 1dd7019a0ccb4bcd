import { bytesOf, cArray, elems, stepText, tablesHeader, type Built, type Files, type TemplateOutput } from './common.js';
import { joinRows, streamLeads, type StreamNode } from '../arch/pipeline.js';
import { INPUT, isMacOp, type Step } from './ir.js';
import type { LayerParams } from './params.js';
import { GDN_KINDS } from './quant.js';
import { commentSafe, render, templateText } from './templates.js';

const cdiv = (a: number, b: number) => Math.ceil(a / b);
const GDN_CODE: Record<string, string> = { gdn: 'lic::GDN', igdn: 'lic::IGDN', gdn_simplified: 'lic::GDN_S', igdn_simplified: 'lic::IGDN_S' };
const isGdn = (s: Step) => (GDN_KINDS as string[]).includes(s.kind);

/** Weights in the order a stage reads them: [COUT/POUT][KH·KW][CIN/PIN][POUT][PIN], zero-padded (GDN: no taps). */
function stageWeights(s: Step, p: LayerParams): { w: Int8Array; b: Int32Array } {
  const l = s.layer;
  const pin = s.par!.pin;
  const pout = s.par!.pout;
  const N = l.in.c;
  const M = l.out.c;
  const taps = isGdn(s) ? 1 : l.kh * l.kw;
  const NB = cdiv(N, pin);
  const MB = cdiv(M, pout);
  const W = p.weights!;
  const w = new Int8Array(MB * taps * NB * pout * pin);
  let i = 0;
  for (let mb = 0; mb < MB; mb++) {
    for (let t = 0; t < taps; t++) {
      for (let nb = 0; nb < NB; nb++) {
        for (let q = 0; q < pout; q++) {
          for (let r = 0; r < pin; r++, i++) {
            const m = mb * pout + q;
            const n = nb * pin + r;
            if (m >= M || n >= N) continue;
            w[i] = isGdn(s) ? W[m * N + n] : s.kind === 'deconv' ? W[(n * M + m) * taps + t] : W[(m * N + n) * taps + t];
          }
        }
      }
    }
  }
  const b = new Int32Array(MB * pout);
  b.set(p.bias!);
  return { w, b };
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

/** FIFO depth (elements) of both operands of a join: the rows the earlier one waits (arch/pipeline.ts). */
function joinDepth(leads: Map<string, number>, join: Step, t: { c: number; h: number; w: number }): number {
  const operands = join.addFrom ? [`${join.output}#pre`, join.addFrom] : join.inputs;
  const { rows } = joinRows(leads, operands, t.h);
  return Math.max(2, Math.min(elems(t), rows * t.w * t.c));
}

/** The pipeline project's stages, top, testbench and data. */
export function pipelineProject(b: Built, files: Files): TemplateOutput {
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
  const streams: string[] = [];
  const declare = (name: string, depth: number, what: string) => {
    streams.push(`  hls::stream<lic::act_t> ${name}("${name}");  // ${commentSafe(what)}`);
    streams.push(`  LIC_PRAGMA(HLS STREAM variable=${name} depth=${depth})`);
    streams.push(`  LIC_FIFO_DEPTH(${name}, ${depth})`);
  };
  /** Stream each reader takes from, and the dup stages that fan a tensor out. */
  const readFrom = new Map<string, string>();
  const fanOut = new Map<string, string[]>();
  const keyOf = (t: string, r: Reader) => `${t}|${r.step ? r.step.index : 'out'}|${r.slot}`;
  for (const [t, rs] of readers) {
    const nm = `s_${base.get(t)}`;
    const prod = producer.get(t);
    // Both operands of a join (a residual add, stand-alone or folded into a stage) wait for the slower branch.
    const joins = (r: Reader) => r.step && (r.role === 'skip' || r.step.addFrom !== undefined);
    const depthFor = (r: Reader) => (joins(r) ? joinDepth(leads, r.step!, shape.get(t)!) : Math.max(2, prod?.par?.fifoDepth ?? 2));
    if (rs.length === 1) {
      declare(nm, depthFor(rs[0]), `${t}`);
      readFrom.set(keyOf(t, rs[0]), nm);
      continue;
    }
    declare(nm, Math.max(2, prod?.par?.fifoDepth ?? 2), `${t}, fanned out to ${rs.length} readers`);
    const n = elems(shape.get(t)!);
    const calls: string[] = [];
    let src = nm;
    rs.forEach((r, k) => {
      const copy = `${nm}_${k}`;
      declare(copy, depthFor(r), `${t}, copy ${k}`);
      readFrom.set(keyOf(t, r), copy);
      if (k === rs.length - 1) return;
      const rest = k === rs.length - 2 ? `${nm}_${k + 1}` : `${nm}_rest${k}`;
      if (k < rs.length - 2) declare(rest, 2, `${t}, copies ${k + 1}+`);
      calls.push(`  LIC_PROCESS(lic::dup_stage<${n}>(${src}, ${copy}, ${rest}))`);
      src = rest;
    });
    fanOut.set(t, calls);
  }
  const inStream = (s: Step, t: string, slot: number) => readFrom.get(`${t}|${s.index}|${slot}`)!;
  const outStream = (t: string) => `s_${base.get(t)}`;

  const stages: string[] = ['  LIC_DATAFLOW_BEGIN', `  LIC_PROCESS(lic::read_input<${elems(ir.input)}>(in, ${outStream(INPUT)}))`, ...(fanOut.get(INPUT) ?? [])];
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
      const stream = par.weights === 'stream';
      const { w, b: bias } = stageWeights(s, b.params.get(s.id)!);
      const W = `W_${s.cname}`;
      const B = `B_${s.cname}`;
      const hdr = `src/weights/${s.cname}.h`;
      const layout = isGdn(s) ? 'gamma [C/POUT][C/PIN][POUT][PIN]' : 'weights [COUT/POUT][KH*KW][CIN/PIN][POUT][PIN]';
      files.set(hdr, [
        `// ${b.banner}`,
        `// ${commentSafe(s.id)}: ${layout}, zero-padded${stream ? ' (streamed from DRAM: data/wstream_' + s.cname + '.bin)' : ''}; ${isGdn(s) ? 'beta' : 'bias'} [${bias.length}].`,
        `#ifndef LIC_WEIGHTS_${s.cname.toUpperCase()}_H`,
        `#define LIC_WEIGHTS_${s.cname.toUpperCase()}_H`,
        '',
        '#include "../lic_quant.h"',
        '',
        ...(stream ? [] : [`static const lic::wgt_t ${W}[${w.length}] = {`, cArray(w), '};', '']),
        `static const lic::acc_t ${B}[${bias.length}] = {`, cArray(bias), '};',
        '',
        `#endif  // LIC_WEIGHTS_${s.cname.toUpperCase()}_H`,
        '',
      ].join('\n'));
      weightHeaders.push(hdr);
      includes.push(`#include "weights/${s.cname}.h"`);
      if (!stream) partitions.push(`  LIC_PRAGMA(HLS ARRAY_PARTITION variable=${W} dim=1 cyclic factor=${par.pin * par.pout})`);
      partitions.push(`  LIC_PRAGMA(HLS ARRAY_PARTITION variable=${B} dim=1 cyclic factor=${par.pout})`);
      let wArg = W;
      if (stream) {
        wArg = `ws_${s.cname}`;
        params.push(`const lic::wgt_t* ${wArg}`);
        iface.push(`  LIC_PRAGMA(HLS INTERFACE m_axi port=${wArg} bundle=gmem_w offset=slave depth=${w.length})`);
        const file = `data/wstream_${s.cname}.bin`;
        files.set(file, bytesOf(w));
        data.push(file);
        tbLoads.push(`  std::vector<lic::wgt_t> ${wArg}(${w.length});`, `  ok = lic_tb::read_i8(dir + "/wstream_${s.cname}.bin", ${wArg}.data(), ${wArg}.size()) && ok;`);
        tbArgs.push(`${wArg}.data()`);
      }
      const input = inStream(s, s.inputs[0], 0);
      const skip = s.addFrom ? inStream(s, s.addFrom, 2) : undefined;
      const cfg = `cfg_${s.cname}`;
      if (isGdn(s)) {
        cfgs.push(`${comment}\nstruct ${cfg} {\n  static constexpr int GDN_KIND = ${GDN_CODE[s.kind]};\n  static constexpr int CIN = ${l.in.c}, IH = ${l.in.h}, IW = ${l.in.w};\n  static constexpr int ACT = ${s.act}, SLOPE = ${s.slopeQ8};\n};`);
        stages.push(skip
          ? `  LIC_PROCESS(lic::gdn_add_stage<${cfg}, ${par.pin}, ${par.pout}>(${input}, ${skip}, ${out}, ${wArg}, ${B}))`
          : `  LIC_PROCESS(lic::gdn_stage<${cfg}, ${par.pin}, ${par.pout}>(${input}, ${out}, ${wArg}, ${B}))`);
      } else {
        const kind = s.kind === 'conv' ? 'lic::S_CONV' : s.deconv === 'subpixel' ? 'lic::S_DECONV_SP' : 'lic::S_DECONV_ZI';
        cfgs.push([
          comment,
          `struct ${cfg} {`,
          `  static constexpr int KIND = ${kind};`,
          `  static constexpr int CIN = ${l.in.c}, IH = ${l.in.h}, IW = ${l.in.w}, COUT = ${l.out.c}, OH = ${l.out.h}, OW = ${l.out.w};`,
          `  static constexpr int KH = ${l.kh}, KW = ${l.kw}, SH = ${l.sh}, SW = ${l.sw}, PT = ${l.padT}, PL = ${l.padL};`,
          `  static constexpr int SHIFT = ${l.shift}, ACT = ${s.act}, SLOPE = ${s.slopeQ8}, HAS_BIAS = ${l.bias ? 1 : 0};`,
          `  static constexpr int STREAM = ${stream ? 1 : 0}, REUSE = ${Math.max(1, Math.min(par.reuse, l.out.w))};`,
          '};',
        ].join('\n'));
        stages.push(skip
          ? `  LIC_PROCESS(lic::conv_add_stage<${cfg}, ${par.pin}, ${par.pout}, ${par.pk}>(${input}, ${skip}, ${out}, ${wArg}, ${B}))`
          : `  LIC_PROCESS(lic::conv_stage<${cfg}, ${par.pin}, ${par.pout}, ${par.pk}>(${input}, ${out}, ${wArg}, ${B}))`);
      }
    } else if (s.kind === 'add') {
      stages.push(`  LIC_PROCESS(lic::add_stage<${elems(s.outShape)}>(${inStream(s, s.inputs[0], 0)}, ${inStream(s, s.inputs[1], 1)}, ${out}))  ${comment}`);
    } else if (s.kind === 'pixel_shuffle') {
      stages.push(`  LIC_PROCESS(lic::shuffle_stage<${s.index}, ${l.out.c}, ${l.in.h}, ${l.in.w}, ${l.factor}>(${inStream(s, s.inputs[0], 0)}, ${out}))  ${comment}`);
    } else {
      stages.push(`  LIC_PROCESS(lic::unary_stage<${elems(s.outShape)}, ${s.act}, ${s.slopeQ8}>(${inStream(s, s.inputs[0], 0)}, ${out}))  ${comment}`);
    }
    stages.push(...(fanOut.get(s.output) ?? []));
  }
  const final = shape.get(ir.output)!;
  const last = producer.get(ir.output)!;
  stages.push(`  LIC_PROCESS(lic::write_output<${elems(final)}>(${readFrom.get(`${ir.output}|out|0`)}, out))`, '  LIC_DATAFLOW_END');

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
// Shapes of the pipeline's input and output (the testbench's view of the kernel).
#ifndef LIC_PIPELINE_IO_H
#define LIC_PIPELINE_IO_H

#include "lic_quant.h"

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
    headers: ['src/hls_compat.h', 'src/lic_quant.h', 'src/lic_tables.h', 'src/lic_stages.h', 'src/network.h', 'src/pipeline_io.h', ...weightHeaders],
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
        streamed.length
          ? `Streamed weights (${streamed.map((n) => `\`ws_${n}\``).join(', ')}) are read through bundle \`gmem_w\`, one block of POUT output channels per REUSE output pixels.`
          : 'Every stage keeps its weights on chip (read-only memories in `src/weights/`).',
      ].join('\n'),
      data: [
        ' (C×H×W; the testbench reorders it to H×W×C). Weights and biases of on-chip stages are in',
        '`src/weights/<layer>.h` in the order the stage reads them: [C_out/POUT][k_h·k_w][C_in/PIN][POUT][PIN], zero-padded',
        '(GDN gamma [C/POUT][C/PIN][POUT][PIN]; beta in place of the bias).',
        streamed.length ? 'Streamed weights are in `data/wstream_<layer>.bin` in the same order.' : '',
        `\`data/golden_${last.cname}.bin\` is the expected output (C×H×W).`,
      ].filter(Boolean).join('\n'),
      limits: [
        '- Streams carry one int8 value per cycle; a stage whose parallelism asks for more input per cycle than that',
        '  waits on its input FIFO (a wider stream word is a later step).',
        '- A stage reads its input rows, then computes; the two do not overlap within a stage (they do across stages).',
        '- GDN parameters stay on chip even where the point streams weights; `spill` is not emitted (line buffers on chip).',
        '- int8 only; grouped and dilated convolutions, attention and masked (context-model) layers are not emitted.',
      ].join('\n'),
    },
  };
}
