import { describe, expect, it } from 'vitest';
import { extractInputs } from '../../src/features/extract.js';
import type { InputSpec } from '../../src/models/manifest.js';
import { aPatient } from '../support/fhir-builders.js';
import { ctx, spec } from './helpers.js';

const AGE = spec({ source: 'patient', field: 'age-years' }, { name: 'age', unit: 'a' });
const SEX = spec(
  { source: 'patient', field: 'sex' },
  { name: 'sex', type: 'enum', values: ['female', 'male'] },
);
const RACE = spec(
  { source: 'patient', field: 'race' },
  { name: 'race', type: 'enum', values: ['white', 'black', 'asian', 'other', 'unknown'] },
);
const run = (s: InputSpec, resources: Parameters<typeof extractInputs>[1]) =>
  extractInputs([s], resources, ctx()).provenance[s.name]!;

describe('patient demographics (NOW = 2025-01-01)', () => {
  it('computes completed years at now, around the birthday', () => {
    expect(run(AGE, [aPatient({ birthDate: '1960-01-01', id: 'pt' })])).toMatchObject({
      value: 65,
      unit: 'a',
      source: 'Patient/pt',
    });
    expect(run(AGE, [aPatient({ birthDate: '1960-01-02' })]).value).toBe(64);
    expect(run(AGE, [aPatient({ birthDate: '1960' })]).note).toMatch(/partial/);
  });

  it('is missing without a Patient', () => {
    expect(run(AGE, [])).toMatchObject({ value: null, flags: ['missing'] });
  });

  it('maps administrative gender female/male; other → missing policy', () => {
    expect(run(SEX, [aPatient({ gender: 'female' })]).value).toBe('female');
    expect(run(SEX, [aPatient({ gender: 'male' })]).value).toBe('male');
    expect(run(SEX, [aPatient({ gender: 'other' })])).toMatchObject({ value: null, flags: ['missing'] });
  });

  it('maps the US Core race ombCategory; absent → unknown (flagged), several → other', () => {
    expect(run(RACE, [aPatient({ race: ['black'] })]).value).toBe('black');
    expect(run(RACE, [aPatient({ race: ['asian'] })]).value).toBe('asian');
    expect(run(RACE, [aPatient({ race: ['white'] })]).value).toBe('white');
    expect(run(RACE, [aPatient({ race: ['aian'] })]).value).toBe('other');
    expect(run(RACE, [aPatient({ race: ['white', 'black'] })]).value).toBe('other');
    expect(run(RACE, [aPatient({})])).toMatchObject({ value: 'unknown', flags: ['missing'] });
  });
});
