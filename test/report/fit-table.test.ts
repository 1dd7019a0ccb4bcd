import { describe, expect, it } from 'vitest';
import { shortBound } from '../../src/report/fit-table.js';

describe('fit table: the bottleneck in a few words', () => {
  it('names the limit of each kind of bottleneck evaluate writes', () => {
    expect(shortBound('layer g_s/6 (memory)')).toBe('bandwidth');
    expect(shortBound('off-chip bandwidth')).toBe('bandwidth');
    expect(shortBound('layer g_s/4 (compute)')).toBe('compute');
    expect(shortBound('layer g_s/0 (latency)')).toBe('transfer latency');
    expect(shortBound('layer g_s/0 (overhead)')).toBe('control overhead');
    expect(shortBound('serial context model at decode (4800 positions × 1.00 µs)')).toBe('serial context chain');
    expect(shortBound('resource caps: dsp 3000 > 2520')).toBe('resource caps');
  });
});
