import { describe, expect, it } from 'vitest';
import { fillTemplate, shiftedDate } from '../../src/cds/prefetch/template.js';

const now = new Date('2024-03-31T23:30:00Z');
const ctx = { userId: 'Practitioner/dr1', patientId: 'p1', encounterId: 'e 1&x=y', count: 3, flag: true };

describe('fillTemplate', () => {
  it.each([
    ['Patient/{{context.patientId}}', 'Patient/p1'],
    [
      'Observation?patient={{context.patientId}}&code=http://loinc.org|2093-3',
      'Observation?patient=p1&code=http://loinc.org|2093-3',
    ],
    ['Encounter/{{context.encounterId}}', 'Encounter/e%201%26x%3Dy'],
    ['Observation?_count={{context.count}}&x={{context.flag}}', 'Observation?_count=3&x=true'],
    ['Practitioner/{{userPractitionerId}}', 'Practitioner/dr1'],
    ['Observation?patient={{ context.patientId }}', 'Observation?patient=p1'],
    ['Observation?date=ge{{today()}}', 'Observation?date=ge2024-03-31'],
    ['Observation?date=ge{{today() - 1 years}}', 'Observation?date=ge2023-03-31'],
    ['Observation?date=ge{{today() - 1 months}}', 'Observation?date=ge2024-02-29'],
    ['Observation?date=ge{{today() - 90 days}}', 'Observation?date=ge2024-01-01'],
    ['Observation?date=le{{today() + 1 day}}', 'Observation?date=le2024-04-01'],
    ['Patient?_count=1', 'Patient?_count=1'],
  ])('%s → %s', (template, expected) => {
    expect(fillTemplate(template, ctx, now)).toBe(expected);
  });

  it.each([
    ['PractitionerRole/{{userPractitionerRoleId}}', 'PractitionerRole/r1', 'PractitionerRole/r1'],
    ['Patient/{{userPatientId}}', 'Patient/p7', 'Patient/p7'],
    ['RelatedPerson/{{userRelatedPersonId}}', 'RelatedPerson/rp2', 'RelatedPerson/rp2'],
  ])('%s with userId %s', (template, userId, expected) => {
    expect(fillTemplate(template, { ...ctx, userId }, now)).toBe(expected);
  });

  it.each([
    ['a user token whose type differs from userId', 'Patient/{{userPatientId}}'],
    ['a missing context field', 'Encounter/{{context.missingId}}'],
    ['a non-primitive context field', 'X?y={{context.draftOrders}}'],
    ['an empty context value', 'X?y={{context.empty}}'],
    ['a nested path', 'X?y={{context.draftOrders.id}}'],
    ['an unknown token', 'X?y={{patientId}}'],
    ['a function call', 'X?y={{process.exit()}}'],
    ['unsupported date units', 'X?date=ge{{today() - 1 weeks}}'],
    ['an inherited property', 'X?y={{context.constructor}}'],
    ['a second token unfillable', 'Observation?patient={{context.patientId}}&encounter={{context.nope}}'],
  ])('%s makes the key unfillable', (_why, template) => {
    const context = { ...ctx, draftOrders: { resourceType: 'Bundle', id: 'b' }, empty: '' };
    expect(fillTemplate(template, context, now)).toBeUndefined();
  });

  it('treats a malformed userId as unfillable', () => {
    expect(fillTemplate('Practitioner/{{userPractitionerId}}', { userId: 'dr1' }, now)).toBeUndefined();
    expect(
      fillTemplate('Practitioner/{{userPractitionerId}}', { userId: 'Practitioner/a/b' }, now),
    ).toBeUndefined();
  });
});

describe('shiftedDate', () => {
  it('clamps month and year arithmetic to the end of the month', () => {
    expect(shiftedDate(new Date('2024-02-29T00:00:00Z'), '-', '1', 'years')).toBe('2023-02-28');
    expect(shiftedDate(new Date('2024-01-31T00:00:00Z'), '+', '1', 'month')).toBe('2024-02-29');
    expect(shiftedDate(new Date('2024-01-15T00:00:00Z'), '-', '13', 'months')).toBe('2022-12-15');
    expect(shiftedDate(new Date('2024-01-15T00:00:00Z'))).toBe('2024-01-15');
  });
});
