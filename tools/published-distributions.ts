/**
 * Development distributions for the published-equation models, from the summary statistics their
 * derivation papers publish (no individual data): the drift monitor's reference when there is no
 * training data (src/monitoring/README.md, "Input drift"). Written together with the trained models'
 * files by tools/write-development-distributions.ts; test/monitoring/development-distribution.test.ts
 * checks the committed files equal this output.
 *
 * Only numbers read in a citable source are used; an input without one is listed in `notBinned` with
 * the reason, and a model without any has no file (see the README for what was searched).
 *
 * Approximations:
 * - A mean ± SD → a normal distribution, truncated to the model's eligible range and renormalised.
 *   Integer-valued inputs (age in completed years) get a continuity correction: the bin of integer
 *   values a..b holds the normal mass on [a − 0.5, b + 0.5).
 * - A published percentage of a category → that category's share.
 */
import type { DevelopmentDistribution, InputBins } from '../src/monitoring/development-distribution.js';

const round = (p: number): number => Math.round(p * 1e4) / 1e4;

/**
 * The error function, Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5 × 10⁻⁷, far below the 10⁻⁴ the
 * proportions are rounded to). Hand-written: no maintained dependency of the project has one.
 */
export function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return s * (1 - poly * Math.exp(-a * a));
}

/** P(X ≤ x) for X ~ N(mean, sd²). */
export const normalCdf = (x: number, mean: number, sd: number): number =>
  0.5 * (1 + erf((x - mean) / (sd * Math.SQRT2)));

export interface NormalSummary {
  mean: number;
  sd: number;
  /** The eligible range of the input (inclusive): the normal is truncated to it. */
  min: number;
  max: number;
  /** The input takes integer values only (age in completed years): continuity correction. */
  integer: boolean;
}

/**
 * Bin shares of a normal N(mean, sd²) truncated to [min, max], for bins closed on the right at
 * `edges` (the shares are rounded to 4 decimals; the last absorbs the rounding so they sum to 1).
 */
export function normalBins(s: NormalSummary, edges: readonly number[]): InputBins {
  const half = s.integer ? 0.5 : 0;
  const lo = s.min - half;
  const hi = s.max + half;
  const cdf = (x: number): number => normalCdf(Math.min(Math.max(x, lo), hi), s.mean, s.sd);
  const total = cdf(hi) - cdf(lo);
  const cuts = [lo, ...edges.map((e) => e + half), hi];
  const shares = cuts.slice(1).map((c, i) => (cdf(c) - cdf(cuts[i] ?? lo)) / total);
  const rounded = shares.map(round);
  const rest = round(1 - rounded.slice(0, -1).reduce((a, b) => a + b, 0));
  return { edges: [...edges], proportions: [...rounded.slice(0, -1), rest] };
}

/** A category's published share and the rest (e.g. 56 % women → female 0.56, male 0.44). */
export function shareBins(category: string, share: number, other: string): InputBins {
  return { categories: { [category]: round(share), [other]: round(1 - share) } };
}

const PREVENT_NO_SUMMARY =
  'no distribution of this input in the PREVENT derivation sample was found in a citable source here ' +
  '(the paper’s Table 1 could not be read; see src/monitoring/README.md)';

/**
 * PREVENT 10-year (Khan et al., Circulation 2024): the abstract reports, for the 6 612 004 adults of
 * the study (3 281 919 derivation + 3 330 085 external validation, US adults 30–79 without CVD), mean
 * ± SD age 53 ± 12 years and 56 % women. Those are the only numbers used.
 */
function prevent10y(): DevelopmentDistribution {
  const notBinned = [
    'total_cholesterol_mg_dl',
    'hdl_cholesterol_mg_dl',
    'systolic_bp_mm_hg',
    'on_bp_treatment',
    'on_statin',
    'diabetes',
    'current_smoker',
    'egfr_ml_min_1_73m2',
    'bmi_kg_m2',
    'uacr_mg_g',
    'hba1c_percent',
  ];
  return {
    modelId: 'prevent-10y',
    modelVersion: '1.0.0',
    population:
      'The PREVENT study population: 6 612 004 US adults aged 30–79 without known cardiovascular disease — the derivation sample (3 281 919, 25 data sets, 1992–2017) and the external validation sample (3 330 085, 21 further data sets); the published summary covers both together',
    method:
      'Computed by tools/published-distributions.ts from the published summary only (no individual data): age as a normal distribution with the reported mean 53 and SD 12 years, truncated to the eligible 30–79 years and renormalised, in completed years (continuity correction: the bin 30–39 is the normal mass on [29.5, 39.5)); sex as the reported 56 % women. The summary is of derivation and validation samples together, not of the derivation sample alone; the shares are an approximation, so read a small PSI (< 0.1) as no evidence of a shift rather than as a match.',
    citations: [
      {
        text: 'Khan SS, Matsushita K, Sang Y, et al. Development and Validation of the American Heart Association’s PREVENT Equations. Circulation 2024;149:430–449 — Abstract, Results: “Among 6 612 004 adults included, mean±SD age was 53±12 years, and 56% were women.”',
        doi: '10.1161/CIRCULATIONAHA.123.067626',
      },
    ],
    inputs: {
      age_years: normalBins({ mean: 53, sd: 12, min: 30, max: 79, integer: true }, [39, 49, 59, 69]),
      sex: shareBins('female', 0.56, 'male'),
    },
    notBinned: Object.fromEntries(notBinned.map((n) => [n, PREVENT_NO_SUMMARY])),
  };
}

/** Every published-summary file: model folder → content. */
export function publishedDistributions(): Record<string, DevelopmentDistribution> {
  return { 'prevent-10y': prevent10y() };
}
