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
 * - Published counts per category or per interval (a Table 1 "no. (%)" row) → exact shares of the
 *   cohort (count / total), no approximation; published quartiles → four bins of 25 % each with the
 *   quartiles as edges (exact up to ties at the quartiles).
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

/**
 * Shares from published counts (rounded to 4 decimals; the last absorbs the rounding so they sum to 1).
 * Object order is kept: it is the order of the published table.
 */
function countShares(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  const rounded = counts.map((c) => round(c / total));
  const rest = round(1 - rounded.slice(0, -1).reduce((a, b) => a + b, 0));
  return [...rounded.slice(0, -1), rest];
}

/** Numeric bins closed on the right at `edges` from the published count of each interval. */
export function countBins(edges: readonly number[], counts: readonly number[]): InputBins {
  if (counts.length !== edges.length + 1) throw new Error('one count per bin: edges.length + 1');
  return { edges: [...edges], proportions: countShares(counts) };
}

/** Category shares from published counts, e.g. { white: 2233, asian: 1229, black: 353 }. */
export function countCategories(counts: Readonly<Record<string, number>>): InputBins {
  const names = Object.keys(counts);
  const shares = countShares(names.map((n) => counts[n] ?? 0));
  return { categories: Object.fromEntries(names.map((n, i) => [n, shares[i] ?? 0])) };
}

/** Four bins of 25 % at the published quartiles (Q1, median, Q3), closed on the right. */
export function quartileBins(q1: number, median: number, q3: number): InputBins {
  return { edges: [q1, median, q3], proportions: [0.25, 0.25, 0.25, 0.25] };
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

/**
 * IWPC warfarin (NEJM 2009;360:753–764), Table 1, derivation cohort (N = 4043): counts per age decade,
 * VKORC1 rs9923231 and CYP2C9 genotype, race, enzyme inducers and amiodarone; median and interquartile
 * range of height and weight. Read in the paper's PDF (a copy committed in the public repository
 * wbakst/WarfarinBandits, papers/nejmoa0809329.pdf, commit 07a3719), not recalled.
 */
function iwpcWarfarin(): DevelopmentDistribution {
  const N = 4043;
  return {
    modelId: 'iwpc-warfarin',
    modelVersion: '1.0.0',
    population:
      'The IWPC derivation cohort: 4043 patients with a stable therapeutic warfarin dose and a target INR of 2 to 3, a random 80 % (stratified by site) of the eligible patients of 21 sites in 9 countries on 4 continents (the other 1009 are the validation cohort, not included here)',
    method:
      'Computed by tools/published-distributions.ts from Table 1 of the paper (derivation cohort column, N = 4043; no individual data). Age: the published counts per decade (10–19 … ≥90 years) as exact shares, bins closed on the right at 19, 29, …, 89 completed years (the first bin holds the paper’s 10–19-year-olds, 11 patients, though Augur scores from 18 years). Height and weight: the published median and interquartile range as four bins of 25 % each (height 1.60 / 1.68 / 1.76 m → 160 / 168 / 176 cm; weight 62.0 / 75.3 / 89.4 kg), exact up to ties at the quartiles. Enzyme inducers (41 patients, 1.0 %) and amiodarone (176, 4.4 %) as shares of the 4043; Augur takes “none on record” as not taking it, so defaulted values are counted. Genotypes and race are binned conditionally on a known value: the shares are of the patients with a known VKORC1 genotype (3960; 83 “unknown”), a known CYP2C9 genotype (3956; 87 “unknown”) and a race of white, Asian or black (3815; 228 “mixed, or missing data”), and production runs whose value is “unknown” (or race “other”) are not counted — the paper’s “mixed, or missing data” row cannot be split into Augur’s “other” and “unknown”, and a genotype that is usually not on record in practice would otherwise dominate the PSI. The derivation cohort is 55 % white and 30 % Asian (Table 1): a US clinic’s race and VKORC1 distributions are expected to differ from it, so a shift there describes the clinic as much as a drift.',
    citations: [
      {
        text: 'The International Warfarin Pharmacogenetics Consortium. Estimation of the warfarin dose with clinical and pharmacogenetic data. N Engl J Med 2009;360:753–764 — Table 1, “Demographic and Clinical Characteristics of the Derivation and Validation Cohorts”, column “Derivation Cohort (N = 4043)”: age 10–19 yr 11 (0.3), 20–29 yr 80 (2.0), 30–39 yr 145 (3.6), 40–49 yr 363 (9.0), 50–59 yr 753 (18.6), 60–69 yr 1016 (25.1), 70–79 yr 1151 (28.5), 80–89 yr 497 (12.3), ≥90 yr 27 (0.7); height median 1.68 m, IQR 1.60–1.76; weight median 75.3 kg, IQR 62.0–89.4; VKORC1 rs9923231 G/G 1201 (29.7), A/G 1444 (35.7), A/A 1315 (32.5), unknown 83 (2.1); CYP2C9 *1/*1 2970 (73.5), *1/*2 509 (12.6), *1/*3 374 (9.3), *2/*2 36 (0.9), *2/*3 52 (1.3), *3/*3 15 (0.4), unknown 87 (2.2); race white 2233 (55.2), Asian 1229 (30.4), black 353 (8.7), mixed or missing data 228 (5.6); use of enzyme inducers 41 (1.0); use of amiodarone 176 (4.4). Methods: “We randomly chose 80% of the eligible patients, (stratified according to site, for a total of 4043 patients who had a stable dose of warfarin and a target INR of 2 to 3) as the ‘derivation cohort’”. Read in the PDF committed in the public repository wbakst/WarfarinBandits (papers/nejmoa0809329.pdf, commit 07a3719).',
        doi: '10.1056/NEJMoa0809329',
      },
    ],
    inputs: {
      age_years: countBins([19, 29, 39, 49, 59, 69, 79, 89], [11, 80, 145, 363, 753, 1016, 1151, 497, 27]),
      height_cm: quartileBins(160, 168, 176),
      weight_kg: quartileBins(62.0, 75.3, 89.4),
      race: countCategories({ white: 2233, asian: 1229, black: 353 }),
      vkorc1_rs9923231: countCategories({ 'G/G': 1201, 'A/G': 1444, 'A/A': 1315 }),
      cyp2c9_diplotype: countCategories({
        '*1/*1': 2970,
        '*1/*2': 509,
        '*1/*3': 374,
        '*2/*2': 36,
        '*2/*3': 52,
        '*3/*3': 15,
      }),
      enzyme_inducer: countCategories({ true: 41, false: N - 41 }),
      amiodarone: countCategories({ true: 176, false: N - 176 }),
    },
  };
}

/** Every published-summary file: model folder → content. */
export function publishedDistributions(): Record<string, DevelopmentDistribution> {
  return { 'iwpc-warfarin': iwpcWarfarin(), 'prevent-10y': prevent10y() };
}
