/**
 * Sampled (permutation) Shapley values for games too large to enumerate (k > 14). Each permutation
 * adds the players one at a time from the reference to x; a player's contribution is the mean of its
 * marginal changes. Permutations come in antithetic pairs (π and its reverse) from a seeded PRNG, so
 * the result is deterministic for a given seed and sample count, and the contributions still sum
 * exactly to v(x) − v(reference) (each permutation's marginals telescope).
 *
 * Batch layout (one model run): row 0 = reference, row 1 = x, then for each permutation the k − 1
 * intermediate prefixes (sizes 1 … k−1).
 */

import { mulberry32 } from './prng.js';

/** `count` permutations of 0 … k−1 (count rounded up to even: antithetic pairs), Fisher–Yates. */
export function samplePermutations(k: number, count: number, seed: number): Int32Array[] {
  const rand = mulberry32(seed);
  const out: Int32Array[] = [];
  while (out.length < count) {
    const p = Int32Array.from({ length: k }, (_, i) => i);
    for (let i = k - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const t = p[i] ?? 0;
      p[i] = p[j] ?? 0;
      p[j] = t;
    }
    out.push(p, p.slice().reverse());
  }
  return out;
}

/** The batch: reference, x, then each permutation's intermediate prefixes (players index into columns). */
export function permutationRows(
  x: Float64Array,
  reference: Float64Array,
  players: readonly number[],
  perms: readonly Int32Array[],
): Float64Array {
  const cols = x.length;
  const k = players.length;
  const n = 2 + perms.length * Math.max(k - 1, 0);
  const rows = new Float64Array(n * cols);
  rows.set(reference, 0);
  rows.set(x, cols);
  const current = new Float64Array(cols);
  let r = 2;
  for (const p of perms) {
    current.set(reference);
    for (let t = 0; t < k - 1; t++) {
      const col = players[p[t] ?? 0] ?? 0;
      current[col] = x[col] ?? Number.NaN;
      rows.set(current, r * cols);
      r++;
    }
  }
  return rows;
}

/** Mean marginal contribution per player, from the values of `permutationRows`' batch. */
export function sampledShapley(v: Float64Array, k: number, perms: readonly Int32Array[]): Float64Array {
  const phi = new Float64Array(k);
  const ref = v[0] ?? Number.NaN;
  const full = v[1] ?? Number.NaN;
  let r = 2;
  for (const p of perms) {
    let prev = ref;
    for (let t = 0; t < k; t++) {
      const next = t === k - 1 ? full : (v[r++] ?? Number.NaN);
      const j = p[t] ?? 0;
      phi[j] = (phi[j] ?? 0) + (next - prev);
      prev = next;
    }
  }
  return phi.map((s) => s / perms.length);
}
