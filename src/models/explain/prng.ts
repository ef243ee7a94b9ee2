/**
 * mulberry32: a tiny, fast 32-bit seeded PRNG (Tommy Ettinger, public domain). Deterministic for a
 * seed; returns floats in [0, 1). Used wherever Augur needs reproducible randomness — sampled Shapley
 * permutations, and weight initialisation / fold assignment when training the learned model. Not for
 * cryptography.
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
