/**
 * Exact Shapley values by full enumeration of coalitions. A coalition S ⊆ players is a bitmask; its
 * row takes x for the players in S and the reference elsewhere, so row `mask` of the batch is v(S) and
 * the whole game is ONE batched model run of 2^k rows.
 *
 *   φ_i = Σ_{S ∌ i} |S|! (k − |S| − 1)! / k! · (v(S ∪ {i}) − v(S))
 *
 * The weights depend only on k, so they are computed once per k and cached (k ≤ 14 in practice).
 */
export interface CoalitionPlan {
  readonly k: number;
  /** 2^k. */
  readonly size: number;
  /** Per mask S: the Shapley weight w(|S|) = |S|!(k−|S|−1)!/k! = 1 / (k · C(k−1, |S|)) (0 for the full set). */
  readonly weight: Float64Array;
}

const plans = new Map<number, CoalitionPlan>();

function binomial(n: number, r: number): number {
  let c = 1;
  for (let i = 1; i <= r; i++) c = (c * (n - r + i)) / i;
  return c;
}

/** The cached coalition plan for k players. */
export function coalitionPlan(k: number): CoalitionPlan {
  const cached = plans.get(k);
  if (cached !== undefined) return cached;
  const size = 2 ** k;
  const w = Array.from({ length: k + 1 }, (_, s) => (s < k ? 1 / (k * binomial(k - 1, s)) : 0));
  const weight = new Float64Array(size);
  for (let m = 0; m < size; m++) weight[m] = w[popcountOf(m)] ?? 0;
  const plan = { k, size, weight };
  plans.set(k, plan);
  return plan;
}

function popcountOf(m: number): number {
  let c = 0;
  for (let x = m; x !== 0; x &= x - 1) c++;
  return c;
}

/**
 * The batch for a game over `players` (column indices into the row): 2^k rows of `x.length` columns,
 * row `mask` taking x[players[j]] where bit j of mask is set and the reference elsewhere.
 */
export function coalitionRows(
  x: Float64Array,
  reference: Float64Array,
  players: readonly number[],
): Float64Array {
  const cols = x.length;
  const size = 2 ** players.length;
  const rows = new Float64Array(size * cols);
  rows.set(reference, 0);
  for (let filled = cols; filled < rows.length; filled *= 2)
    rows.copyWithin(filled, 0, Math.min(filled, rows.length - filled));
  players.forEach((col, j) => {
    const value = x[col] ?? Number.NaN;
    for (let m = 1 << j; m < size; m = (m + 1) | (1 << j)) rows[m * cols + col] = value;
  });
  return rows;
}

/**
 * Exact Shapley values of the game v (indexed by mask, length 2^k), one per player. The masks without
 * bit j are visited as (high part, low part) blocks, so each marginal v(S ∪ j) − v(S) is taken as a
 * difference (a null player gets exactly 0).
 */
export function exactShapley(v: Float64Array, k: number): Float64Array {
  const { size, weight } = coalitionPlan(k);
  const phi = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const bit = 1 << j;
    let acc = 0;
    for (let high = 0; high < size; high += bit << 1) {
      for (let m = high; m < high + bit; m++) {
        acc += (weight[m] ?? 0) * ((v[m | bit] ?? Number.NaN) - (v[m] ?? Number.NaN));
      }
    }
    phi[j] = acc;
  }
  return phi;
}
