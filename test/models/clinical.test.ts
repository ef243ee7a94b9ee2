/**
 * The published equation and points packages (models/<id>, built by the compiler) evaluated through
 * the API with explanations: the numbers are the papers', the contributions are exact on the stated
 * additive scale, and where an equation is linear on that scale a lone changed input's contribution
 * is its published coefficient term.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Explanation } from '../../src/models/explain/explanation.js';
import { loadModelRegistry } from '../../src/models/registry.js';
import { builtInModelsDir } from '../../src/models/startup.js';
import type { ModelRegistry } from '../../src/models/types.js';
import { testLogger } from '../support/logs.js';
import { testApp } from './helpers.js';

interface Result {
  outputs: Record<string, number>;
  explanation: Explanation;
  warnings: { input: string; code: string }[];
}

let registry: ModelRegistry;
let app: ReturnType<typeof testApp>;
beforeAll(async () => {
  registry = await loadModelRegistry({
    dirs: [builtInModelsDir()],
    onBroken: 'refuse-to-start',
    log: testLogger(),
  });
  app = testApp(registry);
});
afterAll(() => registry.close());

async function post(id: string, inputs: Record<string, unknown>): Promise<Result> {
  const res = await request(app).post(`/api/models/${id}/evaluate`).send({ inputs });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Result;
}

const contributionsOf = (e: Explanation, output: string): Record<string, number> =>
  Object.fromEntries(e.contributions.map((c) => [c.input, c.contribution[output]!]));

function expectExactSum(e: Explanation): void {
  for (const s of e.scales) {
    const total = Object.values(contributionsOf(e, s.output)).reduce((a, b) => a + b, 0);
    expect(Math.abs(total - (s.value - s.reference)), s.output).toBeLessThan(1e-9);
  }
}

const pce = {
  age_years: 55,
  total_cholesterol_mg_dl: 213,
  hdl_cholesterol_mg_dl: 50,
  systolic_bp_mm_hg: 120,
};
const pceFlags = { on_bp_treatment: false, current_smoker: false, diabetes: false };

describe('published models through POST /api/models/:id/evaluate', () => {
  it('ascvd-pce-10y: African-American man 6.1 %; against the optimal-values white woman, HDL (50 = reference) contributes 0', async () => {
    const r = await post('ascvd-pce-10y', { ...pce, ...pceFlags, sex: 'male', race: 'black' });
    expect(r.outputs['risk_10y']).toBeCloseTo(0.061, 3);
    const e = r.explanation;
    expect(e.method).toBe('shapley-exact');
    expect(e.scales[0]).toMatchObject({
      output: 'risk_10y',
      additiveScale: 'log-hazard',
      transform: 'ln(−ln(1 − p))',
    });
    expectExactSum(e);
    const c = contributionsOf(e, 'risk_10y');
    for (const name of ['age_years', 'hdl_cholesterol_mg_dl']) expect(c[name]).toBe(0);
    for (const name of ['total_cholesterol_mg_dl', 'systolic_bp_mm_hg']) expect(c[name]).toBeGreaterThan(0);
    expect(e.reference.label).toBe(
      'a 55-year-old non-smoking White woman with optimal values (total cholesterol 170, HDL 50 mg/dL, untreated SBP 110 mmHg, no diabetes)',
    );
    expect(c['sex']).not.toBe(0);
    expect(c['race']).not.toBe(0);
    const pp = e.contributions.reduce((a, x) => a + (x.probabilityPoints?.['risk_10y'] ?? 0), 0);
    expect(pp).toBeCloseTo((r.outputs['risk_10y']! - e.scales[0]!.referenceOutput) * 100, 9);
  });

  it('prevent-10y: the preventr female example, five outcomes explained, the variant code reported but not attributed', async () => {
    const r = await post('prevent-10y', {
      age_years: 50,
      sex: 'female',
      systolic_bp_mm_hg: 160,
      on_bp_treatment: true,
      total_cholesterol_mg_dl: 200,
      hdl_cholesterol_mg_dl: 45,
      on_statin: false,
      diabetes: true,
      current_smoker: false,
      egfr_ml_min_1_73m2: 90,
      bmi_kg_m2: 35,
    });
    expect(r.outputs['total_cvd']).toBeCloseTo(0.147, 3);
    expect(r.outputs['heart_failure']).toBeCloseTo(0.081, 3);
    expect(r.outputs['variant']).toBe(0);
    expect(r.warnings.map((w) => [w.input, w.code])).toEqual([
      ['uacr_mg_g', 'missing'],
      ['hba1c_percent', 'missing'],
    ]);
    expect(r.explanation.scales.map((s) => s.output)).toEqual([
      'total_cvd',
      'ascvd',
      'heart_failure',
      'chd',
      'stroke',
    ]);
    expect(r.explanation.notes.join(' ')).toContain('Not attributed (categorical codes): variant.');
    expectExactSum(r.explanation);
    expect(contributionsOf(r.explanation, 'heart_failure')['bmi_kg_m2']).toBeGreaterThan(0);
  });

  it('kfre-4v: one linear predictor, so both horizons get identical log-hazard contributions', async () => {
    const r = await post('kfre-4v', {
      age_years: 58,
      sex: 'male',
      egfr_ml_min_1_73m2: 22,
      uacr_mg_g: 900,
      region: 'north_america',
    });
    expectExactSum(r.explanation);
    const two = contributionsOf(r.explanation, 'risk_2y');
    const five = contributionsOf(r.explanation, 'risk_5y');
    for (const name of Object.keys(two)) expect(two[name]).toBeCloseTo(five[name]!, 9);
    // Tangri 2011: −0.5567 per 5 mL/min/1.73 m² of eGFR (reference: the CKD G3 threshold, 60).
    expect(two['egfr_ml_min_1_73m2']).toBeCloseTo(-0.5567 * ((22 - 60) / 5), 9);
    expect(r.explanation.reference.label).toMatch(
      /^a 70-year-old woman at the thresholds of chronic kidney disease/,
    );
  });

  it('iwpc-warfarin: a lone VKORC1 A/A contributes its published −1.6974 on the √dose scale', async () => {
    const base = {
      age_years: 65,
      height_cm: 175,
      weight_kg: 80,
      race: 'white',
      enzyme_inducer: false,
      amiodarone: false,
    };
    const r = await post('iwpc-warfarin', { ...base, vkorc1_rs9923231: 'A/A', cyp2c9_diplotype: '*1/*1' });
    expect(r.outputs['algorithm']).toBe(1);
    const c = contributionsOf(r.explanation, 'weekly_dose_mg');
    expect(c['vkorc1_rs9923231']).toBeCloseTo(-1.6974, 9);
    expect(Math.sqrt(r.outputs['weekly_dose_mg']!)).toBeCloseTo(6.5825 - 1.6974, 3);
    const vk = r.explanation.contributions.find((x) => x.input === 'vkorc1_rs9923231')!;
    expect(vk.approxOutputUnits?.['weekly_dose_mg']).toBeCloseTo(r.outputs['weekly_dose_mg']! - 43.33, 1);
    expectExactSum(r.explanation);
  });

  it('cha2ds2-vasc: the points table — each criterion met and its points', async () => {
    const r = await post('cha2ds2-vasc', {
      age_years: 78,
      sex: 'female',
      chf: false,
      hypertension: true,
      diabetes: true,
      stroke_tia_te: false,
      vascular_disease: false,
    });
    expect(r.outputs['score']).toBe(5);
    expect(r.explanation.method).toBe('points-table');
    const table = r.explanation.contributions.map((c) => [c.input, c.points?.['score'], c.met]);
    expect(table).toEqual([
      ['age_years', 2, undefined],
      ['sex', 1, undefined],
      ['chf', 0, false],
      ['hypertension', 1, true],
      ['diabetes', 1, true],
      ['stroke_tia_te', 0, false],
      ['vascular_disease', 0, false],
    ]);
  });

  it('has-bled: uncontrolled SBP and age > 65 score a point each', async () => {
    const r = await post('has-bled', {
      systolic_bp_mm_hg: 172,
      abnormal_renal_function: false,
      abnormal_liver_function: false,
      stroke_history: false,
      bleeding_history: false,
      labile_inr: false,
      age_years: 70,
      antiplatelet_or_nsaid: false,
      alcohol_excess: false,
    });
    expect(r.outputs['score']).toBe(2);
    const points = Object.fromEntries(r.explanation.contributions.map((c) => [c.input, c.points?.['score']]));
    expect(points).toMatchObject({ systolic_bp_mm_hg: 1, age_years: 1, labile_inr: 0 });
  });
});
