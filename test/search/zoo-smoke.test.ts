import { describe, expect, it } from 'vitest';
import { isUserError } from '../../src/errors.js';
import { basePoint } from '../../src/mapping/base-point.js';
import { contextFor } from '../../src/mapping/load.js';
import { explore } from '../../src/search/explore.js';
import { zooNames } from '../../src/workload/load.js';

describe('every zoo model explores on both templates and paths', () => {
  for (const model of zooNames()) {
    it(model, () => {
      for (const arch of ['engine', 'pipeline'] as const) {
        for (const path of ['encode', 'decode'] as const) {
          const base = basePoint({ model, platform: 'u50', precision: 'int8', res: '256x256', arch, path });
          const { workload, platform, tables } = contextFor(base);
          try {
            const r = explore(workload, platform, tables, base);
            expect(r.best.feasible).toBe(true);
            expect(r.best.fps).toBeGreaterThan(0);
            expect(r.best.layers.length).toBeGreaterThan(0);
          } catch (e) {
            // A pipeline with hundreds of stages may not fit; the engine always should.
            expect(isUserError(e) && arch === 'pipeline', `${model} ${arch} ${path}: ${String(e)}`).toBe(true);
          }
        }
      }
    });
  }
});
