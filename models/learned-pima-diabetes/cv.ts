/**
 * Choosing the L2 penalty by K-fold cross-validation on the training set only (Pima.te is never looked at
 * during fitting or tuning). Folds come from a seeded shuffle, so the choice is reproducible.
 */
import type { TrainOptions } from './mlp.js';
import { mlpPredict, trainMlp } from './mlp.js';
import { mulberry32 } from '../../src/models/explain/prng.js';

/** Fold index (0 … k−1) for each of n rows: a seeded Fisher–Yates shuffle dealt round-robin. */
export function foldsOf(n: number, k: number, seed: number): number[] {
  const rand = mulberry32(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  const fold = new Array<number>(n).fill(0);
  order.forEach((row, pos) => (fold[row] = pos % k));
  return fold;
}

const logLoss = (p: number, y: number): number => -(y === 1 ? Math.log(p) : Math.log(1 - p));

export interface CvResult {
  readonly l2: number;
  /** Mean held-out cross-entropy over all training rows (lower is better). */
  readonly cvLogLoss: number;
}

/**
 * Cross-validated log-loss for each λ in `grid`. The standardisation constants are those of the whole
 * training set (a small, documented simplification: they carry no label information).
 */
export function crossValidateL2(
  x: readonly (readonly number[])[],
  y: readonly number[],
  standardise: { mean: readonly number[]; sd: readonly number[] },
  base: TrainOptions,
  grid: readonly number[],
  folds: readonly number[],
): CvResult[] {
  const k = Math.max(...folds) + 1;
  return grid.map((l2) => {
    let total = 0;
    for (let f = 0; f < k; f++) {
      const trainRows = x.flatMap((_, i) => (folds[i] === f ? [] : [i]));
      const m = trainMlp(
        trainRows.map((i) => x[i] ?? []),
        trainRows.map((i) => y[i] ?? NaN),
        standardise,
        { ...base, l2 },
      );
      x.forEach((row, i) => {
        if (folds[i] === f) total += logLoss(mlpPredict(m, row), y[i] ?? NaN);
      });
    }
    return { l2, cvLogLoss: total / x.length };
  });
}
