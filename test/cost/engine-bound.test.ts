import { describe, expect, it } from 'vitest';
import { basePoint } from '../../src/mapping/base-point.js';
import { contextFor } from '../../src/mapping/load.js';
import { explore } from '../../src/search/explore.js';

/**
 * A layer's bound agrees with its roofline position (issue 8): no layer right of the ridge is 'memory'. The
 * searched KV260 engines have layers right of the ridge whose steps are stretched by transfers (first and last
 * layers, short rows): those read 'latency' (the rule before called them 'memory').
 */
describe('engine: layer bound against the roofline', () => {
  for (const model of ['bmshj2018-hyperprior', 'mbt2018']) {
    it(`${model} on kv260 at 256×256, both paths: right of the ridge is never memory-bound`, () => {
      let latencyRight = 0;
      for (const path of ['encode', 'decode'] as const) {
        const base = basePoint({ model, platform: 'kv260', precision: 'int8', res: '256x256', arch: 'engine', path });
        const { workload, platform, tables } = contextFor(base);
        for (const l of explore(workload, platform, tables, base).best.layers) {
          if (l.cycles === 0 || l.bound === 'serial') continue;
          if (l.rooflineBound === 'compute') expect(l.bound, l.id).not.toBe('memory');
          if (l.rooflineBound === 'compute' && l.bound === 'latency') latencyRight++;
        }
      }
      expect(latencyRight).toBeGreaterThan(0);
    });
  }
});
