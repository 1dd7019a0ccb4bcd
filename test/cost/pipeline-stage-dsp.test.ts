import { describe, expect, it } from 'vitest';
import { pathPlan } from '../../src/cost/evaluate.js';
import { pipelineStageDsp, pipelineStageResources } from '../../src/cost/pipeline.js';
import { stageGeomOf } from '../../src/cost/pipeline-design.js';
import { basePoint } from '../../src/mapping/base-point.js';
import { contextFor } from '../../src/mapping/load.js';
import type { Point } from '../../src/mapping/schema.js';
import { zooNames } from '../../src/workload/load.js';

// The pipeline search refuses a board by each stage's smallest option, which it finds by DSPs first without
// sizing memories (pipelineStageDsp): that count must be the DSPs of the stage's full costing.
describe('pipelineStageDsp', () => {
  it("equals pipelineStageResources' DSPs on every zoo stage, both precisions, many parallelisms", () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const model of zooNames()) {
      for (const precision of ['int8', 'int16']) {
        const base = basePoint({ model, platform: 'zcu102', precision, res: '256x256', arch: 'pipeline', path: 'decode' });
        const ctx = contextFor(base);
        const probe: Point = { ...base, pipeline: { weightsInUram: false, buffersInUram: false, deconv: 'subpixel', layers: {} } };
        const family = ctx.platform.spec.dspFamily;
        for (const pl of pathPlan(ctx.workload, probe, 'subpixel')) {
          if (pl.kind !== 'mac') continue;
          const lw = pl.lowered!;
          for (const pin of new Set([1, 2, lw.N])) for (const pout of new Set([1, 3, lw.M])) for (const pk of new Set([1, pin === lw.N ? lw.taps : 1])) {
            const c = { pin, pout, pk, weights: 'onchip' as const, reuse: 1, spill: false, fifoDepth: 2 };
            const want = pipelineStageResources(lw, c, pl.precision, family, ctx.tables, { weightsInUram: false, geom: stageGeomOf(pl) }).resources.dsp;
            const got = pipelineStageDsp(lw, c, pl.precision, family, ctx.tables);
            if (got !== want) wrong.push(`${model} ${precision} ${pl.id} pin${pin} pout${pout} pk${pk}: ${got} ≠ ${want}`);
            checked++;
          }
        }
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(checked).toBeGreaterThan(500);
  });
});
