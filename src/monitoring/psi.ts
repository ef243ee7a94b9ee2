/**
 * The population stability index (pure): PSI = Σ (aᵢ − eᵢ)·ln(aᵢ/eᵢ) over the bins of the development
 * distribution, aᵢ the production proportion and eᵢ the development one. Thresholds as used in practice
 * (credit scoring): < 0.1 no significant shift, 0.1–0.25 moderate, ≥ 0.25 significant — see
 * {@link PSI_THRESHOLDS} for the sources.
 */
import type { InputValue } from '../models/types.js';
import type { InputBins } from './development-distribution.js';

export const PSI_THRESHOLDS = {
  moderate: 0.1,
  significant: 0.25,
  source:
    'Rule of thumb of credit-scoring practice (Siddiqi N. Credit Risk Scorecards. Wiley, 2006); studied in Yurdakul B. ' +
    'Statistical Properties of Population Stability Index. PhD dissertation, Western Michigan University, 2018 ' +
    '(https://scholarworks.wmich.edu/dissertations/3208) and reviewed in du Pisanie J et al., arXiv:2303.01227, 2023.',
} as const;

export type PsiLevel = 'stable' | 'moderate' | 'significant';

export function psiLevel(psi: number): PsiLevel {
  if (psi >= PSI_THRESHOLDS.significant) return 'significant';
  if (psi >= PSI_THRESHOLDS.moderate) return 'moderate';
  return 'stable';
}

/**
 * An empty bin (production or development) would make ln(a/e) infinite; both proportions are floored
 * at this value, a common practical choice (a shift into a bin the development population never had
 * then counts as large, not infinite).
 */
export const PROPORTION_FLOOR = 1e-4;

/** The bin names of an input, in order: `"0"`, `"1"`, … for numeric, the categories otherwise. */
export function binNames(spec: InputBins): string[] {
  return 'edges' in spec ? spec.proportions.map((_, i) => String(i)) : Object.keys(spec.categories);
}

/** The development proportion of each bin, in {@link binNames} order. */
export function expectedProportions(spec: InputBins): number[] {
  return 'edges' in spec ? [...spec.proportions] : Object.values(spec.categories);
}

/**
 * The bin of one value (bins closed on the right), or undefined for a value the spec cannot place:
 * null (missing), a non-finite number, a category the development population did not have.
 */
export function binOf(spec: InputBins, value: InputValue | null): string | undefined {
  if (value === null) return undefined;
  if ('edges' in spec) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
    const i = spec.edges.findIndex((e) => value <= e);
    return String(i === -1 ? spec.edges.length : i);
  }
  const key = String(value);
  return Object.hasOwn(spec.categories, key) ? key : undefined;
}

/** PSI of production counts (in {@link binNames} order) against development proportions. NaN when n = 0. */
export function psi(expected: readonly number[], counts: readonly number[]): number {
  const n = counts.reduce((a, b) => a + b, 0);
  if (n === 0) return NaN;
  let sum = 0;
  expected.forEach((e0, i) => {
    const e = Math.max(e0, PROPORTION_FLOOR);
    const a = Math.max((counts[i] ?? 0) / n, PROPORTION_FLOOR);
    sum += (a - e) * Math.log(a / e);
  });
  return sum;
}
