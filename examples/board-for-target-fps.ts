// # Choosing a board for a target frame rate
//
// A product needs the Ballé 2018 scale-hyperprior decoder (bmshj2018-hyperprior) at 1280x720 and
// 20 frames per second, end to end (accelerator and the entropy decoder on the board's CPU). Which
// is the smallest board that does it, with which template and precision?
// Run with `npx tsx examples/board-for-target-fps.ts`.

import { exploreDesign, isUserError, loadPlatform, platformNames, textTable } from '../src/index.js';

const target = { model: 'bmshj2018-hyperprior', res: '1280x720', path: 'decode' as const, fps: 20 };

// ## 1. The boards, smallest first
// "Smallest" here: fewest DSPs available to kernels (after the platform shell's share).
const boards = platformNames().map(loadPlatform).sort((a, b) => a.available.dsp - b.available.dsp);
console.log(`boards: ${boards.map((b) => `${b.name} (${b.available.dsp} DSP, ${(b.bandwidthBytesPerSec / 1e9).toFixed(1)} GB/s)`).join(', ')}\n`);

// ## 2. Explore every board × template × precision
// A design that does not fit is a result too: keep the reason.
const rows = [];
for (const board of boards) {
  for (const arch of ['engine', 'pipeline'] as const) {
    for (const precision of ['int8', 'int16']) {
      try {
        const r = exploreDesign({ model: target.model, platform: board.name, precision, res: target.res, arch, path: target.path });
        rows.push({ board: board.name, arch, precision, fps: r.best.fps, dsp: r.best.resources.dsp.used, why: r.best.bottleneck });
      } catch (e) {
        if (!isUserError(e)) throw e;
        rows.push({ board: board.name, arch, precision, fps: 0, dsp: 0, why: e.message });
      }
    }
  }
}
console.log(textTable(['board', 'template', 'precision', 'FPS', 'DSP', 'limit'],
  rows.map((r) => [r.board, r.arch, r.precision, Number(r.fps.toFixed(2)), r.dsp, r.why.slice(0, 72)])));

// ## 3. The verdict
// The first board (smallest) with any design at or above the target; on it, the design with the fewest DSPs.
const meets = rows.filter((r) => r.fps >= target.fps);
if (!meets.length) {
  const best = rows.reduce((a, b) => (b.fps > a.fps ? b : a));
  console.log(`\nno board reaches ${target.fps} FPS; the fastest is ${best.board} ${best.arch} ${best.precision} at ${best.fps.toFixed(2)} FPS (${best.why})`);
} else {
  const board = boards.find((b) => meets.some((r) => r.board === b.name))!;
  const pick = meets.filter((r) => r.board === board.name).sort((a, b) => a.dsp - b.dsp)[0];
  console.log(`\n${target.model} ${target.path} at ${target.res} ≥ ${target.fps} FPS: ${pick.board}, ${pick.arch}, ${pick.precision} — ${pick.fps.toFixed(2)} FPS with ${pick.dsp} DSP`);
}
