/**
 * Shapley attribution of a model's outputs to its inputs, against a reference profile, as a pure
 * function of a batch-evaluate callback. Inputs whose value equals the reference are null players
 * (exactly zero contribution, and dropping them leaves every other value unchanged), so the game is
 * played over the k inputs that differ: exact enumeration (one run of 2^k rows) for k ≤ maxExactPlayers,
 * otherwise seeded permutation sampling (one run of 2 + M(k−1) rows).
 *
 * Each output is transformed to its additive scale before combining, so on that scale the
 * contributions sum to f(x) − f(reference) (to floating-point rounding, ~1e−12).
 */
import type { BatchRun } from '../types.js';
import { coalitionRows, exactShapley } from './coalitions.js';
import { permutationRows, sampledShapley, samplePermutations } from './sampled.js';
import type { AdditiveScale } from './scales.js';

export interface ShapleyOptions {
  /** Largest k solved exactly (2^k rows). */
  maxExactPlayers: number;
  /** Permutations for the sampled method (rounded up to an even number: antithetic pairs). */
  permutations: number;
  seed: number;
  /** Force sampling even when exact is affordable (tests, benchmarks). */
  forceSampled?: boolean;
}

export const DEFAULT_SHAPLEY: Readonly<ShapleyOptions> = {
  maxExactPlayers: 14,
  permutations: 512,
  seed: 0x5eed,
};

export interface OutputAttribution {
  /** f(x) and f(reference) on the output's own scale. */
  readonly value: number;
  readonly referenceValue: number;
  /** The same on the additive scale. */
  readonly scaled: number;
  readonly scaledReference: number;
  /** One contribution per input column (0 for inputs equal to the reference). */
  readonly phi: Float64Array;
}

export interface Attribution {
  readonly method: 'shapley-exact' | 'shapley-sampled';
  readonly samples?: { permutations: number; seed: number };
  /** Rows in the batched model run. */
  readonly rows: number;
  readonly outputs: OutputAttribution[];
}

/** Same encoded value (NaN = missing equals NaN). */
const same = (a: number | undefined, b: number | undefined): boolean => Object.is(a, b) || a === b;

export function differingColumns(x: Float64Array, reference: Float64Array): number[] {
  const players: number[] = [];
  for (let c = 0; c < x.length; c++) if (!same(x[c], reference[c])) players.push(c);
  return players;
}

/**
 * Attributes every output of `run` at `x` relative to `reference`.
 * @param scales per output (manifest order), the transform to its additive scale.
 */
export async function shapley(
  run: BatchRun,
  x: Float64Array,
  reference: Float64Array,
  scales: readonly AdditiveScale[],
  options: Readonly<ShapleyOptions> = DEFAULT_SHAPLEY,
): Promise<Attribution> {
  const players = differingColumns(x, reference);
  const k = players.length;
  const exact = k <= options.maxExactPlayers && options.forceSampled !== true;
  const perms = exact ? [] : samplePermutations(k, options.permutations, options.seed);
  const rows = exact ? coalitionRows(x, reference, players) : permutationRows(x, reference, players, perms);
  const n = rows.length / x.length;
  const raw = await run(rows, n);
  const fullRow = exact ? n - 1 : 1;
  const outputs = scales.map((scale, o): OutputAttribution => {
    const y = raw[o] ?? new Float64Array(n).fill(Number.NaN);
    const v = y.map(scale.forward);
    const phiPlayers = exact ? exactShapley(v, k) : sampledShapley(v, k, perms);
    const phi = new Float64Array(x.length);
    players.forEach((col, j) => (phi[col] = phiPlayers[j] ?? Number.NaN));
    return {
      value: y[fullRow] ?? Number.NaN,
      referenceValue: y[0] ?? Number.NaN,
      scaled: v[fullRow] ?? Number.NaN,
      scaledReference: v[0] ?? Number.NaN,
      phi,
    };
  });
  return exact
    ? { method: 'shapley-exact', rows: n, outputs }
    : {
        method: 'shapley-sampled',
        samples: { permutations: perms.length, seed: options.seed },
        rows: n,
        outputs,
      };
}
