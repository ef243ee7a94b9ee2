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
import { coalitionFamily, familyMobius, familyRows, gameOf, mobiusShapley } from './mobius.js';
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
  /**
   * The model's verified interaction structure (mobius.ts): column bitmasks of the declared sets, and
   * per output whether the declaration covers it (categorical code outputs are not attributed). When
   * given, the exact game is rebuilt from the family's rows instead of 2^k rows.
   */
  interactions?: { readonly masks: readonly number[]; readonly outputs: readonly boolean[] };
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
  /**
   * Exact method: the game on the additive scale, v[mask] for all 2^k masks over `Attribution.players`
   * (enumerated, or rebuilt on first call from the declared interaction family), for other scales
   * through the link. Undefined for the sampled method and for outputs a declaration does not cover.
   */
  readonly game?: () => Float64Array;
  /**
   * Shapley values of the output itself (its own scale: a probability, mg/week), one per input column:
   * the same game played on f rather than on the additive scale, so each is the average over coalitions
   * of the other inputs of the what-if change from setting that input to the patient's value. Exact for
   * the exact method (from the 2^k values, or the declared family's game through the inverse link),
   * sampled for the sampled method; sums to value − referenceValue either way. Undefined for identity
   * scales (equal to `phi`) and for outputs a declaration does not cover.
   */
  readonly outputPhi?: Float64Array;
  /**
   * Exact method: per input column, the single what-if on the output's own scale, f(x) − f(x with that
   * input at the reference) — the coalition "all the other inputs at the patient's values", read from
   * the game (no extra rows). Beside `outputPhi` it shows when an input's effect depends on the others.
   */
  readonly outputWhatIf?: Float64Array;
}

export interface Attribution {
  readonly method: 'shapley-exact' | 'shapley-sampled';
  readonly samples?: { permutations: number; seed: number };
  /** Rows in the batched model run. */
  readonly rows: number;
  /** The input columns that differ from the reference (bit j of a game mask = players[j]). */
  readonly players: readonly number[];
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
  if (exact && options.interactions !== undefined) {
    const viaFamily = await familyShapley(run, x, reference, scales, players, options.interactions);
    if (viaFamily !== undefined) return viaFamily;
  }
  const perms = exact ? [] : samplePermutations(k, options.permutations, options.seed);
  const rows = exact ? coalitionRows(x, reference, players) : permutationRows(x, reference, players, perms);
  const n = rows.length / x.length;
  const raw = await run(rows, n);
  const fullRow = exact ? n - 1 : 1;
  const outputs = scales.map((scale, o): OutputAttribution => {
    const y = raw[o] ?? new Float64Array(n).fill(Number.NaN);
    const v = y.map(scale.forward);
    const phiPlayers = exact ? exactShapley(v, k) : sampledShapley(v, k, perms);
    const phi = spread(phiPlayers, players, x.length);
    const outputPlayers =
      scale.kind === 'identity' ? undefined : exact ? exactShapley(y, k) : sampledShapley(y, k, perms);
    const whatIf = exact ? spread(leaveOneOut(y, k), players, x.length) : undefined;
    return {
      value: y[fullRow] ?? Number.NaN,
      referenceValue: y[0] ?? Number.NaN,
      scaled: v[fullRow] ?? Number.NaN,
      scaledReference: v[0] ?? Number.NaN,
      phi,
      ...(exact ? { game: () => v } : {}),
      ...(outputPlayers === undefined ? {} : { outputPhi: spread(outputPlayers, players, x.length) }),
      ...(whatIf === undefined ? {} : { outputWhatIf: whatIf }),
    };
  });
  return exact
    ? { method: 'shapley-exact', rows: n, players, outputs }
    : {
        method: 'shapley-sampled',
        samples: { permutations: perms.length, seed: options.seed },
        rows: n,
        players,
        outputs,
      };
}

/** Per-player values → per-column values (0 for the columns equal to the reference). */
function spread(perPlayer: Float64Array, players: readonly number[], cols: number): Float64Array {
  const out = new Float64Array(cols);
  players.forEach((col, j) => (out[col] = perPlayer[j] ?? Number.NaN));
  return out;
}

/** Per player j: v(all) − v(all without j), from a game over all 2^k masks. */
function leaveOneOut(v: Float64Array, k: number): Float64Array {
  const full = 2 ** k - 1;
  return Float64Array.from(
    { length: k },
    (_, j) => (v[full] ?? Number.NaN) - (v[full ^ (1 << j)] ?? Number.NaN),
  );
}

/** v(all players) = Σ m(T) over the family. */
function sumOver(m: Float64Array, family: readonly number[]): number {
  let total = 0;
  for (const mask of family) total += m[mask] ?? Number.NaN;
  return total;
}

function memo<T>(f: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= f());
}

/** |a − b| within rounding of the values' size (the declaration is verified to 1e−9 at load). */
const agrees = (a: number, b: number): boolean =>
  Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * Exact Shapley from the declared interaction family (|F| + 1 rows). The extra full row x checks the
 * rebuilt v(all players) against the model itself; on disagreement the caller enumerates 2^k rows
 * instead, so a result is never built on a declaration the model does not honour.
 */
async function familyShapley(
  run: BatchRun,
  x: Float64Array,
  reference: Float64Array,
  scales: readonly AdditiveScale[],
  players: readonly number[],
  interactions: NonNullable<ShapleyOptions['interactions']>,
): Promise<Attribution | undefined> {
  const k = players.length;
  const family = coalitionFamily(interactions.masks, players);
  if (2 * family.length >= 2 ** k) return undefined; // no saving: enumerate
  const n = family.length + 1;
  const raw = await run(familyRows(x, reference, players, family), n);
  const outputs: OutputAttribution[] = [];
  for (const [o, scale] of scales.entries()) {
    const y = raw[o] ?? new Float64Array(n).fill(Number.NaN);
    const covered = interactions.outputs[o] === true;
    const m = covered ? familyMobius(y.map(scale.forward), family, k) : undefined;
    const scaled = scale.forward(y[n - 1] ?? Number.NaN);
    if (m !== undefined && !agrees(sumOver(m, family), scaled)) return undefined;
    const phiPlayers = m === undefined ? new Float64Array(k).fill(Number.NaN) : mobiusShapley(m, family, k);
    const phi = spread(phiPlayers, players, x.length);
    const game = m === undefined ? undefined : memo(() => gameOf(m, k));
    // The output's own game: every coalition's additive-scale value (sum of its Möbius terms) through
    // the inverse link — arithmetic only, no model rows — then exact Shapley over all 2^k coalitions.
    const own = game === undefined ? undefined : game().map(scale.inverse);
    const outputPhi =
      own === undefined || scale.kind === 'identity'
        ? undefined
        : spread(exactShapley(own, k), players, x.length);
    const outputWhatIf = own === undefined ? undefined : spread(leaveOneOut(own, k), players, x.length);
    outputs.push({
      value: y[n - 1] ?? Number.NaN,
      referenceValue: y[0] ?? Number.NaN,
      scaled,
      scaledReference: scale.forward(y[0] ?? Number.NaN),
      phi,
      ...(game === undefined ? {} : { game }),
      ...(outputPhi === undefined ? {} : { outputPhi }),
      ...(outputWhatIf === undefined ? {} : { outputWhatIf }),
    });
  }
  return { method: 'shapley-exact', rows: n, players, outputs };
}
