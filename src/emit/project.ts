import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Estimate } from '../cost/types.js';
import type { Point } from '../mapping/schema.js';
import type { Platform } from '../platform/schema.js';
import { PACKAGE_ROOT } from '../util/files.js';
import { stepText, type Built, type Files, type TemplateOutput } from './common.js';
import { isMacOp } from './ir.js';
import { markdownSafe, render } from './templates.js';
import { EMIT_SCHEMA } from './write.js';

/** Clock period in ns for a clock in MHz, as the Tcl and the cfg write it (at most 3 decimals). */
export const periodNs = (mhz: number) => String(Number((1000 / mhz).toFixed(3)));

function version(): string {
  try {
    return (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? '0';
  } catch {
    return '0';
  }
}

const tclQuote = (s: string) => `{${s}}`;

/** The build files, README and tiling.json around a template's sources. */
export function projectFiles(b: Built, t: TemplateOutput, ctx: { point: Point; estimate: Estimate; platform: Platform; seed: number }, files: Files) {
  const { ir } = b;
  const { point, estimate, platform } = ctx;
  const part = platform.spec.part;
  const period = periodNs(point.clockMHz);
  const tclFiles = [
    ...t.synth.map((f) => `add_files -cflags "-std=c++17" [file join $here ${f.split('/').map(tclQuote).join(' ')}]`),
    ...t.headers.map((f) => `add_files [file join $here ${f.split('/').map(tclQuote).join(' ')}]`),
    ...t.tb.filter((f) => f.endsWith('.cpp')).map((f) => `add_files -tb -cflags "-std=c++17" [file join $here ${f.split('/').map(tclQuote).join(' ')}]`),
    ...t.tb.filter((f) => !f.endsWith('.cpp')).map((f) => `add_files -tb [file join $here ${f.split('/').map(tclQuote).join(' ')}]`),
    ...t.data.map((f) => `add_files -tb [file join $here ${f.split('/').map(tclQuote).join(' ')}]`),
  ].join('\n');
  const common = { BANNER: b.banner, NAME: b.name, TOP: b.top, PART: part, PERIOD: period, ADD_FILES: tclFiles };
  files.set('run_hls.tcl', render('project/run_hls.tcl.tmpl', common));
  files.set('run_hls_legacy.tcl', render('project/run_hls_legacy.tcl.tmpl', common));
  files.set('hls_config.cfg', render('project/hls_config.cfg.tmpl', {
    BANNER: b.banner, NAME: b.name, TOP: b.top, PART: part, PERIOD: period,
    SYN_FILES: t.synth.map((f) => `syn.file=${f}`).join('\n'),
    TB_FILES: [...t.tb.filter((f) => f.endsWith('.cpp')), ...t.data].map((f) => `tb.file=${f}`).join('\n'),
  }));
  files.set('Makefile', render('project/Makefile.tmpl', {
    BANNER: b.banner, NAME: b.name, TOP: b.top, SRC: t.synth.join(' '), TB: t.tb.filter((f) => f.endsWith('.cpp')).join(' '),
    HDRS: [...t.headers, ...t.tb.filter((f) => !f.endsWith('.cpp'))].join(' '),
    ...(ir.arch === 'pipeline'
      ? {
        EXTRA_HELP: '#   make sim-dataflow                       the same, one thread per stage and FIFOs of the emitted depths\n#                                           (stops and names the streams if those depths would deadlock)\n',
        EXTRA_TARGETS: 'sim-dataflow: build/sim-dataflow\n\t./build/sim-dataflow data\n\nbuild/sim-dataflow: $(SRC) $(TB) $(HDRS)\n\t@mkdir -p build\n\t$(CXX) $(CXXFLAGS) -pthread -DLIC_THREADED_DATAFLOW $(SRC) $(TB) -o $@\n\n',
        EXTRA_PHONY: ' sim-dataflow',
      }
      : { EXTRA_HELP: '', EXTRA_TARGETS: '', EXTRA_PHONY: '' }),
  }));

  const layers = ir.steps.map((s) => ({
    step: s.index,
    name: s.cname,
    layer: s.id,
    kind: s.kind,
    fused: s.fused,
    input: s.inputs,
    output: { tensor: s.output, ...s.outShape },
    ...(s.kind === 'deconv' ? { deconv: s.deconv } : {}),
    ...(s.kind === 'conv' || s.kind === 'deconv' ? { kernel: [s.layer.kh, s.layer.kw], stride: [s.layer.sh, s.layer.sw], pad: [s.layer.padT, s.layer.padL], shift: s.layer.shift, bias: s.layer.bias } : {}),
    ...(s.tile ? { tile: s.tile } : {}),
    ...(s.par ? { parallelism: s.par } : {}),
  }));
  const tiling = {
    schema: EMIT_SCHEMA,
    generator: `lic-dse ${version()}`,
    name: b.name,
    top: b.top,
    model: ir.model,
    variant: estimate.variant,
    part: ir.part,
    path: point.workload.path,
    arch: ir.arch,
    board: { name: platform.name, part, clockMHz: point.clockMHz, clockPeriodNs: Number(period) },
    seed: ctx.seed,
    input: ir.input,
    interface: t.summary,
    layers,
    point,
    estimate,
  };
  files.set('tiling.json', `${JSON.stringify(tiling, null, 2)}\n`);

  const est = `${estimate.acceleratorFps.toFixed(1)} FPS accelerator, ${estimate.resources.dsp.used} DSP, ${estimate.resources.bram18.used} BRAM18, bottleneck ${estimate.bottleneck}`;
  const layerRows = ir.steps.map((s) => {
    const map = s.tile ? `tn ${s.tile.tn} tm ${s.tile.tm} tr ${s.tile.tr} tc ${s.tile.tc}`
      : s.par ? `pin ${s.par.pin} pout ${s.par.pout} pk ${s.par.pk}${s.par.weights === 'stream' ? ` weights streamed (reuse ${s.par.reuse})` : ''} fifo ${s.par.fifoDepth}`
        : isMacOp(s.kind) ? '' : 'element-wise';
    return `| ${s.index} | \`${s.cname}\` | ${markdownSafe(stepText(s))} | ${map} |`;
  });
  const fileList = [...files.keys(), 'README.md'].sort().filter((f) => !f.startsWith('data/golden_') && !f.startsWith('src/weights/'));
  const hasGolden = [...files.keys()].some((f) => f.startsWith('data/golden_'));
  const hasWeights = [...files.keys()].some((f) => f.startsWith('src/weights/'));
  const fileText = [
    ...fileList.map((f) => `- \`${f}\``),
    ...(hasWeights ? ['- `src/weights/*.h`: on-chip weights and biases of each stage (read-only memories)'] : []),
    ...(hasGolden ? ['- `data/golden_*.bin`: reference outputs (lic-dse TypeScript reference)'] : []),
  ].join('\n');
  files.set('README.md', render('project/README.md.tmpl', {
    TITLE: `${ir.model} ${ir.part} — ${ir.arch} (Vitis HLS)`,
    BANNER: b.banner,
    MODEL: `${ir.model}${estimate.variant ? ` (${markdownSafe(estimate.variant)})` : ''}, ${Object.entries(point.workload.params ?? {}).map(([k, v]) => `${k}=${v}`).join(', ') || 'default parameters'}, ${point.workload.res}`,
    PART_NAME: ir.part,
    PATH: point.workload.path,
    ARCH: ir.arch,
    BOARD: platform.spec.title,
    PART: part,
    MHZ: String(point.clockMHz),
    PERIOD: period,
    TOP: b.top,
    NAME: b.name,
    ESTIMATE: est,
    SEED: String(ctx.seed),
    FILES: fileText,
    LAYERS: ['| step | name | layer(s) | mapping |', '|---|---|---|---|', ...layerRows].join('\n'),
    INTERFACE: t.readme.interface,
    DATA_NOTES: t.readme.data,
    LIMITS: t.readme.limits,
    SIM_NOTES: ir.arch === 'pipeline'
      ? '\n`make sim-dataflow` runs the same testbench with one thread per stage and every FIFO bounded to the depth the\nkernel declares, as in hardware: if those depths could deadlock the dataflow, it stops and names the blocked streams.\n'
      : '\n`make perf` runs it under the counting shim and writes `perf.json`: each layer\'s cycles counted from its loop trips,\nAXI beats and bursts beside lic-dse\'s estimate (assumptions under "Cycle accounting" below); `make perf-count`\nskips the arithmetic (for full-size layers).\n',
  }));
}
