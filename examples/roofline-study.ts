// # A roofline study of one model
//
// Minnen et al. 2018's mean-scale hyperprior (mbt2018-mean) encoding 1280x720 on a ZCU102 with one
// shared MAC array (the engine template of Zhang et al. FPGA'15). Which layers are starved by DDR4,
// which by the MAC array, and how does the picture move from int8 to int16?
// Run with `npx tsx examples/roofline-study.ts`; the charts go to reports/examples/.

import { mkdirSync, writeFileSync } from 'node:fs';
import { exploreDesign, renderPng, reportRecords, rooflineSpec, textTable, type ExploreRequest } from '../src/index.js';

const request: ExploreRequest = { model: 'mbt2018-mean', platform: 'zcu102', precision: 'int8', res: '1280x720', arch: 'engine', path: 'encode' };
mkdirSync('reports/examples', { recursive: true });

// ## 1. Search the best engine at int8 and at int16
// On a DSP48E2 one DSP does two int8 products that share an operand, but only one int16 product, so
// the int16 array has about half the lanes for the same DSP budget, and every tensor twice the bytes.
const studies = (['int8', 'int16'] as const).map((precision) => {
  const req = { ...request, precision };
  const r = exploreDesign(req);
  return { precision, r, ...reportRecords(r, req) };
});

// ## 2. The roofs
// Compute roof = 2 × MAC lanes × clock; bandwidth roof = CTC × sustained DDR bandwidth. The ridge is
// the CTC where they meet: a layer left of it cannot feed the array from DRAM.
console.log(textTable(
  ['precision', 'design', 'compute roof GOP/s', 'bandwidth GB/s', 'ridge ops/B', 'FPS', 'bottleneck'],
  studies.map((s) => [s.precision, s.point.design.split(' depths')[0], Number(s.point.peakGops!.toFixed(1)), Number(s.point.bandwidthAvailableGBs!.toFixed(2)),
    Number((s.point.peakGops! / s.point.bandwidthAvailableGBs!).toFixed(1)), Number(s.point.fps!.toFixed(2)), s.point.bottleneck]),
));

// ## 3. Layer by layer at int8
// CTC (ops per off-chip byte), what the roofline allows, what the layer achieves, and its bound.
const int8 = studies[0];
console.log(`\n${textTable(
  ['layer', 'op', 'CTC', 'attainable GOP/s', 'achieved GOP/s', 'bound', 'cycles'],
  int8.layers.filter((l) => l.cycles > 0).map((l) => [l.layer, l.op, l.ctc === null ? '-' : Number(l.ctc.toFixed(1)), Number(l.attainableGops.toFixed(1)),
    Number((l.achievedGops ?? 0).toFixed(1)), l.bottleneck ? `${l.bound} ◀ bottleneck` : l.bound, l.cycles]),
)}`);

// ## 4. What moved
// Count memory-bound layers and compare the frame rates.
for (const s of studies) {
  const mem = s.layers.filter((l) => l.cycles > 0 && l.rooflineBound === 'memory').length;
  console.log(`${s.precision}: ${mem} of ${s.layers.filter((l) => l.cycles > 0).length} layers left of the ridge; ${s.point.fps!.toFixed(2)} FPS with ${s.point.dspUsed} DSP`);
}
const slower = studies[0].point.fps! / studies[1].point.fps!;
console.log(`int16 is ${slower.toFixed(2)}× slower than int8 on this board`);

// ## 5. Draw both rooflines
// The same chart specification renders to PNG here and is embedded interactive in a sweep's index.html.
for (const s of studies) {
  const file = `reports/examples/roofline-mbt2018-mean-zcu102-${s.precision}.png`;
  writeFileSync(file, await renderPng(rooflineSpec(s.point, s.layers)));
  console.log(`wrote ${file}`);
}
