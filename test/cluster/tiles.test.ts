import { describe, expect, it } from 'vitest';
import { proportionalSplit, stripLatency, tileLatency } from '../../src/cluster/tiles.js';
import { board, cluster, link } from './synthetic.js';

describe('tile parallelism', () => {
  it('splits whole units in proportion to speed, at least one each (largest remainder)', () => {
    expect(proportionalSplit(16, [1, 1, 1, 1])).toEqual([4, 4, 4, 4]);
    expect(proportionalSplit(16, [2, 1, 1])).toEqual([8, 4, 4]); // 3 + 13 × (½, ¼, ¼) = 3 + (6.5, 3.25, 3.25) → 9.5, 4.25, 4.25 → 8,4,4 after floors + remainder
    expect(proportionalSplit(2, [1, 1, 1])).toEqual([1, 1, 0]);
    expect(proportionalSplit(10, [3, 1]).reduce((a, b) => a + b, 0)).toBe(10);
  });

  it('one 1024×1024 image on two equal boards: strips of 512 + 64 halo rows, hand-worked latency', () => {
    // Board time for a strip: 0.1 ms per row (latency = period). Master link 100 MB/s, no fixed costs, fast board links.
    const timing = (_w: number, rows: number) => ({ periodSec: rows * 1e-4, latencySec: rows * 1e-4 });
    const boards = [board('a#1', 0.1024, { tile: timing }), board('a#2', 0.1024, { tile: timing })];
    const c = cluster(boards, {
      split: 'tile',
      frame: { width: 1024, height: 1024, inBytes: 3145728, outBytes: 65536, symbols: 0, inBytesPerPixel: 3, outBytesPerPixel: 0.0625 },
      tile: { haloRows: 64, rowMultiple: 64, receptiveField: 129, haloFrom: 'given' },
    }, { link: link('m', 100e6), copyBytesPerSec: 1e9 });
    const r = tileLatency(c, boards, 1024, 1024);
    expect(r.strips.map((s) => [s.rows, s.rowsIn])).toEqual([[512, 576], [512, 576]]);
    expect(r.haloOverhead).toBeCloseTo(0.125, 12); // 1152 / 1024 − 1
    // Strip in: 1024 × 576 × 3 = 1,769,472 B = 17.69472 ms each, sent one after the other: arrive at 17.69 and 35.39 ms.
    // Compute 57.6 ms → done at 75.29 and 92.99 ms. Results 1024 × 512 × 0.0625 = 32,768 B = 0.32768 ms each on the way back:
    // back at 75.62 and 93.32 ms. Stitch 65,536 B at 1 GB/s = 0.065536 ms → 93.3866 ms.
    expect(r.latencyMs).toBeCloseTo(17.69472 * 2 + 57.6 + 0.32768 + 0.065536, 9);
    // Streaming: boards 1/57.6 ms = 17.36 FPS; link 3,538,944 B per image → 28.26 FPS: the boards limit.
    expect(r.limit).toBe('boards');
    expect(r.fps).toBeCloseTo(1 / 0.0576, 9);

    // A third, ten times slower board (1 ms a row) would get 2 of the 16 row units (7, 7, 2 by largest remainder:
    // 13 spare units × 10/21, 10/21, 1/21 = 6.19, 6.19, 0.62) — 128 rows + 64 halo = 192 ms alone: the master leaves it out.
    const slow = board('s#3', 1.024, { tile: (_w: number, rows: number) => ({ periodSec: rows * 1e-3, latencySec: rows * 1e-3 }) });
    const all = stripLatency({ ...c, boards: [...boards, slow] }, [...boards, slow], 1024, 1024);
    expect(all.strips.map((s) => s.rows)).toEqual([448, 448, 128]);
    expect(all.latencyMs).toBeGreaterThan(192);
    const best = tileLatency({ ...c, boards: [...boards, slow] }, [...boards, slow], 1024, 1024);
    expect(best.n).toBe(2);
    expect(best.latencyMs).toBeCloseTo(r.latencyMs, 12);
  });
});
