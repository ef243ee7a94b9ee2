/**
 * Kidney Failure Risk Equation, 4-variable (age, sex, eGFR, urine ACR).
 * Tangri N et al. JAMA 2011;305:1553–1559 (development; coefficients and centring values);
 * Tangri N et al. JAMA 2016;315:164–174 (multinational recalibration; baseline survival by region).
 * risk_t = 1 − S0(t)^exp(Σβ(x − x̄)). The region is a site setting (input `region`).
 */
import { Features } from './common.js';
import type { Column, EquationModel } from './common.js';

/** Tangri 2011, 4-variable model: coefficient and centring mean per term (as restated in Tangri 2016). */
const KFRE = {
  ageDecades: { beta: -0.2201, mean: 7.036 }, // per 10 years of age; mean age 70.36 y
  male: { beta: 0.2467, mean: 0.5642 }, // male = 1; 56.42 % male
  egfrPer5: { beta: -0.5567, mean: 7.222 }, // per 5 mL/min/1.73 m²; mean eGFR 36.11
  lnAcr: { beta: 0.451, mean: 5.137 }, // ln(ACR, mg/g)
} as const;

/**
 * Baseline survival (Tangri 2016 recalibration). Non-North-America risk at the centroid is lower:
 * 1 − 0.9832 = 0.0168 ≈ 0.671 × (1 − 0.9750) — the check that the regions are not swapped.
 */
export const KFRE_S0 = {
  north_america: { y2: 0.975, y5: 0.924 }, // Tangri 2016, North American cohorts
  other: { y2: 0.9832, y5: 0.9365 }, // Tangri 2016, non-North American cohorts (recalibrated)
} as const;

const COLUMNS: readonly Column[] = [
  { name: 'age_years' },
  { name: 'sex', values: ['female', 'male'] },
  { name: 'egfr_ml_min_1_73m2' },
  { name: 'uacr_mg_g' },
  { name: 'region', values: ['north_america', 'other'] },
];

function build(): Uint8Array {
  const f = new Features('kfre_4v', COLUMNS);
  const g = f.g;
  const centred = (beta: number, x: Parameters<typeof g.sub>[0], mean: number) => g.mul(g.sub(x, mean), beta);
  const lp = g.sum(
    centred(KFRE.ageDecades.beta, g.div(f.num('age_years'), 10), KFRE.ageDecades.mean),
    centred(KFRE.male.beta, f.flag('sex', 'male'), KFRE.male.mean),
    centred(KFRE.egfrPer5.beta, g.div(f.num('egfr_ml_min_1_73m2'), 5), KFRE.egfrPer5.mean),
    centred(KFRE.lnAcr.beta, g.log(f.num('uacr_mg_g')), KFRE.lnAcr.mean),
  );
  const hazard = g.exp(lp);
  const na = f.is('region', 'north_america');
  const s2 = g.where(na, KFRE_S0.north_america.y2, KFRE_S0.other.y2);
  const s5 = g.where(na, KFRE_S0.north_america.y5, KFRE_S0.other.y5);
  g.output('risk_2y', g.sub(1, g.pow(s2, hazard)), ['N']);
  g.output('risk_5y', g.sub(1, g.pow(s5, hazard)), ['N']);
  return f.finish('Kidney Failure Risk Equation, 4-variable (Tangri 2011; recalibration Tangri 2016)');
}

/** The linear predictor is a sum of main effects: each input is its own interaction set. */
export const kfre: EquationModel = {
  id: 'kfre-4v',
  inputs: COLUMNS,
  outputs: ['risk_2y', 'risk_5y'],
  interactions: COLUMNS.map((c) => [c.name]),
  build,
};
