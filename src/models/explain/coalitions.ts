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
  /** Shapley weight by coalition size s = |S| (0 … k−1): s!(k−s−1)!/k! = 1 / (k · C(k−1, s)). */
  readonly weights: Float64Array;
  /** |S| for every mask. */
  readonly sizes: Uint8Array;
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
  const weights = new Float64Array(Math.max(k, 1));
  for (let s = 0; s < k; s++) weights[s] = 1 / (k * binomial(k - 1, s));
  const sizes = new Uint8Array(size);
  for (let m = 1; m < size; m++) sizes[m] = (sizes[m >> 1] ?? 0) + (m & 1);
  const plan = { k, size, weights, sizes };
  plans.set(k, plan);
  return plan;
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
  for (let m = 0; m < size; m++) {
    const at = m * cols;
    rows.set(reference, at);
    players.forEach((col, j) => {
      if ((m >> j) & 1) rows[at + col] = x[col] ?? Number.NaN;
    });
  }
  return rows;
}

/** Exact Shapley values of the game v (indexed by mask, length 2^k), one per player. */
export function exactShapley(v: Float64Array, k: number): Float64Array {
  const { size, weights, sizes } = coalitionPlan(k);
  const phi = new Float64Array(k);
  for (let m = 0; m < size; m++) {
    const w = weights[sizes[m] ?? 0] ?? 0;
    const base = v[m] ?? Number.NaN;
    for (let j = 0; j < k; j++) {
      if ((m >> j) & 1) continue;
      phi[j] = (phi[j] ?? 0) + w * ((v[m | (1 << j)] ?? Number.NaN) - base);
    }
  }
  return phi;
}
