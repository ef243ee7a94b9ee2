/** Discrimination and calibration metrics, each defined as in data/export.R (R) so the two can be compared. */
import { fitLogistic } from './logistic.js';

/** Area under the ROC curve by the Mann–Whitney statistic with mid-ranks for ties (R: rank()). */
export function auc(p: readonly number[], y: readonly number[]): number {
  const order = p.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v || a.i - b.i);
  const ranks = new Array<number>(p.length).fill(0);
  for (let s = 0; s < order.length;) {
    let e = s;
    while (e + 1 < order.length && order[e + 1]?.v === order[s]?.v) e++;
    const mid = (s + e) / 2 + 1;
    for (let t = s; t <= e; t++) ranks[order[t]?.i ?? 0] = mid;
    s = e + 1;
  }
  let n1 = 0;
  let rankSum = 0;
  y.forEach((yi, i) => {
    if (yi === 1) {
      n1++;
      rankSum += ranks[i] ?? NaN;
    }
  });
  const n0 = y.length - n1;
  return (rankSum - (n1 * (n1 + 1)) / 2) / (n1 * n0);
}

/** Misclassifications at the 0.5 threshold (R: sum((p > 0.5) != y)). */
export function errors(p: readonly number[], y: readonly number[]): number {
  return p.filter((pi, i) => (pi > 0.5 ? 1 : 0) !== y[i]).length;
}

/** Mean squared error of the predicted probability. */
export function brier(p: readonly number[], y: readonly number[]): number {
  return p.reduce((s, pi, i) => s + (pi - (y[i] ?? NaN)) ** 2, 0) / p.length;
}

const logit = (p: number): number => Math.log(p / (1 - p));

/**
 * Logistic recalibration (Cox 1958): glm(y ~ logit(p)) gives the calibration intercept and slope
 * (ideal 0 and 1); glm(y ~ offset(logit(p))) gives calibration-in-the-large (ideal 0).
 */
export function calibration(
  p: readonly number[],
  y: readonly number[],
): { intercept: number; slope: number; inTheLarge: number } {
  const lp = p.map(logit);
  const [intercept = NaN, slope = NaN] = fitLogistic(
    lp.map((v) => [v]),
    y,
  ).coefficients;
  const [inTheLarge = NaN] = fitLogistic(
    lp.map(() => []),
    y,
    { offset: lp },
  ).coefficients;
  return { intercept, slope, inTheLarge };
}

export interface Metrics {
  readonly n: number;
  readonly auc: number;
  readonly errors: number;
  readonly accuracy: number;
  readonly brier: number;
  readonly calibrationIntercept: number;
  readonly calibrationSlope: number;
  readonly calibrationInTheLarge: number;
}

export function evaluate(p: readonly number[], y: readonly number[]): Metrics {
  const e = errors(p, y);
  const c = calibration(p, y);
  return {
    n: y.length,
    auc: auc(p, y),
    errors: e,
    accuracy: 1 - e / y.length,
    brier: brier(p, y),
    calibrationIntercept: c.intercept,
    calibrationSlope: c.slope,
    calibrationInTheLarge: c.inTheLarge,
  };
}
