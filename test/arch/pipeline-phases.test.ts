import { describe, expect, it } from 'vitest';
import { phaseGroups, stageArch, stagePhases } from '../../src/arch/pipeline.js';
import { pathPlan } from '../../src/cost/evaluate.js';
import { stageGeomOf } from '../../src/cost/pipeline-design.js';
import { basePoint } from '../../src/mapping/base-point.js';
import { contextFor } from '../../src/mapping/load.js';
import type { Point } from '../../src/mapping/schema.js';
import { divisors } from '../../src/search/pipeline-search.js';
import { zooNames } from '../../src/workload/load.js';

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
});
