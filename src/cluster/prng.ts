import { mulberry32 as uint32s } from '../util/prng.js';

/** Uniform draws in [0, 1) from the shared seeded generator (a uint32 draw / 2^32). */
export function mulberry32(seed: number): () => number {
  const next = uint32s(seed);
  return () => next() / 4294967296;
}

/** An exponential variate with the given mean (inverse transform; 1 − u keeps the logarithm finite). */
export function exponential(next: () => number, mean: number): number {
  return -mean * Math.log(1 - next());
}
