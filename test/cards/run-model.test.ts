import { beforeAll, describe, expect, it } from 'vitest';
import { runModel, type ModelRun } from '../../src/cards/run-model.js';
import type { ModelRegistry } from '../../src/models/types.js';
import {
  aBloodPressure,
  aCondition,
  anObservation,
  aPatient,
  concept,
  coding,
  SNOMED,
} from '../support/fhir-builders.js';
import { builtInModels } from '../support/services.js';
import { daysAgo, NOW, VALUE_SETS } from '../features/helpers.js';

const ctx = { now: NOW, settings: {}, valueSets: VALUE_SETS };
let models: ModelRegistry;
beforeAll(async () => {
  models = await builtInModels();
});
const pce = () => {
  const m = models.get('ascvd-pce-10y');
  if (m === undefined) throw new Error('ascvd-pce-10y is not loaded');
  return m;
};

/** The guideline's worked example (Goff 2014; models.md §1): 55 y, TC 213, HDL 50, SBP 120 untreated. */
function example(gender: 'female' | 'male', race: 'white' | 'black') {
  return [
    aPatient({ birthDate: '1969-06-01', gender, race: [race] }),
    anObservation({ id: 'tc', loinc: '2093-3', value: 213, unit: 'mg/dL', date: daysAgo(30) }),
    anObservation({ id: 'hdl', loinc: '2085-9', value: 50, unit: 'mg/dL', date: daysAgo(30) }),
    aBloodPressure({ id: 'bp', systolic: 120, diastolic: 80, date: daysAgo(10) }),
    anObservation({
      id: 'smoke',
      loinc: '72166-2',
      valueCodeableConcept: concept(coding(SNOMED, '266919005', 'Never smoked tobacco')),
      date: daysAgo(10),
    }),
  ];
}

const ok = (run: ModelRun) => {
  if (run.status !== 'ok')
    throw new Error(`expected ok, got ${run.status}: ${'reason' in run ? run.reason : ''}`);
  return run;
};

describe('runModel: FHIR resources → explained result (PCE, published example)', () => {
  it.each([
    ['female', 'white', 0.021],
    ['female', 'black', 0.03],
    ['male', 'white', 0.053],
    ['male', 'black', 0.061],
  ] as const)('%s %s: %s ± 0.1 point, from FHIR', async (gender, race, published) => {
    const run = ok(await runModel(pce(), example(gender, race), ctx));
    const risk = Object.values(run.outputs)[0] ?? Number.NaN;
    expect(Math.abs(risk - published)).toBeLessThanOrEqual(0.001 + 1e-9);
    expect(run.model).toMatchObject({ id: 'ascvd-pce-10y' });
  });

  it('every input carries its provenance: value, date and source resource', async () => {
    const run = ok(await runModel(pce(), example('female', 'white'), ctx));
    const withSource = Object.values(run.inputs).filter((p) => p.source !== undefined);
    expect(withSource.map((p) => p.source)).toEqual(
      expect.arrayContaining(['Observation/tc', 'Observation/hdl', 'Observation/bp', 'Patient/p1']),
    );
    expect(run.explanation.contributions.length).toBe(Object.keys(run.inputs).length);
  });

  it('outside the population: a reason, no number', async () => {
    const young = [
      aPatient({ birthDate: '1990-01-01', gender: 'male' }),
      ...example('male', 'white').slice(1),
    ];
    expect(await runModel(pce(), young, ctx)).toMatchObject({
      status: 'not-applicable',
      reason: 'age 35 is outside 40–79 years',
    });
    const withMi = [...example('male', 'white'), aCondition({ id: 'mi', icd10: 'I21.9' })];
    expect(await runModel(pce(), withMi, ctx)).toMatchObject({
      status: 'not-applicable',
      source: 'Condition/mi',
    });
  });

  it('a required input missing: insufficient data naming it, with the provenance of the rest', async () => {
    const noHdl = example('female', 'white').filter((r) => r.id !== 'hdl');
    const run = await runModel(pce(), noHdl, ctx);
    expect(run.status).toBe('insufficient-data');
    if (run.status !== 'insufficient-data') return;
    expect(run.missing).toContain(
      pce().manifest.inputs.find((i) => i.fhir.source === 'observation' && i.fhir.valueSet.includes('hdl'))
        ?.name,
    );
    expect(run.inputs['total_cholesterol_mg_dl'] ?? Object.values(run.inputs)[0]).toBeDefined();
  });
});
