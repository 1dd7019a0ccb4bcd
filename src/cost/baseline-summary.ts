import type { Estimate } from './types.js';

/** A baseline design in one short string: "3× DPUCZDX8G B4096 @ 281 MHz, 5 CPU subgraphs" or "GPU a100 int8 roofline". */
export function baselineSummary(e: Estimate): string {
  const d = e.design;
  if (d.arch === 'gpu') return `GPU ${d.gpu?.device} ${e.precision} roofline (compared with ${d.platform})`;
  const o = e.offload;
  const size = o ? e.layers.find((l) => l.mapping.startsWith('DPU '))?.mapping.split(' ')[1] : undefined;
  return `${o ? o.dpuUnits : ''}× DPU ${size ?? d.dpu?.size ?? ''} @ ${e.clockMHz} MHz, ${o ? o.subgraphs.length : 0} CPU subgraphs (${o ? o.subgraphs.reduce((s, g) => s + g.layers.length, 0) : 0} layers)`;
}

/** The CPU subgraphs of a DPU estimate in one cell: "1: g_a/1; 2: g_a/3, g_a/4" (empty for other targets). */
export function cpuSubgraphsCell(e: Estimate): string {
  return e.offload ? e.offload.subgraphs.map((s) => `${s.index}: ${s.layers.join(', ')}`).join('; ') : '';
}
