import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/models/evaluate.js';
import { HttpError } from '../../src/http/errors.js';
import type { InputWarning } from '../../src/models/types.js';
import { fixture, model } from './helpers.js';

const demo = () => model(fixture('contract-demo'));
const valid = {
  age_years: 60,
  systolic_bp_mm_hg: 140,
  bmi_kg_m2: 31,
  current_smoker: true,
  race: 'black',
  uacr_mg_g: 30,
};

async function refusal(inputs: unknown): Promise<HttpError> {
  const err = await evaluate(await demo(), inputs, { explain: false }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(HttpError);
  return err as HttpError;
}

function expectWarnings(got: readonly InputWarning[], want: readonly [string, string, RegExp][]): void {
  expect(got.map((w) => [w.input, w.code])).toEqual(want.map(([input, code]) => [input, code]));
  want.forEach(([, , re], i) => {
    expect(got[i]!.message).toMatch(re);
  });
}

function expectOutcome(err: HttpError, status: number, code: string, expression: string, text: RegExp): void {
  expect(err.status).toBe(status);
  expect(err.outcome.resourceType).toBe('OperationOutcome');
  expect(err.outcome.issue).toHaveLength(1);
  expect(err.outcome.issue[0]).toMatchObject({ severity: 'error', code, expression: [expression] });
  expect(err.outcome.issue[0]!.diagnostics).toMatch(text);
}

describe('evaluate: input contract', () => {
  it('evaluates valid inputs with no warnings', async () => {
    const r = await evaluate(await demo(), valid, { explain: false });
    expect(r.model).toEqual({ id: 'contract-demo', version: '0.1.0' });
    expect(Object.keys(r.outputs)).toEqual(['risk', 'risk_cox']);
    expect(r.outputs['risk']).toBeGreaterThan(0);
    expect(r.outputs['risk']).toBeLessThan(1);
    expect(r.warnings).toEqual([]);
    expect(r.explanation).toBeUndefined();
  });

  it('refuses a missing required input, naming it', async () => {
    const { age_years: _, ...rest } = valid;
    expectOutcome(await refusal(rest), 400, 'required', 'inputs.age_years', /inputs\.age_years is required/);
    expectOutcome(
      await refusal({ ...valid, age_years: null }),
      400,
      'required',
      'inputs.age_years',
      /required/,
    );
  });

  it('refuses wrong types, naming the input', async () => {
    expectOutcome(
      await refusal({ ...valid, age_years: '60' }),
      400,
      'invalid',
      'inputs.age_years',
      /finite JSON number/,
    );
    expectOutcome(
      await refusal({ ...valid, current_smoker: 1 }),
      400,
      'invalid',
      'inputs.current_smoker',
      /JSON boolean/,
    );
    expectOutcome(
      await refusal({ ...valid, current_smoker: 'true' }),
      400,
      'invalid',
      'inputs.current_smoker',
      /JSON boolean/,
    );
    expectOutcome(
      await refusal({ ...valid, race: 'hispanic' }),
      400,
      'invalid',
      'inputs.race',
      /one of: white, black, asian, other, unknown/,
    );
    expectOutcome(await refusal({ ...valid, race: 1 }), 400, 'invalid', 'inputs.race', /one of/);
    expectOutcome(
      await refusal({ ...valid, bmi_kg_m2: Number.NaN }),
      400,
      'invalid',
      'inputs.bmi_kg_m2',
      /finite/,
    );
  });

  it('refuses unknown inputs and a non-object', async () => {
    expectOutcome(
      await refusal({ ...valid, ldl: 100 }),
      400,
      'invalid',
      'inputs.ldl',
      /not an input of model contract-demo/,
    );
    expectOutcome(await refusal([1, 2]), 400, 'invalid', 'inputs', /JSON object/);
  });

  it('range refuse → 400 naming the input and the range, without echoing the value', async () => {
    const err = await refusal({ ...valid, age_years: 85.25 });
    expectOutcome(err, 400, 'invalid', 'inputs.age_years', /outside the model's valid range 30–79 years$/);
    expect(err.message).not.toContain('85.25');
  });

  it('range warn → used as given, with an out-of-range warning', async () => {
    const r = await evaluate(await demo(), { ...valid, systolic_bp_mm_hg: 200 }, { explain: false });
    expectWarnings(r.warnings, [['systolic_bp_mm_hg', 'out-of-range', /90–180 mmHg\); used as given/]]);
    const inRange = await evaluate(await demo(), { ...valid, systolic_bp_mm_hg: 180 }, { explain: false });
    expect(r.outputs['risk']).toBeGreaterThan(inRange.outputs['risk']!);
  });

  it('range clamp → clamped value used, with a clamped warning', async () => {
    const r = await evaluate(await demo(), { ...valid, bmi_kg_m2: 45 }, { explain: true });
    const atMax = await evaluate(await demo(), { ...valid, bmi_kg_m2: 39.9 }, { explain: false });
    expect(r.outputs).toEqual(atMax.outputs);
    expectWarnings(r.warnings, [['bmi_kg_m2', 'clamped', /39\.9 was used/]]);
    expect(r.explanation!.contributions.find((c) => c.input === 'bmi_kg_m2')!.value).toBe(39.9);
  });

  it('missing with a default → the documented value, flagged defaulted', async () => {
    const { current_smoker: _s, race: _r, ...rest } = valid;
    const r = await evaluate(await demo(), rest, { explain: false });
    const explicit = await evaluate(
      await demo(),
      { ...rest, current_smoker: false, race: 'unknown' },
      { explain: false },
    );
    expect(r.outputs).toEqual(explicit.outputs);
    expect(r.warnings.map((w) => [w.input, w.code])).toEqual([
      ['current_smoker', 'defaulted'],
      ['race', 'defaulted'],
    ]);
  });

  it('missing with model-handles → NaN to the model, flagged missing', async () => {
    const { uacr_mg_g: _, ...rest } = valid;
    const r = await evaluate(await demo(), rest, { explain: true });
    expectWarnings(r.warnings, [['uacr_mg_g', 'missing', /accounts for its absence/]]);
    expect(Number.isFinite(r.outputs['risk'])).toBe(true);
    const uacr = r.explanation!.contributions.find((c) => c.input === 'uacr_mg_g')!;
    expect(uacr.value).toBeNull();
    expect(uacr.contribution['risk']).not.toBe(0);
  });
});
