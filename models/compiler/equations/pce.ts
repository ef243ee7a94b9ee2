/**
 * 2013 ACC/AHA Pooled Cohort Equations, 10-year hard ASCVD.
 * Goff DC Jr et al. Circulation 2014;129(25 Suppl 2):S49–S73, Appendix 7, Table A (coefficients,
 * mean Σβx, baseline survival). risk = 1 − S0^exp(Σβx − mean).
 * Other races use the White equations (guideline practice); valid for ages 40–79 (NaN outside).
 */
import type { Tensor } from '../onnx-builder.js';
import { Features, linear } from './common.js';
import type { Column, EquationModel } from './common.js';

interface PceEquation {
  readonly coef: Readonly<Record<string, number>>;
  readonly mean: number;
  readonly s0: number;
}

// Goff 2014 Appendix 7 Table A, column "White women" — spreadsheet-precision values.
const WHITE_FEMALE: PceEquation = {
  coef: {
    ln_age: -29.799, // Table A, Ln Age (y)
    ln_age_sq: 4.884, // Table A, Ln Age, Squared
    ln_tc: 13.54, // Table A, Ln Total Cholesterol (mg/dL)
    ln_age_ln_tc: -3.114, // Table A, Ln Age × Ln Total Cholesterol
    ln_hdl: -13.578, // Table A, Ln HDL-C (mg/dL)
    ln_age_ln_hdl: 3.149, // Table A, Ln Age × Ln HDL-C
    ln_treated_sbp: 2.019, // Table A, Log Treated Systolic BP (mm Hg)
    ln_untreated_sbp: 1.957, // Table A, Log Untreated Systolic BP (1.857 in PMC4608065 is a typo)
    smoker: 7.574, // Table A, Current Smoker (1=Yes, 0=No)
    ln_age_smoker: -1.665, // Table A, Ln Age × Current Smoker
    diabetes: 0.661, // Table A, Diabetes (1=Yes, 0=No)
  },
  mean: -29.1817, // Table A, Overall Mean (Coefficient × Value)
  s0: 0.96652, // Table A, Baseline Survival S0(10)
};

// Goff 2014 Appendix 7 Table A, column "African-American women".
const BLACK_FEMALE: PceEquation = {
  coef: {
    ln_age: 17.1141, // Table A, Ln Age (y)
    ln_tc: 0.9396, // Table A, Ln Total Cholesterol
    ln_hdl: -18.9196, // Table A, Ln HDL-C
    ln_age_ln_hdl: 4.4748, // Table A, Ln Age × Ln HDL-C
    ln_treated_sbp: 29.2907, // Table A, Log Treated Systolic BP
    ln_age_ln_treated_sbp: -6.4321, // Table A, Ln Age × Log Treated Systolic BP
    ln_untreated_sbp: 27.8197, // Table A, Log Untreated Systolic BP
    ln_age_ln_untreated_sbp: -6.0873, // Table A, Ln Age × Log Untreated Systolic BP
    smoker: 0.6908, // Table A, Current Smoker
    diabetes: 0.8738, // Table A, Diabetes
  },
  mean: 86.6081, // Table A, Overall Mean
  s0: 0.95334, // Table A, Baseline Survival
};

// Goff 2014 Appendix 7 Table A, column "White men".
const WHITE_MALE: PceEquation = {
  coef: {
    ln_age: 12.344, // Table A, Ln Age (y)
    ln_tc: 11.853, // Table A, Ln Total Cholesterol
    ln_age_ln_tc: -2.664, // Table A, Ln Age × Ln Total Cholesterol
    ln_hdl: -7.99, // Table A, Ln HDL-C
    ln_age_ln_hdl: 1.769, // Table A, Ln Age × Ln HDL-C (1.767 in PMC4608065 is a typo)
    ln_treated_sbp: 1.797, // Table A, Log Treated Systolic BP
    ln_untreated_sbp: 1.764, // Table A, Log Untreated Systolic BP
    smoker: 7.837, // Table A, Current Smoker
    ln_age_smoker: -1.795, // Table A, Ln Age × Current Smoker
    diabetes: 0.658, // Table A, Diabetes
  },
  mean: 61.1816, // Table A, Overall Mean
  s0: 0.91436, // Table A, Baseline Survival
};

// Goff 2014 Appendix 7 Table A, column "African-American men".
const BLACK_MALE: PceEquation = {
  coef: {
    ln_age: 2.469, // Table A, Ln Age (y)
    ln_tc: 0.302, // Table A, Ln Total Cholesterol
    ln_hdl: -0.307, // Table A, Ln HDL-C
    ln_treated_sbp: 1.916, // Table A, Log Treated Systolic BP
    ln_untreated_sbp: 1.809, // Table A, Log Untreated Systolic BP
    smoker: 0.549, // Table A, Current Smoker
    diabetes: 0.645, // Table A, Diabetes
  },
  mean: 19.5425, // Table A, Overall Mean
  s0: 0.89536, // Table A, Baseline Survival
};

/** Valid age range (Goff 2014: equations derived and recommended for ages 40–79). */
export const PCE_AGE = { min: 40, max: 79 } as const;

const COLUMNS: readonly Column[] = [
  { name: 'age_years' },
  { name: 'sex', values: ['female', 'male'] },
  { name: 'race', values: ['white', 'black', 'asian', 'other', 'unknown'] },
  { name: 'total_cholesterol_mg_dl' },
  { name: 'hdl_cholesterol_mg_dl' },
  { name: 'systolic_bp_mm_hg' },
  { name: 'on_bp_treatment' },
  { name: 'current_smoker' },
  { name: 'diabetes' },
];

function terms(f: Features): Record<string, Tensor> {
  const g = f.g;
  const lnAge = g.log(f.num('age_years'));
  const lnTc = g.log(f.num('total_cholesterol_mg_dl'));
  const lnHdl = g.log(f.num('hdl_cholesterol_mg_dl'));
  const lnSbp = g.log(f.num('systolic_bp_mm_hg'));
  const treated = f.num('on_bp_treatment');
  const untreated = g.sub(1, treated);
  const smoker = f.num('current_smoker');
  const lnTreated = g.mul(lnSbp, treated);
  const lnUntreated = g.mul(lnSbp, untreated);
  return {
    ln_age: lnAge,
    ln_age_sq: g.mul(lnAge, lnAge),
    ln_tc: lnTc,
    ln_age_ln_tc: g.mul(lnAge, lnTc),
    ln_hdl: lnHdl,
    ln_age_ln_hdl: g.mul(lnAge, lnHdl),
    ln_treated_sbp: lnTreated,
    ln_age_ln_treated_sbp: g.mul(lnAge, lnTreated),
    ln_untreated_sbp: lnUntreated,
    ln_age_ln_untreated_sbp: g.mul(lnAge, lnUntreated),
    smoker,
    ln_age_smoker: g.mul(lnAge, smoker),
    diabetes: f.num('diabetes'),
  };
}

function build(): Uint8Array {
  const f = new Features('ascvd_pce_10y', COLUMNS);
  const g = f.g;
  const t = terms(f);
  const risk = (eq: PceEquation): Tensor =>
    g.sub(1, g.pow(eq.s0, g.exp(g.sub(linear(g, t, eq.coef), eq.mean))));
  const black = f.is('race', 'black');
  const female = g.where(black, risk(BLACK_FEMALE), risk(WHITE_FEMALE));
  const male = g.where(black, risk(BLACK_MALE), risk(WHITE_MALE));
  const r = g.where(f.is('sex', 'male'), male, female);
  g.output('risk_10y', f.nanOutside(r, f.num('age_years'), PCE_AGE.min, PCE_AGE.max), ['N']);
  return f.finish('2013 ACC/AHA Pooled Cohort Equations (Goff 2014, Appendix 7 Table A)');
}

export const pce: EquationModel = {
  id: 'ascvd-pce-10y',
  inputs: COLUMNS,
  outputs: ['risk_10y'],
  // Sex- and race-specific equations (sex × race select the coefficients); ln age interacts with
  // cholesterol, HDL, treated/untreated SBP and smoking; diabetes is a main effect per equation.
  interactions: [
    ['age_years', 'sex', 'race', 'total_cholesterol_mg_dl'],
    ['age_years', 'sex', 'race', 'hdl_cholesterol_mg_dl'],
    ['age_years', 'sex', 'race', 'systolic_bp_mm_hg', 'on_bp_treatment'],
    ['age_years', 'sex', 'race', 'current_smoker'],
    ['sex', 'race', 'diabetes'],
  ],
  build,
};
