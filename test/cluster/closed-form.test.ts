import { describe, expect, it } from 'vitest';
import { boardCapacity, boardWindow, clusterThroughput, degradation, frameLatencySec, saturatedLatencyMs, survivors } from '../../src/cluster/throughput.js';
import { board, cluster, link } from './synthetic.js';

/**
 * Known answers worked by hand (numbers in the comments), not by re-running the code's formulas.
 */
describe('closed form: frame-parallel throughput', () => {
  it('identical boards: 4 × 10 FPS = 40 FPS, limited by the boards, each board a quarter', () => {
    const c = cluster([1, 2, 3, 4].map((i) => board(`a#${i}`, 0.1)));
    const t = clusterThroughput(c);
    expect(t.fps).toBeCloseTo(40, 9);
    expect(t.limit).toBe('boards');
    for (const b of t.boards) expect(b.fps).toBeCloseTo(10, 9);
  });

  it('mixed boards: 10 + 5 + 2.5 FPS = 17.5 FPS, work shared in proportion to speed', () => {
    const c = cluster([board('a#1', 0.1), board('b#2', 0.2), board('c#3', 0.4)]);
    const t = clusterThroughput(c);
    expect(t.fps).toBeCloseTo(17.5, 9);
    expect(t.boards.map((b) => b.fps)).toEqual([10, 5, 2.5].map((x) => expect.closeTo(x, 9)));
  });

  it('link-bound: 1 GbE at 0.94 carries 117.5 MB/s; a 1024×1024 RGB frame (3,145,728 B) → 37.352 FPS, below 4 × 13.47', () => {
    const gbe = link('1gbe', 117.5e6);
    const c = cluster([1, 2, 3, 4].map((i) => board(`z#${i}`, 1 / 13.47, { link: gbe })), {
      frame: { width: 1024, height: 1024, inBytes: 3145728, outBytes: 65536, symbols: 819200, inBytesPerPixel: 3, outBytesPerPixel: 0.0625 },
    }, { link: gbe });
    const t = clusterThroughput(c);
    expect(t.limit).toBe('master link');
    expect(t.fps).toBeCloseTo(37.35224, 4); // 117,500,000 / 3,145,728
    expect(t.boardsFps).toBeCloseTo(53.88, 9);
    // One board down: 3 × 13.47 = 40.41 is still above the link; two down: 26.94, the boards limit.
    const d = degradation(c);
    expect(d.map((x) => x.limit)).toEqual(['master link', 'master link', 'boards', 'boards', 'boards']);
    expect(d[2].fps).toBeCloseTo(26.94, 9);
    expect(d[4].fps).toBe(0);
  });

  it('a board behind a slower link than its compute is capped by its link', () => {
    // 3 MB at 10 MB/s = 0.3 s per frame > 0.1 s compute → 3.333 FPS.
    const b = board('a#1', 0.1, { link: link('slow', 10e6) });
    const c = cluster([b]);
    expect(boardCapacity(b, c)).toEqual({ fps: expect.closeTo(10 / 3, 9), bound: 'link' });
  });

  it('master CPU bound when the master entropy-codes: 4 cores / (2 × 30 µs + 819,200 symbols / 2e7) = 97.513 FPS', () => {
    const c = cluster([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => board(`a#${i}`, 0.05)), { entropy: 'master', frame: { width: 1024, height: 1024, inBytes: 3145728, outBytes: 819200, symbols: 819200, inBytesPerPixel: 3, outBytesPerPixel: 0.78125 } },
      { messageSec: 30e-6, entropySymbolsPerSec: 2e7 });
    const t = clusterThroughput(c);
    expect(t.limit).toBe('master CPU');
    expect(t.fps).toBeCloseTo(97.5134, 3);
  });

  it('unloaded latency adds dispatch, both messages with their fixed costs, and the board', () => {
    // master link 100 MB/s, 50 µs per message end; board link 50 MB/s, 20 µs; 3 MB in, 0.1 MB out; 1 ms CPU per message; board 80 ms.
    // in: max(30 ms, 60 ms) + 70 µs = 60.07 ms; out: max(1, 2) ms + 70 µs = 2.07 ms; CPU 2 ms → 80 + 60.07 + 2.07 + 2 = 144.14 ms.
    const b = board('a#1', 0.05, { latencySec: 0.08, link: link('b', 50e6, 20e-6) });
    const c = cluster([b], {}, { link: link('m', 100e6, 50e-6), messageSec: 1e-3 });
    expect(frameLatencySec(b, c) * 1e3).toBeCloseTo(144.14, 9);
  });

  it('saturated latency is Little\'s law: frames in the windows over the throughput', () => {
    // Board 10 FPS, latency 0.1 s; the transfers (3.1 MB at 1 TB/s = 3.1 µs) make the round trip just over one period:
    // window max(2, ⌈1.00003⌉ + 1) = 3; 4 boards → 12 frames / 40 FPS = 300 ms.
    const c = cluster([1, 2, 3, 4].map((i) => board(`a#${i}`, 0.1)));
    expect(boardWindow(c.boards[0], c, 2)).toBe(3);
    expect(saturatedLatencyMs(c, c.boards, 2)).toBeCloseTo(300, 6);
    expect(boardWindow(c.boards[0], c, 5)).toBe(5);
  });

  it('k failed boards: the fastest go first (worst case), ties in file order', () => {
    const c = cluster([board('slow#1', 0.4), board('fast#2', 0.1), board('mid#3', 0.2), board('fast#4', 0.1)]);
    expect(survivors(c, 1).map((b) => b.id)).toEqual(['slow#1', 'mid#3', 'fast#4']);
    expect(survivors(c, 2).map((b) => b.id)).toEqual(['slow#1', 'mid#3']);
    expect(clusterThroughput(c, survivors(c, 2)).fps).toBeCloseTo(7.5, 9); // 2.5 + 5
  });
});
