// Apart from range.ts so that the CLI's argument check (run.ts) does not load zod at start-up.

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
