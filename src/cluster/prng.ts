/**
 * mulberry32 (Tommy Ettinger's 32-bit generator, public domain): small, fast and seeded, so a simulation
 * is a pure function of its configuration and seed. Not for cryptography.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An exponential variate with the given mean (inverse transform; 1 − u keeps the logarithm finite). */
export function exponential(next: () => number, mean: number): number {
  return -mean * Math.log(1 - next());
}
