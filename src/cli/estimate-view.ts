import type { Estimate } from '../cost/types.js';
import { offloadLines } from '../cost/dpu.js';
import { fmtNum, textTable } from '../report/table.js';
import { RESOURCE_KINDS } from '../platform/schema.js';

/** The terminal view of an estimate: headline, resources and (unless `layers: false`) the per-layer table. */
export function estimateText(e: Estimate, opts: { allLayers?: boolean; layers?: boolean; maxWidth?: number } = {}): string {
  const r = e.resolution;
  const t = { maxWidth: opts.maxWidth };
  const lines = [
    `${e.model}${e.variant ? ` ${e.variant}` : ''} ${e.path} @ ${r.width}x${r.height} (padded ${r.paddedWidth}x${r.paddedHeight}) on ${e.platform}, ${e.arch}, ${e.precision}, ${e.clockMHz} MHz`,
    `FPS ${fmtNum(e.fps)} end-to-end, ${fmtNum(e.acceleratorFps)} accelerator; latency ${fmtNum(e.latencyMs)} ms; ${fmtNum(e.gops)} GOP/s useful`,
    `bottleneck: ${e.bottleneck}`,
    `entropy coder: ${fmtNum(e.entropy.symbols)} symbols/frame at ${e.entropy.symbolsPerSec.toExponential(2)}/s = ${fmtNum(e.entropy.seconds * 1e3)} ms`,
    `bandwidth: ${fmtNum(e.bandwidth.usedGBs)} of ${fmtNum(e.bandwidth.availableGBs)} GB/s`,
    e.feasible ? 'fits every cap' : `EXCEEDS: ${e.violations.join('; ')}`,
    ...offloadLines(e),
    '',
    textTable(['resource', 'used', 'cap', 'available', 'use %'], RESOURCE_KINDS.map((k) => {
      const x = e.resources[k];
      return [k, x.used, Math.floor(x.available * x.cap), x.available, x.available ? Number(((100 * x.used) / x.available).toFixed(1)) : 0];
    }), t),
  ];
  if (opts.layers !== false) {
    lines.push('', textTable(
      ['layer', 'op', 'prec', 'MACs', 'cycles', 'ms', 'bound', 'CTC', 'att. GOP/s', 'util', 'DSP', 'BRAM18', 'mapping'],
      e.layers.filter((l) => opts.allLayers || l.cycles > 0 || l.mapping.startsWith('join buffer')).map((l) => [
        l.id, l.op, l.precision, l.macs, l.cycles, Number(l.timeMs.toFixed(3)), l.bound, l.ctc === null ? '-' : Number(l.ctc.toFixed(1)),
        Number(l.attainableGops.toFixed(1)), Number(l.utilization.toFixed(3)), l.dsp, l.bram18, l.mapping,
      ]),
      t,
    ));
  }
  return `${lines.join('\n')}\n`;
}
