import { describe, expect, it } from 'vitest';
import { checkPopulation } from '../../src/features/population.js';
import { aCondition, aPatient } from '../support/fhir-builders.js';
import { NOW, VALUE_SETS } from '../features/helpers.js';

const ctx = { now: NOW, valueSets: VALUE_SETS };
const adults = { description: 'adults', ageYears: { min: 40, max: 79 } };

describe('checkPopulation (manifest population over a patient’s resources)', () => {
  it('applies inside the age range, counting completed years at `now`', () => {
    expect(checkPopulation(adults, [aPatient({ birthDate: '1984-12-31' })], ctx)).toEqual({
      applies: true,
      ageYears: 40,
    });
    expect(checkPopulation(adults, [aPatient({ birthDate: '1985-01-02' })], ctx)).toMatchObject({
      applies: false,
      code: 'age',
      reason: 'age 39 is outside 40–79 years',
    });
    expect(checkPopulation(adults, [aPatient({ birthDate: '1944-06-01' })], ctx)).toMatchObject({
      applies: false,
      code: 'age',
    });
  });

  it('without a usable birth date the age criterion cannot be checked: not applicable, and says so', () => {
    const noBirth = { resourceType: 'Patient' as const, id: 'p1' };
    expect(checkPopulation(adults, [noBirth], ctx)).toMatchObject({ applies: false, code: 'no-age' });
    expect(checkPopulation(adults, [], ctx)).toMatchObject({ applies: false, code: 'no-age' });
  });

  it('requires one of the listed conditions, active and not refuted', () => {
    const af = { ...adults, requiresAnyCondition: ['atrial-fibrillation'] };
    const patient = aPatient({ birthDate: '1950-01-01' });
    expect(checkPopulation(af, [patient], ctx)).toMatchObject({ applies: false, code: 'requires-condition' });
    expect(checkPopulation(af, [patient, aCondition({ icd10: 'I48.91' })], ctx)).toMatchObject({
      applies: true,
    });
    expect(
      checkPopulation(af, [patient, aCondition({ icd10: 'I48.91', verificationStatus: 'refuted' })], ctx),
    ).toMatchObject({ applies: false, code: 'requires-condition' });
    expect(
      checkPopulation(af, [patient, aCondition({ icd10: 'I48.91', clinicalStatus: 'resolved' })], ctx),
    ).toMatchObject({ applies: false });
  });

  it('an excluding condition makes the model not apply, naming the resource behind it', () => {
    const noAscvd = { ...adults, excludesConditions: ['atherosclerotic-cardiovascular-disease'] };
    const result = checkPopulation(
      noAscvd,
      [aPatient({ birthDate: '1960-01-01' }), aCondition({ id: 'mi', icd10: 'I21.9' })],
      ctx,
    );
    expect(result).toMatchObject({ applies: false, code: 'excluded-condition', source: 'Condition/mi' });
  });
});

describe('checkPopulation: exclusions count history', () => {
  it('a resolved MI still excludes a model for patients without known ASCVD', () => {
    const noAscvd = { ...adults, excludesConditions: ['atherosclerotic-cardiovascular-disease'] };
    const patient = aPatient({ birthDate: '1960-01-01' });
    const resolvedMi = aCondition({ id: 'old-mi', icd10: 'I21.9', clinicalStatus: 'resolved' });
    expect(checkPopulation(noAscvd, [patient, resolvedMi], ctx)).toMatchObject({
      applies: false,
      code: 'excluded-condition',
      source: 'Condition/old-mi',
    });
    const refuted = aCondition({ id: 'r', icd10: 'I21.9', verificationStatus: 'refuted' });
    expect(checkPopulation(noAscvd, [patient, refuted], ctx)).toMatchObject({ applies: true });
  });
});
