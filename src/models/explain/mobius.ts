/**
 * Exact Shapley values from a few model rows when the model declares its interaction structure.
 *
 * On its additive scale a compiled equation model is a sum of terms, each depending on a small set of
 * inputs (e.g. PREVENT: a sex- and variant-specific coefficient times age × SBP). For such a game the
 * Möbius coefficients m(T) vanish for every coalition T that is not inside one declared interaction set,
 * so the family F of coalitions inside some declared set (downward closed) determines every other
 * coalition's value: v(S) = Σ_{T ⊆ S, T ∈ F} m(T). One model run of |F| rows (PREVENT: 168 instead of
 * 8,192) gives m on F; additive-scale Shapley follows directly (φ_j = Σ_{T ∋ j} m(T)/|T|), and the full
 * vector v over all 2^k masks by cheap arithmetic when a scale needs it (probability through the link).
 */

/** The declared sets as bitmasks over the input columns. */
export function interactionMasks(sets: readonly (readonly string[])[], columns: readonly string[]): number[] {
  return sets.map((set) =>
    set.reduce((mask, name) => {
      const c = columns.indexOf(name);
      if (c < 0) throw new Error(`interaction set names unknown input "${name}"`);
      return mask | (1 << c);
    }, 0),
  );
}

/**
 * The downward-closed family of player masks (bit j = players[j]) inside some declared set, ascending.
 * Always contains 0 (the reference).
 */
export function coalitionFamily(columnMasks: readonly number[], players: readonly number[]): number[] {
  const family = new Set<number>([0]);
  for (const cm of columnMasks) {
    let s = 0;
    players.forEach((col, j) => {
      if (cm & (1 << col)) s |= 1 << j;
    });
    for (let sub = s; sub !== 0; sub = (sub - 1) & s) family.add(sub);
  }
  return [...family].sort((a, b) => a - b);
}

/** One row per family mask (x for the players in the mask, the reference elsewhere), then the full row x. */
export function familyRows(
  x: Float64Array,
  reference: Float64Array,
  players: readonly number[],
  family: readonly number[],
): Float64Array {
  const cols = x.length;
  const rows = new Float64Array((family.length + 1) * cols);
  family.forEach((mask, r) => {
    rows.set(reference, r * cols);
    players.forEach((col, j) => {
      if (mask & (1 << j)) rows[r * cols + col] = x[col] ?? Number.NaN;
    });
  });
  rows.set(x, family.length * cols);
  return rows;
}

/**
 * The Möbius coefficients of the game over all 2^k masks (0 outside F) from its values on the family
 * (same order as `family`): the in-place Möbius butterflies restricted to F, which is closed under
 * removing a player, so every butterfly reads a member of F. O(k·|F|).
 */
export function familyMobius(vFamily: ArrayLike<number>, family: readonly number[], k: number): Float64Array {
  const a = new Float64Array(2 ** k);
  family.forEach((mask, i) => (a[mask] = vFamily[i] ?? Number.NaN));
  for (let j = 0; j < k; j++) {
    const bit = 1 << j;
    for (const mask of family) if (mask & bit) a[mask] = (a[mask] ?? 0) - (a[mask ^ bit] ?? 0);
  }
  return a;
}

/** Shapley values from Möbius coefficients: φ_j = Σ_{T ∋ j} m(T) / |T| over the family. O(k·|F|). */
export function mobiusShapley(m: Float64Array, family: readonly number[], k: number): Float64Array {
  const phi = new Float64Array(k);
  for (const mask of family) {
    if (mask === 0) continue;
    let size = 0;
    for (let x = mask; x !== 0; x &= x - 1) size++;
    const share = (m[mask] ?? Number.NaN) / size;
    for (let j = 0; j < k; j++) if (mask & (1 << j)) phi[j] = (phi[j] ?? 0) + share;
  }
  return phi;
}

/** The full game v[mask] = Σ_{T ⊆ mask} m(T) over all 2^k masks (zeta transform). O(k·2^k), arithmetic only. */
export function gameOf(m: Float64Array, k: number): Float64Array {
  const a = Float64Array.from(m);
  const size = a.length;
  for (let j = 0; j < k; j++) {
    const bit = 1 << j;
    for (let high = 0; high < size; high += bit << 1) {
      for (let x = high; x < high + bit; x++) a[x | bit] = (a[x | bit] ?? 0) + (a[x] ?? 0);
    }
  }
  return a;
}
