/** Sanity properties of the compiled packages (real onnxruntime sessions on the committed files). */
import { describe, expect, it } from 'vitest';
import type { InputRow } from './encode.js';
import { loadPackage } from './package-runner.js';

async function run(id: string, rows: readonly InputRow[]): Promise<Record<string, number[]>> {
  const pkg = await loadPackage(id);
  try {
    return await pkg.run(rows);
  } finally {
    await pkg.release();
  }
}

const ages = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);
const increasing = (xs: readonly number[]): boolean =>
  xs.every((x, i) => i === 0 || x > (xs[i - 1] ?? Infinity));
const within01 = (xs: readonly number[]): boolean => xs.every((x) => x > 0 && x < 1);

const PCE_BASE = {
  sex: 'male',
  race: 'white',
  total_cholesterol_mg_dl: 213,
  hdl_cholesterol_mg_dl: 50,
  systolic_bp_mm_hg: 120,
  on_bp_treatment: false,
  current_smoker: false,
  diabetes: false,
};
const PREVENT_BASE = {
  sex: 'female',
  total_cholesterol_mg_dl: 200,
  hdl_cholesterol_mg_dl: 45,
  systolic_bp_mm_hg: 160,
  on_bp_treatment: true,
  on_statin: false,
  diabetes: true,
  current_smoker: false,
  egfr_ml_min_1_73m2: 90,
  bmi_kg_m2: 35,
  uacr_mg_g: null,
  hba1c_percent: null,
};

describe('ascvd-pce-10y properties', () => {
  it('risk rises with age across 40–79 for every race–sex equation and stays in (0, 1)', async () => {
    for (const sex of ['female', 'male']) {
      for (const race of ['white', 'black', 'asian']) {
        const out = await run(
          'ascvd-pce-10y',
          ages(40, 79).map((age_years) => ({ ...PCE_BASE, sex, race, age_years })),
        );
        expect(increasing(out['risk_10y'] ?? []), `${sex} ${race}`).toBe(true);
        expect(within01(out['risk_10y'] ?? []), `${sex} ${race}`).toBe(true);
      }
    }
  });
  it('returns no estimate (NaN) outside 40–79, and the manifest refuses those ages', async () => {
    const pkg = await loadPackage('ascvd-pce-10y');
    try {
      const out = await pkg.run([39, 80].map((age_years) => ({ ...PCE_BASE, age_years })));
      expect(out['risk_10y']?.every(Number.isNaN)).toBe(true);
      expect(pkg.manifest.inputs.find((i) => i.name === 'age_years')?.range).toEqual({
        min: 40,
        max: 79,
        outside: 'refuse',
      });
    } finally {
      await pkg.release();
    }
  });
  it('non-White, non-Black races use the White equations', async () => {
    const out = await run(
      'ascvd-pce-10y',
      ['white', 'asian', 'other', 'unknown'].map((race) => ({ ...PCE_BASE, race, age_years: 60 })),
    );
    expect(new Set(out['risk_10y']).size).toBe(1);
  });
});

// 30-year risk has an age² term and competing mortality: for a high-risk profile (the preventr example:
// diabetic, SBP 160) it plateaus near 56 and dips slightly by 59 — a property of the published equations,
// not of the graph — so the 30-year monotonicity check uses a lower-risk profile.
const profile = (id: string): InputRow =>
  id === 'prevent-30y'
    ? { ...PREVENT_BASE, diabetes: false, systolic_bp_mm_hg: 120, on_bp_treatment: false }
    : PREVENT_BASE;

describe('PREVENT properties', () => {
  for (const [id, max] of [
    ['prevent-10y', 79],
    ['prevent-30y', 59],
  ] as const) {
    it(`${id}: every outcome rises with age (base variant) and stays in (0, 1); NaN outside 30–${max}`, async () => {
      const out = await run(
        id,
        [...ages(30, max), 29, max + 1].map((age_years) => ({ ...profile(id), age_years })),
      );
      for (const o of ['total_cvd', 'ascvd', 'heart_failure', 'chd', 'stroke']) {
        const xs = out[o] ?? [];
        expect(increasing(xs.slice(0, -2)), o).toBe(true);
        expect(within01(xs.slice(0, -2)), o).toBe(true);
        expect(xs.slice(-2).every(Number.isNaN), o).toBe(true);
      }
    });
    it(`${id}: variant follows input presence (0 base, 1 UACR, 2 HbA1c, 3 full)`, async () => {
      const rows = [{}, { uacr_mg_g: 30 }, { hba1c_percent: 6 }, { uacr_mg_g: 30, hba1c_percent: 6 }].map(
        (x) => ({ ...PREVENT_BASE, age_years: 50, ...x }),
      );
      const out = await run(id, rows);
      expect(out['variant']).toEqual([0, 1, 2, 3]);
      expect(out['total_cvd']?.every((r) => r > 0 && r < 1)).toBe(true);
    });
  }
});

describe('kfre-4v properties', () => {
  it('risk rises with ACR, falls with eGFR; 5-year ≥ 2-year; non-North-America is lower', async () => {
    const base = {
      age_years: 65,
      sex: 'male',
      egfr_ml_min_1_73m2: 30,
      uacr_mg_g: 300,
      region: 'north_america',
    };
    const acr = await run(
      'kfre-4v',
      [10, 30, 300, 3000].map((uacr_mg_g) => ({ ...base, uacr_mg_g })),
    );
    expect(increasing(acr['risk_5y'] ?? [])).toBe(true);
    const egfr = await run(
      'kfre-4v',
      [55, 40, 25, 12].map((egfr_ml_min_1_73m2) => ({ ...base, egfr_ml_min_1_73m2 })),
    );
    expect(increasing(egfr['risk_2y'] ?? [])).toBe(true);
    const regions = await run('kfre-4v', [base, { ...base, region: 'other' }]);
    expect(regions['risk_2y']?.[1]).toBeLessThan(regions['risk_2y']?.[0] ?? 0);
    expect(regions['risk_5y']?.[0]).toBeGreaterThan(regions['risk_2y']?.[0] ?? 1);
  });
});

describe('points scores', () => {
  it('CHA2DS2-VASc is 0–9 over every criterion combination and its band follows the table', async () => {
    const rows: InputRow[] = [];
    for (let mask = 0; mask < 32; mask++) {
      for (const age_years of [50, 65, 74, 75, 90]) {
        for (const sex of ['female', 'male']) {
          const [chf, hypertension, diabetes, stroke_tia_te, vascular_disease] = [0, 1, 2, 3, 4].map(
            (b) => (mask & (1 << b)) !== 0,
          );
          rows.push({ age_years, sex, chf, hypertension, diabetes, stroke_tia_te, vascular_disease });
        }
      }
    }
    const out = await run('cha2ds2-vasc', rows);
    const expected = rows.map((r) => {
      const age = Number(r['age_years']);
      const pts = [r['chf'], r['hypertension'], r['diabetes'], r['vascular_disease']].filter(Boolean).length;
      return (
        pts +
        (r['stroke_tia_te'] ? 2 : 0) +
        (age >= 75 ? 2 : age >= 65 ? 1 : 0) +
        (r['sex'] === 'female' ? 1 : 0)
      );
    });
    expect(out['score']).toEqual(expected);
    expect(Math.max(...(out['score'] ?? []))).toBe(9);
  });
  it('IWPC: the estimated dose falls with each age decade', async () => {
    const row = {
      height_cm: 175,
      weight_kg: 80,
      race: 'white',
      vkorc1_rs9923231: 'A/G',
      cyp2c9_diplotype: '*1/*2',
      enzyme_inducer: false,
      amiodarone: false,
    };
    const out = await run(
      'iwpc-warfarin',
      [25, 35, 45, 55, 65, 75, 85].map((age_years) => ({ ...row, age_years })),
    );
    expect(increasing([...(out['weekly_dose_mg'] ?? [])].reverse())).toBe(true);
  });
});
