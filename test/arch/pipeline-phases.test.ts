import { describe, expect, it } from 'vitest';
import { directInput, MVAU_DEPTH, phaseGroups, stageArch, stagePhases, stageShape, SWU_DEPTH, WEIGHT_BEAT_BYTES, type StageGeom, type StagePar } from '../../src/arch/pipeline.js';
import { pathPlan } from '../../src/cost/evaluate.js';
import { stageGeomOf } from '../../src/cost/pipeline-design.js';
import { basePoint } from '../../src/mapping/base-point.js';
import { contextFor } from '../../src/mapping/load.js';
import type { Point } from '../../src/mapping/schema.js';
import { divisors } from '../../src/search/pipeline-search.js';
import { zooNames } from '../../src/workload/load.js';


// The stage's loops as written before the search factored them per geometry (stageShape): one iteration at a
// time, as the template runs them. The description must count exactly these.
const cdivA = (a: number, b: number) => Math.ceil(a / b);
function phaseCount(g: StageGeom, n: number, s: number, pad: number, p: number): number {
  if (g.kind !== 'subpixel') return n;
  const r = (((p - pad) % s) + s) % s;
  return r < n ? Math.floor((n - 1 - r) / s) + 1 : 0;
}
function lastRow(g: StageGeom, o: number): number {
  const r = g.kind === 'conv' ? o * g.sh - g.pt + g.kh - 1 : Math.floor((o + g.pt) / g.sh);
  return Math.min(r, g.ih - 1);
}

function plainLoops(g: StageGeom, par: StagePar, bits: { weight: number; act: number }) {
  const nb = cdivA(g.cin, par.pin);
  const mb = cdivA(g.cout, par.pout);
  const pk = g.kind === 'gdn' ? 1 : par.pk;
  const phases = stagePhases(g, pk);
  const tgt = phases.reduce((s, p) => s + p.groups, 0);
  const tgMax = Math.max(...phases.map((p) => p.groups));
  const stream = par.stream && g.kind !== 'gdn';
  const group = stream ? Math.max(1, Math.min(par.reuse, g.ow)) : 1;
  const blkBytes = tgt * nb * pk * par.pout * par.pin * (bits.weight / 8);
  const beats = stream ? cdivA(blkBytes, WEIGHT_BEAT_BYTES) : 0;
  const sp = g.kind === 'subpixel';
  const byPhase = (py: number, px: number) => phases.find((p) => p.py === py && p.px === px)!.groups;
  // Compute-unit iterations: rows of each vertical phase × (per row) its blocks.
  let mvau = 0;
  for (let py = 0; py < (sp ? g.sh : 1); py++) {
    const rows = phaseCount(g, g.oh, g.sh, g.pt, py);
    if (!rows) continue;
    let row = 0;
    if (!stream) {
      for (let px = 0; px < (sp ? g.sw : 1); px++) row += phaseCount(g, g.ow, g.sw, g.pl, px) * byPhase(py, px) * nb * mb;
    } else {
      for (let ox0 = 0; ox0 < g.ow; ox0 += group) {
        let comp = 0;
        for (let ox = ox0; ox < Math.min(g.ow, ox0 + group); ox++) comp += byPhase(py, sp ? (ox + g.pl) % g.sw : 0) * nb;
        row += mb * Math.max(comp, beats);
      }
    }
    mvau += rows * row;
  }
  const blocks = stream ? g.oh * cdivA(g.ow, group) * mb : 0;
  // The first block's beats before the loop; the loop's fill (and the prologue's); the last group's outputs.
  mvau += beats + MVAU_DEPTH * (stream ? 2 : 1) + (group > 1 ? (g.ow - (cdivA(g.ow, group) - 1) * group) * mb : 0);
  // Sliding-window unit.
  let swu = 0;
  if (!directInput(g)) {
    const first = lastRow(g, 0);
    swu = (first + 1) * g.iw * nb + (g.oh + 1) * SWU_DEPTH;
    let next = first + 1;
    const rowWords = (py: number) => {
      let n = 0;
      for (let px = 0; px < (sp ? g.sw : 1); px++) n += phaseCount(g, g.ow, g.sw, g.pl, px) * byPhase(py, px);
      return n * nb;
    };
    for (let oy = 0; oy < g.oh; oy++) {
      const to = oy + 1 < g.oh ? lastRow(g, oy + 1) : g.ih - 1;
      const fill = to >= next ? (to - next + 1) * g.iw * nb : 0;
      if (to >= next) next = to + 1;
      swu += Math.max(fill, rowWords(sp ? (oy + g.pt) % g.sh : 0));
    }
  }
  return { nb, mb, tgt, group, beats, mvauCycles: mvau, swuCycles: swu, cycles: Math.max(mvau, swu), fetchBytes: blocks * beats * WEIGHT_BEAT_BYTES };
}

/** Every emitted stage geometry of the zoo (both paths), with its taps per output pixel. */
function zooStages() {
  const out: { id: string; g: NonNullable<ReturnType<typeof stageGeomOf>>; taps: number }[] = [];
  for (const model of zooNames()) {
    for (const path of ['encode', 'decode'] as const) {
      const base = basePoint({ model, platform: 'zcu102', precision: 'int8', res: '256x256', arch: 'pipeline', path });
      const ctx = contextFor(base);
      const probe: Point = { ...base, pipeline: { weightsInUram: false, buffersInUram: false, deconv: 'subpixel', layers: {} } };
      for (const pl of pathPlan(ctx.workload, probe, 'subpixel')) {
        const g = pl.kind === 'mac' ? stageGeomOf(pl) : undefined;
        if (g) out.push({ id: `${model} ${path} ${pl.id}`, g, taps: pl.lowered!.taps });
      }
    }
  }
  return out;
}

describe('stage phases', () => {
  const stages = zooStages();
  it('covers sub-pixel, zero-insert, conv and GDN stages', () => {
    const kinds = new Set(stages.map((s) => s.g.kind));
    for (const k of ['conv', 'subpixel', 'gdn']) expect(kinds.has(k as never), k).toBe(true);
  });
  it("the stage description's tap groups per phase are stagePhases' groups (the emitter's list) on every zoo stage", () => {
    let checked = 0;
    for (const { id, g, taps } of stages) {
      for (const pk of [...new Set([1, 2, 3, ...divisors(taps), taps + 1])]) {
        const listed = stagePhases(g, pk);
        expect(phaseGroups(g, pk).flat(), `${id} pk${pk}`).toEqual(listed.map((p) => p.groups));
        const arch = stageArch(g, { pin: 1, pout: 1, pk, stream: false, reuse: 1 }, { weight: 8, act: 8 });
        expect(arch.tgt, `${id} pk${pk}`).toBe(listed.reduce((s, p) => s + p.groups, 0));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
  it('stageArch counts the loops iteration by iteration would, for every zoo stage and many parallelisms (with or without a shared shape)', () => {
    const unique = [...new Map(stages.map((s) => [JSON.stringify(s.g), s])).values()];
    const wrong: string[] = [];
    let checked = 0;
    for (const { id, g, taps } of unique) {
      for (const pk of [...new Set([1, 2, taps])]) {
        const shape = stageShape(g, g.kind === 'gdn' ? 1 : pk);
        for (const pin of new Set([1, 3, g.cin])) for (const pout of new Set([1, 5, g.cout])) {
          const cases: [StagePar, { weight: number; act: number }][] = [[{ pin, pout, pk, stream: false, reuse: 1 }, { weight: 8, act: 8 }]];
          for (const reuse of new Set([1, 16, g.ow])) for (const weight of [8, 16]) cases.push([{ pin, pout, pk, stream: true, reuse }, { weight, act: weight }]);
          for (const [par, bits] of cases) {
            const want = JSON.stringify(plainLoops(g, par, bits));
            for (const got of [stageArch(g, par, bits), stageArch(g, par, bits, shape)]) {
              const { nb, mb, tgt, group, beats, mvauCycles, swuCycles, cycles, fetchBytes } = got;
              const have = JSON.stringify({ nb, mb, tgt, group, beats, mvauCycles, swuCycles, cycles, fetchBytes });
              if (have !== want) wrong.push(`${id} ${JSON.stringify(par)}: ${have} ≠ ${want}`);
            }
            checked++;
          }
        }
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
  });
});
