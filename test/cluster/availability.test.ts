import { describe, expect, it } from 'vitest';
import { availability, binomialPmf, boardAvailability, boardsNeeded } from '../../src/cluster/availability.js';
import { board, cluster, link } from './synthetic.js';

describe('availability: independent boards, binomial steady state', () => {
  it('A = MTBF / (MTBF + MTTR): 900 h / (900 + 100) h = 0.9', () => {
    expect(boardAvailability({ mtbfHours: 900, mttrHours: 100 })).toBeCloseTo(0.9, 12);
    expect(boardAvailability({})).toBe(1);
  });

  it('binomial pmf: P(K = 2 | n = 3, a = 0.9) = 3 × 0.81 × 0.1 = 0.243', () => {
    expect(binomialPmf(3, 2, 0.9)).toBeCloseTo(0.243, 12);
    expect(binomialPmf(3, 3, 0.9)).toBeCloseTo(0.729, 12);
  });

  it('3 identical boards of 10 FPS at A = 0.9, target 20 FPS: P(K ≥ 2) = 0.243 + 0.729 = 0.972', () => {
    const c = cluster([1, 2, 3].map((i) => board(`a#${i}`, 0.1, { mtbfHours: 900, mttrHours: 100 })));
    const a = availability(c, 20);
    expect(a.probability).toBeCloseTo(0.972, 12);
    // Mean: 30 × 0.729 + 20 × 0.243 + 10 × 0.027 = 21.87 + 4.86 + 0.27 = 27.
    expect(a.expectedFps).toBeCloseTo(27, 9);
  });

  it('mixed boards (10 FPS at A = 0.9, 5 FPS at A = 0.8): a product of binomials', () => {
    const c = cluster([board('f#1', 0.1, { mtbfHours: 9, mttrHours: 1 }), board('s#2', 0.2, { mtbfHours: 8, mttrHours: 2 })]);
    expect(availability(c, 12).probability).toBeCloseTo(0.72, 12); // both up
    expect(availability(c, 10).probability).toBeCloseTo(0.9, 12); // the fast one up
    expect(availability(c, 5).probability).toBeCloseTo(0.98, 12); // not both down: 1 − 0.1 × 0.2
    expect(availability(c, 1).expectedFps).toBeCloseTo(13, 9); // 15 × 0.72 + 10 × 0.18 + 5 × 0.08
  });

  it('the N needed: 10-FPS boards at A = 0.9 for P(FPS ≥ 20) ≥ 0.99 → N = 4 (N = 3 gives 0.972, N = 4 gives 0.9963)', () => {
    const b = board('a#1', 0.1, { mtbfHours: 900, mttrHours: 100 });
    const r = boardsNeeded(cluster([b]), b, 20, 0.99);
    expect(r.n).toBe(4);
    expect(r.probability).toBeCloseTo(1 - 0.0001 - 0.0036, 12);
  });

  it('no N helps when the master link caps the cluster below the target', () => {
    const b = board('a#1', 0.1, { mtbfHours: 900, mttrHours: 100 });
    const c = cluster([b], {}, { link: link('1gbe', 117.5e6) }); // 3 MB frames → 39.17 FPS cap
    const r = boardsNeeded(c, b, 50, 0.99);
    expect(r.n).toBeNull();
    expect(r.reason).toMatch(/master link/);
  });
});
