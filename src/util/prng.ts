/**
 * mulberry32 (Tommy Ettinger's 32-bit generator, public domain): small, fast and seeded, so emitted test data
 * and cluster simulations are pure functions of their seed. Not for cryptography. Returns uint32 draws.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}
