/**
 * Logistic regression by Newton–Raphson / IRLS — the same estimator as R's
 * `glm(family = binomial)` (Fisher scoring equals Newton for the canonical logit link), iterated to a
 * tighter tolerance than R's default so the coefficients match R's to ~1e−10.
 */
import { sigmoid, solveSpd } from './linalg.js';

export interface LogisticFit {
  /** [intercept, β₁ … β_k], in the column order of the design matrix. */
  readonly coefficients: readonly number[];
  readonly iterations: number;
}

export interface LogisticOptions {
  /** A fixed per-row term added to the linear predictor (R's `offset()`). */
  readonly offset?: readonly number[];
  /** Fit without an intercept column (only used with an offset). */
  readonly noIntercept?: boolean;
  readonly maxIterations?: number;
}

function design(x: readonly (readonly number[])[], intercept: boolean): number[][] {
  return x.map((row) => (intercept ? [1, ...row] : [...row]));
}

function newtonStep(
  d: readonly (readonly number[])[],
  y: readonly number[],
  eta: readonly number[],
): number[][] {
  const k = d[0]?.length ?? 0;
  const h: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const g = new Array<number>(k).fill(0);
  d.forEach((row, i) => {
    const p = sigmoid(eta[i] ?? NaN);
    const w = p * (1 - p);
    const r = (y[i] ?? NaN) - p;
    for (let a = 0; a < k; a++) {
      const ra = row[a] ?? NaN;
      g[a] = (g[a] ?? 0) + ra * r;
      const ha = h[a] ?? [];
      for (let b = 0; b < k; b++) ha[b] = (ha[b] ?? 0) + w * ra * (row[b] ?? NaN);
    }
  });
  return [...h, g];
}

/** Fits P(y = 1 | x) = σ(β₀ + xβ [+ offset]) by maximum likelihood. */
export function fitLogistic(
  x: readonly (readonly number[])[],
  y: readonly number[],
  options: LogisticOptions = {},
): LogisticFit {
  const d = design(x, options.noIntercept !== true);
  const k = d[0]?.length ?? 0;
  let beta = new Array<number>(k).fill(0);
  const maxIterations = options.maxIterations ?? 100;
  for (let it = 1; it <= maxIterations; it++) {
    const eta = d.map((row, i) => linear(beta, row) + (options.offset?.[i] ?? 0));
    const hg = newtonStep(d, y, eta);
    const step = solveSpd(hg.slice(0, k), hg[k] ?? []);
    beta = beta.map((b, j) => b + (step[j] ?? NaN));
    if (Math.max(...step.map((s, j) => Math.abs(s) / (Math.abs(beta[j] ?? 0) + 1e-8))) < 1e-13) {
      return { coefficients: beta, iterations: it };
    }
  }
  throw new Error(`fitLogistic: no convergence in ${maxIterations} iterations`);
}

function linear(beta: readonly number[], row: readonly number[]): number {
  let s = 0;
  for (let j = 0; j < row.length; j++) s += (beta[j] ?? NaN) * (row[j] ?? NaN);
  return s;
}

/** Linear predictor (log-odds) of a fit with an intercept for each row of x. */
export function logisticLogit(fit: LogisticFit, x: readonly (readonly number[])[]): number[] {
  return x.map((row) => linear(fit.coefficients, [1, ...row]));
}
