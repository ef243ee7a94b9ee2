import { describe, expect, it } from 'vitest';
import { extractInputs } from '../../src/features/extract.js';
import type { InputSpec } from '../../src/models/manifest.js';
import {
  aCondition,
  aMedicationRequest,
  aMedicationStatement,
  anObservation,
  coding,
  concept,
  SNOMED,
} from '../support/fhir-builders.js';
import { ctx, daysAgo, spec } from './helpers.js';

const run = (s: InputSpec, resources: Parameters<typeof extractInputs>[1]) =>
  extractInputs([s], resources, ctx()).provenance[s.name]!;

const SMOKER = spec(
  {
    source: 'coded-observation',
    valueSet: 'loinc-smoking-status',
    answers: { 'smoking-current': true, 'smoking-never-or-former': false },
    lookbackDays: 730,
    staleAfterDays: 365,
  },
  { name: 'smoker', type: 'boolean' },
);
const smoking = (code: string, days: number, id?: string) =>
  anObservation({
    loinc: '72166-2',
    valueCodeableConcept: concept(coding(SNOMED, code)),
    date: daysAgo(days),
    ...(id === undefined ? {} : { id }),
  });

describe('coded observations (smoking status)', () => {
  it('maps current and never/former answers', () => {
    expect(run(SMOKER, [smoking('449868002', 10)]).value).toBe(true);
    expect(run(SMOKER, [smoking('8517006', 10), smoking('449868002', 400)]).value).toBe(false);
  });

  it('flags an unmapped answer uninterpretable and uses an older mapped one', () => {
    const p = run(SMOKER, [smoking('266927001', 5, 'unk'), smoking('266919005', 50, 'never')]);
    expect(p).toMatchObject({ value: false, source: 'Observation/never', flags: ['uninterpretable'] });
    expect(run(SMOKER, [smoking('266927001', 5)])).toMatchObject({
      value: null,
      flags: ['uninterpretable', 'missing'],
    });
  });

  it('flags stale answers', () => {
    expect(run(SMOKER, [smoking('449868002', 400)]).flags).toEqual(['stale']);
  });
});

const COND = (valueSet: string) => spec({ source: 'condition', valueSet }, { name: 'c', type: 'boolean' });

describe('conditions', () => {
  it('finds an active condition by ICD-10-CM prefix or SNOMED code, with source and onset', () => {
    const p = run(COND('condition-diabetes'), [
      aCondition({ icd10: 'E11.65', id: 'dm', onset: '2019-03-01' }),
    ]);
    expect(p).toMatchObject({ value: true, source: 'Condition/dm', date: '2019-03-01', flags: [] });
    expect(run(COND('condition-atrial-fibrillation'), [aCondition({ snomed: '49436004' })]).value).toBe(true);
  });

  it('ignores resolved, refuted and entered-in-error conditions', () => {
    const af = (o: Parameters<typeof aCondition>[0]) =>
      run(COND('condition-atrial-fibrillation'), [aCondition({ icd10: 'I48.91', ...o })]);
    expect(af({ clinicalStatus: 'resolved' }).value).toBe(false);
    expect(af({ verificationStatus: 'refuted' }).value).toBe(false);
    expect(af({ verificationStatus: 'entered-in-error' }).value).toBe(false);
    expect(af({ clinicalStatus: 'recurrence' }).value).toBe(true);
  });

  it('is false (not missing) with no matching condition', () => {
    const p = run(COND('condition-heart-failure'), [aCondition({ icd10: 'I10' })]);
    expect(p).toMatchObject({ value: false, flags: [] });
  });
});

const MED = (valueSet: string) =>
  spec({ source: 'medication-class', valueSet }, { name: 'm', type: 'boolean' });

describe('medication classes', () => {
  it('matches an ingredient code and a clinical-drug (SCD) code', () => {
    expect(run(MED('medication-statins'), [aMedicationRequest({ rxnorm: '83367', id: 'a' })])).toMatchObject({
      value: true,
      source: 'MedicationRequest/a',
    });
    expect(
      run(MED('medication-antihypertensives'), [
        aMedicationRequest({ rxnorm: '314076', display: 'lisinopril 10 MG Oral Tablet' }),
      ]).flags,
    ).toEqual([]);
  });

  it('reads a contained Medication and MedicationStatements', () => {
    expect(
      run(MED('medication-amiodarone'), [aMedicationRequest({ rxnorm: '703', contained: true })]).value,
    ).toBe(true);
    expect(
      run(MED('medication-warfarin-enzyme-inducers'), [aMedicationStatement({ rxnorm: '2002' })]).value,
    ).toBe(true);
  });

  it('falls back to the display text, flagged matched-by-text', () => {
    const p = run(MED('medication-statins'), [
      aMedicationRequest({ rxnorm: '99999999', display: 'Rosuvastatin 10 mg tablet (local)' }),
    ]);
    expect(p).toMatchObject({ value: true, flags: ['matched-by-text'] });
    expect(
      run(MED('medication-statins'), [aMedicationRequest({ text: 'ATORVASTATIN 40MG TAB' })]).flags,
    ).toEqual(['matched-by-text']);
  });

  it('ignores stopped, completed and entered-in-error orders', () => {
    for (const status of ['stopped', 'completed', 'entered-in-error'] as const) {
      expect(run(MED('medication-statins'), [aMedicationRequest({ rxnorm: '83367', status })]).value).toBe(
        false,
      );
    }
  });
});
