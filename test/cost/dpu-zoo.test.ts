import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/cost/evaluate.js';
import { loadPlatform } from '../../src/platform/load.js';
import { workloadFor } from '../../src/mapping/load.js';
import { PointSchema } from '../../src/mapping/schema.js';
import { tables } from './helpers.js';

/**
 * Known answers: Vitis AI 2.5 model zoo README (Xilinx/Vitis-AI v2.5 model_zoo/README.md), 'Performance on
 * ZCU102 (0432055-05)', measured with a '3 * B4096 @ 281MHz' DPU configuration - end-to-end throughput (fps)
 * with one thread (one frame at a time) and with several threads (frames on all three cores).
 * The model files (models/baselines/) describe the networks layer by layer; their MACs reproduce the zoo's
 * GOPs (8.2 G, 3.63 G, 30.96 G).
 *
 * Error of this model (estimate / published − 1), as this test computes it:
 *   single thread   resnet50_pt +6.3 %, chen_color_resnet18_pt −12.7 %, vgg_16_tf +12.6 %
 *   multi thread    resnet50_pt +19.5 %, chen_color_resnet18_pt +21.4 %, vgg_16_tf +68.8 %
 * The multi-thread figures are optimistic: three cores share the PS DDR, which the model credits with the board
 * file's 0.7 × 19.2 GB/s; VGG-16's 138 MB of int8 weights per frame at the published 40.94 fps is only 5.7 GB/s.
 */
const ZOO = [
  { model: 'resnet50-pt', gops: 8.2, single: 77.58, multi: 173.16, maxSingle: 0.15, maxMulti: 0.25 },
  { model: 'resnet18-pt', gops: 3.63, single: 204.7, multi: 499.15, maxSingle: 0.15, maxMulti: 0.25 },
  { model: 'vgg16-tf', gops: 30.96, single: 20.15, multi: 40.94, maxSingle: 0.15, maxMulti: 0.75 },
];

describe('DPU known answers: Vitis AI model zoo on ZCU102 (3 × B4096 @ 281 MHz)', () => {
  for (const z of ZOO) {
    it(`${z.model}: within ${z.maxSingle * 100} % (one thread) and ${z.maxMulti * 100} % (all cores) of the published fps`, () => {
      const ref = { model: `models/baselines/${z.model}.json`, res: '224x224', pad: 'stride' as const, path: 'encode' as const };
      const w = workloadFor(ref);
      const macs = w.layers.reduce((s, l) => s + l.macs, 0);
      expect(Math.abs((2 * macs) / 1e9 / z.gops - 1)).toBeLessThan(0.01);
      const p = PointSchema.parse({ schema: 'lic-dse/point@1', workload: ref, platform: 'zcu102', clockMHz: 281, precision: 'int8', arch: 'dpu', dpu: {} });
      const e = evaluate(w, loadPlatform('zcu102'), p, tables);
      expect(e.offload!.subgraphs).toEqual([]);
      const single = 1000 / e.latencyMs;
      const multi = e.fps;
      expect(Math.abs(single / z.single - 1), `one thread: ${single.toFixed(1)} vs ${z.single}`).toBeLessThan(z.maxSingle);
      expect(Math.abs(multi / z.multi - 1), `multi thread: ${multi.toFixed(1)} vs ${z.multi}`).toBeLessThan(z.maxMulti);
    });
  }
});
