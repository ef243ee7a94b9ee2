/**
 * Waterfall data (smart-launch/src/app/waterfall.ts) from real explained evaluations: a points score
 * steps exactly from the reference profile to the patient; a risk equation's approximate percentage
 * points are chained in order of size and end at the patient's estimate.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { amountFor, amountKind, referenceWords, waterfall } from '../../../smart-launch/src/app/waterfall.js';
import type { OkRun } from '../../../smart-launch/src/app/types.js';
import { evaluate } from '../../../src/models/evaluate.js';
import type { ModelRegistry } from '../../../src/models/types.js';
import { builtInModels } from '../../support/services.js';

let models: ModelRegistry;
beforeAll(async () => {
  models = await builtInModels();
});

async function okRun(id: string, inputs: Record<string, unknown>): Promise<OkRun> {
  const model = models.get(id);
  if (model === undefined) throw new Error(`${id} not loaded`);
  const r = await evaluate(model, inputs, { explain: true });
  if (r.explanation === undefined) throw new Error('no explanation');
  const m = model.manifest;
  return {
    status: 'ok',
    model: { id: m.id, version: m.version, name: m.name, citations: m.citations },
    inputs: {},
    outputs: r.outputs,
    explanation: r.explanation,
    warnings: r.warnings,
  };
}

const chained = (steps: { from: number; to: number; amount: number }[], start: number): void => {
  let at = start;
  for (const s of steps) {
    expect(s.from).toBeCloseTo(at, 9);
    expect(s.to).toBeCloseTo(s.from + s.amount, 9);
    at = s.to;
  }
};

describe('waterfall', () => {
  it('CHA2DS2-VASc: exact points, largest first, zero-point criteria neutral, ends at the score', async () => {
    // 78-year-old woman with hypertension: age ≥ 75 (2) + female (1) + hypertension (1) = 4.
    const run = await okRun('cha2ds2-vasc', {
      age_years: 78,
      sex: 'female',
      chf: false,
      hypertension: true,
      diabetes: false,
      stroke_tia_te: false,
      vascular_disease: false,
    });
    expect(run.outputs['score']).toBe(4);
    const wf = waterfall(run, 'score', 1);
    if (wf === undefined) throw new Error('no waterfall');
    expect(wf.exact).toBe(true);
    expect(wf.end).toBe(4);
    expect(wf.steps.map((s) => [s.input, s.amount])).toEqual([
      ['age_years', 2],
      ['sex', 1],
      ['hypertension', 1],
    ]);
    chained(wf.steps, wf.start);
    expect(wf.steps.at(-1)?.to).toBeCloseTo(wf.end, 9);
    expect(wf.neutral.sort()).toEqual(['chf', 'diabetes', 'stroke_tia_te', 'vascular_disease']);
  });

  it('PCE: percentage points (scale 100), sorted by size, chained from the reference to the estimate', async () => {
    const run = await okRun('ascvd-pce-10y', {
      age_years: 60,
      sex: 'male',
      race: 'white',
      total_cholesterol_mg_dl: 238,
      hdl_cholesterol_mg_dl: 41,
      systolic_bp_mm_hg: 152,
      on_bp_treatment: true,
      current_smoker: true,
      diabetes: true,
    });
    const wf = waterfall(run, 'risk_10y', 100);
    if (wf === undefined) throw new Error('no waterfall');
    expect(wf.exact).toBe(false);
    expect(wf.end).toBeCloseTo((run.outputs['risk_10y'] ?? Number.NaN) * 100, 9);
    const sizes = wf.steps.map((s) => Math.abs(s.amount));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(wf.steps.length).toBeGreaterThanOrEqual(5);
    chained(wf.steps, wf.start);
    // The approximate shares add up to the change from the reference to this patient.
    expect(wf.steps.at(-1)?.to ?? Number.NaN).toBeCloseTo(wf.end, 1);
    expect(wf.steps.find((s) => s.input === 'current_smoker')?.amount).toBeGreaterThan(0);
  });

  it('amountFor reads points, then approximate percentage points, and nothing for an unknown input', async () => {
    const run = await okRun('cha2ds2-vasc', {
      age_years: 66,
      sex: 'male',
      chf: true,
      hypertension: false,
      diabetes: false,
      stroke_tia_te: false,
      vascular_disease: false,
    });
    expect(amountFor(run, 'age_years', 'score', 1)).toBe(1);
    expect(amountFor(run, 'chf', 'score', 1)).toBe(1);
    expect(amountFor(run, 'no_such_input', 'score', 1)).toBeUndefined();
    expect(waterfall(run, 'no_such_output', 1)).toBeUndefined();
  });

  it('the explanation contract: probabilityPoints win over the approximate shares, the reference label names the base bar; without them, the fallback', async () => {
    const inputs = {
      age_years: 63,
      sex: 'male',
      race: 'white',
      total_cholesterol_mg_dl: 230,
      hdl_cholesterol_mg_dl: 38,
      systolic_bp_mm_hg: 158,
      on_bp_treatment: true,
      current_smoker: true,
      diabetes: true,
    };
    const real = await okRun('ascvd-pce-10y', inputs);
    // The real answer carries the contract (the explanation core): exact probability points and the
    // manifest's named reference.
    expect(amountKind(real, 'risk_10y')).toBe('exact-shapley');
    expect(waterfall(real, 'risk_10y', 100)?.baseLabel).toMatch(/^a 55-year-old non-smoking White woman/);
    // Without them, as a bring-your-own model's answer may be: the fallback.
    const plain = structuredClone(real);
    for (const c of plain.explanation.contributions as unknown as Record<string, unknown>[]) {
      delete c['probabilityPoints'];
      delete c['outputUnits'];
      delete c['whatIf'];
    }
    const ref = plain.explanation.reference as unknown as Record<string, unknown>;
    delete ref['label'];
    delete ref['rationale'];
    expect(amountKind(plain, 'risk_10y')).toBe('approximate');
    expect(referenceWords(plain)).toEqual({});
    expect(waterfall(plain, 'risk_10y', 100)?.baseLabel).toBe('Reference profile');

    // The fixture adds the fields the explanation core may add: per-input probability points that
    // sum to the change (here: the approximate shares scaled, with SBP given an exact-looking value).
    const extended = structuredClone(plain);
    const total =
      (plain.outputs['risk_10y'] ?? 0) * 100 - (plain.explanation.scales[0]?.referenceOutput ?? 0) * 100;
    const approx = plain.explanation.contributions.map((c) => c.approxPercentagePoints?.['risk_10y'] ?? 0);
    const sbpIndex = plain.explanation.contributions.findIndex((c) => c.input === 'systolic_bp_mm_hg');
    const pp = approx.map((a, i) => (i === sbpIndex ? 12.5 : a));
    const rest = pp.reduce((x, y) => x + y, 0) - total;
    const fixIndex = plain.explanation.contributions.findIndex((c) => c.input === 'age_years');
    pp[fixIndex] = (pp[fixIndex] ?? 0) - rest;
    extended.explanation.contributions.forEach((c, i) => {
      (c as { probabilityPoints?: Record<string, number> }).probabilityPoints = { risk_10y: pp[i] ?? 0 };
    });
    Object.assign(extended.explanation.reference, {
      label: 'a 55-year-old non-smoking woman with optimal values',
      rationale: 'The guideline’s optimal risk-factor profile.',
    });
    expect(amountKind(extended, 'risk_10y')).toBe('exact-shapley');
    expect(amountFor(extended, 'systolic_bp_mm_hg', 'risk_10y', 100)).toBe(12.5);
    const wf = waterfall(extended, 'risk_10y', 100);
    if (wf === undefined) throw new Error('no waterfall');
    expect(wf.baseLabel).toBe('a 55-year-old non-smoking woman with optimal values');
    expect(wf.steps.find((s) => s.input === 'systolic_bp_mm_hg')?.amount).toBe(12.5);
    expect(wf.steps.at(-1)?.to ?? Number.NaN).toBeCloseTo(wf.end, 9);
    expect(referenceWords(extended).rationale).toMatch(/optimal/);
  });
});
