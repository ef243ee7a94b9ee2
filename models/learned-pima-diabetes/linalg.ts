/** Tiny dense linear algebra for the logistic-regression baseline (k ≤ ~10): no library needed. */

/** Solves A·x = b for symmetric positive-definite A by Cholesky decomposition (A = L·Lᵀ). */
export function solveSpd(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = b.length;
  const l: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const at = (m: readonly (readonly number[])[], i: number, j: number): number => m[i]?.[j] ?? NaN;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = at(a, i, j);
      for (let p = 0; p < j; p++) s -= at(l, i, p) * at(l, j, p);
      const row = l[i] ?? [];
      if (i === j) {
        if (!(s > 0)) throw new Error('solveSpd: matrix is not positive definite');
        row[j] = Math.sqrt(s);
      } else {
        row[j] = s / at(l, j, j);
      }
    }
  }
  const z = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i] ?? NaN;
    for (let p = 0; p < i; p++) s -= at(l, i, p) * (z[p] ?? NaN);
    z[i] = s / at(l, i, i);
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i] ?? NaN;
    for (let p = i + 1; p < n; p++) s -= at(l, p, i) * (x[p] ?? NaN);
    x[i] = s / at(l, i, i);
  }
  return x;
}

export const sigmoid = (t: number): number => 1 / (1 + Math.exp(-t));
