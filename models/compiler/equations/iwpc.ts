/**
 * IWPC warfarin dose: pharmacogenetic and clinical algorithms.
 * International Warfarin Pharmacogenetics Consortium. N Engl J Med 2009;360:753–764, Supplementary
 * Appendix (algorithm coefficients). Both give √(weekly dose, mg); the graph squares it.
 * Pharmacogenetic when VKORC1 and CYP2C9 are both known, clinical otherwise (`algorithm` 1 / 0).
 */
import type { Tensor } from '../onnx-builder.js';
import { Features } from './common.js';
import type { Column, EquationModel } from './common.js';

/** IWPC 2009 pharmacogenetic algorithm (Supplementary Appendix), √(mg/week). */
const PGX = {
  intercept: 5.6044,
  ageDecades: -0.2614,
  heightCm: 0.0087,
  weightKg: 0.0128,
  vkorc1: { 'G/G': 0, 'A/G': -0.8677, 'A/A': -1.6974 },
  cyp2c9: {
    '*1/*1': 0,
    '*1/*2': -0.5211,
    '*1/*3': -0.9357,
    '*2/*2': -1.0616,
    '*2/*3': -1.9206,
    '*3/*3': -2.3312,
  },
  race: { white: 0, asian: -0.1092, black: -0.276, other: -0.1032, unknown: -0.1032 }, // other/unknown = "missing or mixed race"
  enzymeInducer: 1.1816, // carbamazepine, phenytoin, rifampin
  amiodarone: -0.5503,
} as const;

/** IWPC 2009 clinical algorithm (Supplementary Appendix), √(mg/week). */
const CLINICAL = {
  intercept: 4.0376,
  ageDecades: -0.2546,
  heightCm: 0.0118,
  weightKg: 0.0134,
  race: { white: 0, asian: -0.6752, black: 0.406, other: 0.0443, unknown: 0.0443 },
  enzymeInducer: 1.2799,
  amiodarone: -0.5695,
} as const;

const VKORC1 = ['G/G', 'A/G', 'A/A', 'unknown'] as const;
const CYP2C9 = ['*1/*1', '*1/*2', '*1/*3', '*2/*2', '*2/*3', '*3/*3', 'unknown'] as const;
const RACES = ['white', 'black', 'asian', 'other', 'unknown'] as const;

const COLUMNS: readonly Column[] = [
  { name: 'age_years' },
  { name: 'height_cm' },
  { name: 'weight_kg' },
  { name: 'race', values: RACES },
  { name: 'vkorc1_rs9923231', values: VKORC1 },
  { name: 'cyp2c9_diplotype', values: CYP2C9 },
  { name: 'enzyme_inducer' },
  { name: 'amiodarone' },
];

/** Σ weight·[column = value] over an enum's categories. */
function categorical(f: Features, column: string, weights: Readonly<Record<string, number>>): Tensor {
  const g = f.g;
  return g.sum(...Object.entries(weights).map(([v, w]) => (w === 0 ? 0 : g.mul(f.flag(column, v), w))));
}

function sqrtDose(f: Features, a: typeof PGX | typeof CLINICAL, genetic: Tensor | number): Tensor {
  const g = f.g;
  const decades = g.floor(g.div(f.num('age_years'), 10)); // IWPC "age in decades" category
  return g.sum(
    a.intercept,
    g.mul(decades, a.ageDecades),
    g.mul(f.num('height_cm'), a.heightCm),
    g.mul(f.num('weight_kg'), a.weightKg),
    categorical(f, 'race', a.race),
    g.mul(f.num('enzyme_inducer'), a.enzymeInducer),
    g.mul(f.num('amiodarone'), a.amiodarone),
    genetic,
  );
}

function build(): Uint8Array {
  const f = new Features('iwpc_warfarin', COLUMNS);
  const g = f.g;
  const genetic = g.add(
    categorical(f, 'vkorc1_rs9923231', PGX.vkorc1),
    categorical(f, 'cyp2c9_diplotype', PGX.cyp2c9),
  );
  const known = g.and(g.not(f.is('vkorc1_rs9923231', 'unknown')), g.not(f.is('cyp2c9_diplotype', 'unknown')));
  const root = g.where(known, sqrtDose(f, PGX, genetic), sqrtDose(f, CLINICAL, 0));
  g.output('weekly_dose_mg', g.mul(root, root), ['N']);
  g.output('algorithm', g.cast(known, 'float64'), ['N']);
  return f.finish('IWPC warfarin dosing algorithms (NEJM 2009), pharmacogenetic or clinical');
}

export const iwpc: EquationModel = {
  id: 'iwpc-warfarin',
  inputs: COLUMNS,
  outputs: ['weekly_dose_mg', 'algorithm'],
  // √dose is additive, but the genotypes (VKORC1 × CYP2C9) select the pharmacogenetic or the clinical
  // algorithm, so every other term depends on them; amiodarone also pairs with each genotype.
  interactions: ['age_years', 'height_cm', 'weight_kg', 'race', 'enzyme_inducer', 'amiodarone'].map((x) => [
    x,
    'vkorc1_rs9923231',
    'cyp2c9_diplotype',
  ]),
  build,
};
