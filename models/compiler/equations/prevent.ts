/**
 * AHA PREVENT 10- and 30-year risk (total CVD, ASCVD, heart failure, CHD, stroke).
 * Khan SS et al. Circulation 2024;149:430–449; term construction per the paper's Supplement
 * (centring: age 55, non-HDL-C 3.5 mmol/L, HDL-C 1.3 mmol/L, SBP 130, BMI 25, eGFR 90, HbA1c 5.3)
 * and the reference implementation preventr (Mayer, CRAN), whose published test values we reproduce.
 *
 * One graph holds the base, +UACR, +HbA1c and full variants; the variant is chosen per row from
 * which optional inputs are present (NaN = absent): 0 base, 1 UACR, 2 HbA1c, 3 full (both) —
 * preventr's automatic model selection. risk = 1 / (1 + exp(−Σβ·term)).
 */
import type { Tensor } from '../onnx-builder.js';
import { Features } from './common.js';
import type { Column, EquationModel } from './common.js';
import { PREVENT_OUTCOMES, PREVENT_TABLES } from './prevent-coefficients.js';

/** mg/dL → mmol/L for cholesterol (Khan 2024 Supplement; preventr `convert_chol_to_mmol`). */
const CHOL_MMOL_PER_MG_DL = 0.02586;
/** Variant index → name (model.json `extra.variants`). */
export const PREVENT_VARIANTS = ['base', 'uacr', 'hba1c', 'full'] as const;

/** Every term any variant uses, in matrix-column order. */
const TERMS = [
  'age',
  'age_sq',
  'non_hdl',
  'hdl',
  'sbp_lt',
  'sbp_ge',
  'diabetes',
  'smoking',
  'bmi_lt',
  'bmi_ge',
  'egfr_lt',
  'egfr_ge',
  'bp_tx',
  'statin',
  'bp_tx_sbp_ge',
  'statin_non_hdl',
  'age_non_hdl',
  'age_hdl',
  'age_sbp_ge',
  'age_diabetes',
  'age_smoking',
  'age_bmi_ge',
  'age_egfr_lt',
  'missing_sdi',
  'ln_uacr',
  'missing_uacr',
  'hba1c_dm',
  'hba1c_no_dm',
  'missing_hba1c',
  'constant',
] as const;

export const PREVENT_COLUMNS: readonly Column[] = [
  { name: 'age_years' },
  { name: 'sex', values: ['female', 'male'] },
  { name: 'total_cholesterol_mg_dl' },
  { name: 'hdl_cholesterol_mg_dl' },
  { name: 'systolic_bp_mm_hg' },
  { name: 'on_bp_treatment' },
  { name: 'on_statin' },
  { name: 'diabetes' },
  { name: 'current_smoker' },
  { name: 'egfr_ml_min_1_73m2' },
  { name: 'bmi_kg_m2' },
  { name: 'uacr_mg_g' },
  { name: 'hba1c_percent' },
];

/** The term values (float64 [N] each), NaN-free for every present required input. */
function terms(f: Features): Record<(typeof TERMS)[number], Tensor | number> {
  const g = f.g;
  const age = g.div(g.sub(f.num('age_years'), 55), 10);
  const tc = f.num('total_cholesterol_mg_dl');
  const hdlMg = f.num('hdl_cholesterol_mg_dl');
  const nonHdl = g.sub(g.mul(g.sub(tc, hdlMg), CHOL_MMOL_PER_MG_DL), 3.5);
  const hdl = g.div(g.sub(g.mul(hdlMg, CHOL_MMOL_PER_MG_DL), 1.3), 0.3);
  const sbp = f.num('systolic_bp_mm_hg');
  const sbpGe = g.div(g.sub(g.max(sbp, 110), 130), 20);
  const bmi = f.num('bmi_kg_m2');
  const bmiGe = g.div(g.sub(g.max(bmi, 30), 30), 5);
  const egfr = f.num('egfr_ml_min_1_73m2');
  const egfrLt = g.div(g.sub(g.min(egfr, 60), 60), -15);
  const [dm, smoking, bpTx, statin] = ['diabetes', 'current_smoker', 'on_bp_treatment', 'on_statin'].map(
    (n) => f.num(n),
  ) as [Tensor, Tensor, Tensor, Tensor];
  const uacr = f.num('uacr_mg_g');
  const uacrMissing = g.isNaN(uacr);
  const hba1c = f.num('hba1c_percent');
  const hba1cMissing = g.isNaN(hba1c);
  const hba1cCentred = g.where(hba1cMissing, 0, g.sub(hba1c, 5.3));
  return {
    age,
    age_sq: g.mul(age, age),
    non_hdl: nonHdl,
    hdl,
    sbp_lt: g.div(g.sub(g.min(sbp, 110), 110), 20),
    sbp_ge: sbpGe,
    diabetes: dm,
    smoking,
    bmi_lt: g.div(g.sub(g.min(bmi, 30), 25), 5),
    bmi_ge: bmiGe,
    egfr_lt: egfrLt,
    egfr_ge: g.div(g.sub(g.max(egfr, 60), 90), -15),
    bp_tx: bpTx,
    statin,
    bp_tx_sbp_ge: g.mul(bpTx, sbpGe),
    statin_non_hdl: g.mul(statin, nonHdl),
    age_non_hdl: g.mul(age, nonHdl),
    age_hdl: g.mul(age, hdl),
    age_sbp_ge: g.mul(age, sbpGe),
    age_diabetes: g.mul(age, dm),
    age_smoking: g.mul(age, smoking),
    age_bmi_ge: g.mul(age, bmiGe),
    age_egfr_lt: g.mul(age, egfrLt),
    missing_sdi: 1, // no SDI input: always "missing" (preventr: full model treats absent SDI as missing)
    ln_uacr: g.where(uacrMissing, 0, g.log(uacr)),
    missing_uacr: g.cast(uacrMissing, 'float64'),
    hba1c_dm: g.mul(hba1cCentred, dm),
    hba1c_no_dm: g.mul(hba1cCentred, g.sub(1, dm)),
    missing_hba1c: g.cast(hba1cMissing, 'float64'),
    constant: 1,
  };
}

/** [N, terms] design matrix. */
function designMatrix(f: Features): Tensor {
  const g = f.g;
  const t = terms(f);
  const n = f.num('age_years');
  const cols = TERMS.map((k) => {
    const v = t[k];
    return g.unsqueeze(typeof v === 'number' ? g.add(g.mul(n, 0), v) : v, [1]);
  });
  return g.concat(cols, 1);
}

/** [terms, 10] coefficients for one table: columns female ×5 outcomes then male ×5. */
function coefficientMatrix(table: string): number[] {
  const t = PREVENT_TABLES[table];
  if (!t) throw new Error(`no PREVENT table ${table}`);
  return TERMS.flatMap((term) => {
    const row = t[term];
    return row ? [...row.female, ...row.male] : Array<number>(10).fill(0);
  });
}

function build(horizon: '10yr' | '30yr', ages: { min: number; max: number }): Uint8Array {
  const f = new Features(`prevent_${horizon}`, PREVENT_COLUMNS);
  const g = f.g;
  const x = designMatrix(f);
  const variant = g.add(
    g.cast(g.not(g.isNaN(f.num('uacr_mg_g'))), 'float64'),
    g.mul(g.cast(g.not(g.isNaN(f.num('hba1c_percent'))), 'float64'), 2),
  );
  const lps = PREVENT_VARIANTS.map((v) =>
    g.matMul(x, g.constant(coefficientMatrix(`${v}_${horizon}`), 'float64', [TERMS.length, 10])),
  );
  const v2 = g.unsqueeze(variant, [1]);
  const lp = lps
    .slice(0, 3)
    .reduceRight<Tensor>((acc, lpV, i) => g.where(g.equal(v2, i), lpV, acc), lps[3] as Tensor);
  const male = g.unsqueeze(f.is('sex', 'male'), [1]);
  const bySex = g.where(male, g.slice(lp, [5], [10], [1]), g.slice(lp, [0], [5], [1]));
  const risk = g.sigmoid(bySex);
  const age = f.num('age_years');
  PREVENT_OUTCOMES.forEach((o, i) => {
    g.output(o, f.nanOutside(g.column(risk, i), age, ages.min, ages.max), ['N']);
  });
  g.output('variant', variant, ['N']);
  return f.finish(
    `AHA PREVENT ${horizon} (Khan 2024), base/UACR/HbA1c/full variants selected by input presence`,
  );
}

/** PREVENT ages: 30–79 for 10-year risk, 30–59 for 30-year risk (Khan 2024). */
export const PREVENT_AGES = { '10yr': { min: 30, max: 79 }, '30yr': { min: 30, max: 59 } } as const;

const SELECTORS = ['sex', 'uacr_mg_g', 'hba1c_percent'] as const;
const PREVENT_INTERACTIONS: readonly (readonly string[])[] = [
  ...[
    'total_cholesterol_mg_dl',
    'hdl_cholesterol_mg_dl',
    'systolic_bp_mm_hg',
    'current_smoker',
    'egfr_ml_min_1_73m2',
    'diabetes',
    'bmi_kg_m2',
  ].map((x) => ['age_years', x, ...SELECTORS]),
  ['systolic_bp_mm_hg', 'on_bp_treatment', ...SELECTORS],
  ['total_cholesterol_mg_dl', 'on_statin', ...SELECTORS],
  ['hdl_cholesterol_mg_dl', 'on_statin', ...SELECTORS],
];

export const prevent10: EquationModel = {
  id: 'prevent-10y',
  inputs: PREVENT_COLUMNS,
  outputs: [...PREVENT_OUTCOMES, 'variant'],
  // Sex-specific equations whose variant (base, +UACR, +HbA1c, full) is chosen by which of UACR and
  // HbA1c are present, so sex, UACR and HbA1c select every coefficient; within one equation the terms are
  // age × each risk factor, SBP × treatment and cholesterol × statin (Khan 2024).
  interactions: PREVENT_INTERACTIONS,
  build: () => build('10yr', PREVENT_AGES['10yr']),
};

export const prevent30: EquationModel = {
  id: 'prevent-30y',
  inputs: PREVENT_COLUMNS,
  outputs: [...PREVENT_OUTCOMES, 'variant'],
  // Sex-specific equations whose variant (base, +UACR, +HbA1c, full) is chosen by which of UACR and
  // HbA1c are present, so sex, UACR and HbA1c select every coefficient; within one equation the terms are
  // age × each risk factor, SBP × treatment and cholesterol × statin (Khan 2024).
  interactions: PREVENT_INTERACTIONS,
  build: () => build('30yr', PREVENT_AGES['30yr']),
};
