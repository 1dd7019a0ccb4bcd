import { z } from 'zod';

/** A number a user file gives, within what is physically meaningful; the message states the allowed range. */
export function inRange(min: number, max: number, opts: { int?: boolean; minExclusive?: boolean } = {}) {
  const lo = opts.minExclusive ? `above ${min}` : `${min}`;
  const allowed = `(allowed: ${opts.int ? 'whole numbers ' : ''}${lo} to ${max})`;
  let n = z.number({ error: (i) => (i.input === undefined ? 'required' : `expected a number ${allowed}`) });
  n = opts.minExclusive ? n.gt(min, `out of range ${allowed}`) : n.min(min, `out of range ${allowed}`);
  n = n.max(max, `out of range ${allowed}`);
  return opts.int ? n.int(`not a whole number ${allowed}`) : n;
}

/**
 * Ranges shared by board, point and sweep files. Kernel clocks: FPGA fabric closes timing well below 1 GHz
 * (UltraScale+ DSP48E2 Fmax 891 MHz, DS923); entropy coders on an embedded or host CPU code 1e5..1e9 symbols/s.
 */
export const RANGES = {
  clockMHz: [1, 2000],
  entropySymbolsPerSec: [1e3, 1e12],
  /** GB/s: DDR3 on a small board ~4 GB/s, HBM2e on Versal HBM ~820 GB/s (DS950); 1e4 leaves room, and 1 MB/s
   * below covers deliberately starved test boards. */
  peakGBs: [1e-3, 1e4],
} as const;
