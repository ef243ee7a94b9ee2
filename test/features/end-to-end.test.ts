import { describe, expect, it } from 'vitest';
import { extractInputs, resourcesOf } from '../../src/features/index.js';
import {
  aBloodPressure,
  aBundle,
  aCondition,
  aMedicationRequest,
  anObservation,
  aPatient,
  coding,
  concept,
  SNOMED,
} from '../support/fhir-builders.js';
import { ctx, daysAgo, spec } from './helpers.js';

/** A Pooled-Cohort-Equations-shaped contract (models.md §1) over a bundle. */
const PCE = [
  spec(
    { source: 'patient', field: 'age-years' },
    { name: 'age', unit: 'a', range: { min: 40, max: 79, outside: 'refuse' } },
  ),
  spec({ source: 'patient', field: 'sex' }, { name: 'sex', type: 'enum', values: ['female', 'male'] }),
  spec(
    { source: 'patient', field: 'race' },
    { name: 'race', type: 'enum', values: ['white', 'black', 'asian', 'other', 'unknown'] },
  ),
  spec(
    {
      source: 'observation',
      valueSet: 'loinc-total-cholesterol',
      unit: 'mg/dL',
      molarMass: 386.65,
      lookbackDays: 730,
      staleAfterDays: 365,
    },
    { name: 'total_cholesterol', unit: 'mg/dL' },
  ),
  spec(
    {
      source: 'observation',
      valueSet: 'loinc-hdl-cholesterol',
      unit: 'mg/dL',
      molarMass: 386.65,
      lookbackDays: 730,
      staleAfterDays: 365,
    },
    { name: 'hdl_cholesterol', unit: 'mg/dL' },
  ),
  spec(
    {
      source: 'observation',
      valueSet: 'loinc-bp-panel',
      componentValueSet: 'loinc-systolic-bp',
      unit: 'mm[Hg]',
      lookbackDays: 365,
      staleAfterDays: 180,
    },
    { name: 'systolic_bp', unit: 'mm[Hg]' },
  ),
  spec(
    { source: 'medication-class', valueSet: 'medication-antihypertensives' },
    { name: 'bp_treated', type: 'boolean' },
  ),
  spec(
    {
      source: 'coded-observation',
      valueSet: 'loinc-smoking-status',
      answers: { 'smoking-current': true, 'smoking-never-or-former': false },
      lookbackDays: 1095,
      staleAfterDays: 365,
    },
    { name: 'smoker', type: 'boolean' },
  ),
  spec({ source: 'condition', valueSet: 'condition-diabetes' }, { name: 'diabetes', type: 'boolean' }),
];

describe('FHIR bundle → PCE inputs', () => {
  it('extracts every input with provenance', () => {
    const bundle = aBundle([
      aPatient({ id: 'pt', birthDate: '1969-06-15', gender: 'female', race: ['black'] }),
      anObservation({ id: 'tc', loinc: '14647-2', value: 5.5, unit: 'mmol/L', date: daysAgo(30) }),
      anObservation({ id: 'hdl', loinc: '2085-9', value: 50, unit: 'mg/dL', date: daysAgo(30) }),
      aBloodPressure({ id: 'bp', systolic: 128, diastolic: 80, date: daysAgo(7) }),
      aMedicationRequest({ id: 'rx', rxnorm: '197361', display: 'amlodipine 5 MG Oral Tablet' }),
      anObservation({
        id: 'smk',
        loinc: '72166-2',
        valueCodeableConcept: concept(coding(SNOMED, '266919005')),
        date: daysAgo(60),
      }),
      aCondition({ id: 'dm', icd10: 'E11.9' }),
    ]);
    const { inputs, provenance } = extractInputs(PCE, resourcesOf(bundle), ctx());
    expect(inputs).toMatchObject({
      age: 55,
      sex: 'female',
      race: 'black',
      hdl_cholesterol: 50,
      systolic_bp: 128,
      bp_treated: true,
      smoker: false,
      diabetes: true,
    });
    expect(inputs['total_cholesterol']).toBeCloseTo(212.7, 1);
    expect(provenance['total_cholesterol']).toMatchObject({
      unit: 'mg/dL',
      source: 'Observation/tc',
      flags: [],
    });
    expect(provenance['bp_treated']).toMatchObject({ source: 'MedicationRequest/rx', flags: [] });
    expect(Object.values(provenance).every((p) => !p.flags.includes('missing'))).toBe(true);
  });
});
