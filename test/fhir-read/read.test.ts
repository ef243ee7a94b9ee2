/**
 * The FHIR boundary reader (src/fhir-read): what it accepts, and the exact words it uses for what it
 * refuses — these words reach the stored result and the trace.
 */
import { describe, expect, it } from 'vitest';
import { readBundle, readResource } from '../../src/fhir-read/index.js';
import {
  aBloodPressure,
  aCondition,
  aGenotype,
  aMedicationRequest,
  anObservation,
  aPatient,
} from '../support/fhir-builders.js';

const problem = (v: unknown): string => {
  const r = readResource(v);
  if (r.ok) throw new Error('expected unreadable');
  return r.unreadable.problem;
};

describe('readResource', () => {
  it('accepts the well-formed resources the services read, as the same objects', () => {
    for (const r of [
      aPatient({ id: 'p1', birthDate: '1950-02-03', gender: 'male', race: ['white'] }),
      anObservation({ id: 'o1', loinc: '2093-3', value: 200, unit: 'mg/dL', date: '2026-01-02' }),
      aBloodPressure({ id: 'bp', systolic: 130, diastolic: 80, date: '2026-01-02T10:00:00Z' }),
      aCondition({ id: 'c1', snomed: '44054006' }),
      aMedicationRequest({ id: 'm1', rxnorm: '83367' }),
      aGenotype({ shape: 'ig', gene: 'CYP2C19', value: '*1/*2', id: 'g1' }),
    ]) {
      const read = readResource(r);
      expect(read.ok, JSON.stringify(read)).toBe(true);
      if (read.ok) expect(read.resource).toBe(r);
    }
  });

  it('names the resource, the element path and what is wrong', () => {
    const obs = { resourceType: 'Observation', id: 'x', status: 'final', code: { coding: 'LOINC 2093-3' } };
    expect(problem(obs)).toBe('Observation/x: code.coding is not an array');
    expect(problem({ resourceType: 'Observation', id: 'x', code: { text: 'TC' } })).toBe(
      'Observation/x: status is required',
    );
    expect(problem({ resourceType: 'Patient', id: 'p', birthDate: 5 })).toBe(
      'Patient/p: birthDate is not a string',
    );
    expect(problem({ resourceType: 'Patient', id: 'p', birthDate: '03/02/1950' })).toBe(
      'Patient/p: birthDate is not a valid date',
    );
    expect(problem({ resourceType: 'Observation', id: 'x', status: 'final', code: {}, component: {} })).toBe(
      'Observation/x: component is not an array',
    );
    expect(
      problem({
        resourceType: 'Observation',
        id: 'x',
        status: 'final',
        code: {},
        valueQuantity: { value: '7' },
      }),
    ).toBe('Observation/x: valueQuantity.value is not a number');
    expect(
      problem({
        resourceType: 'Condition',
        id: 'c',
        subject: { reference: 'Patient/p' },
        code: { coding: [null] },
      }),
    ).toBe('Condition/c: code.coding[0] is not an object');
  });

  it('refuses text the store cannot hold (NUL, unpaired surrogate) in what it reads', () => {
    expect(
      problem({ resourceType: 'Observation', id: 'x', status: 'final', code: { text: 'a\u0000b' } }),
    ).toBe('Observation/x: code.text contains a NUL or an unpaired surrogate');
    expect(problem({ resourceType: 'Patient', id: 'p', gender: '\ud800' })).toMatch(/^Patient\/p: gender /);
  });

  it('falls back to the resource type, then to where it was, when the id is unusable', () => {
    expect(problem({ resourceType: 'Patient', id: 7, gender: 3 })).toMatch(/^Patient: /);
    expect(readResource(null, 'entry[2]')).toEqual({
      ok: false,
      unreadable: { reference: 'entry[2]', problem: 'entry[2]: not a FHIR resource' },
    });
  });

  it('keeps the patient an unreadable resource names, for the patient-binding check', () => {
    const r = readResource({
      resourceType: 'Observation',
      id: 'x',
      subject: { reference: 'Patient/other' },
      code: 5,
    });
    expect(r.ok ? undefined : r.unreadable.patientRef).toBe('Patient/other');
  });

  it('reads other resource types by resourceType and id only', () => {
    expect(readResource({ resourceType: 'Encounter', id: 'e1', status: 7 }).ok).toBe(true);
  });
});

describe('readBundle', () => {
  it('reads each entry on its own and sets aside the unreadable ones', () => {
    const good = anObservation({ id: 'o1', loinc: '2093-3', value: 200, unit: 'mg/dL', date: '2026-01-02' });
    const bad = { resourceType: 'Observation', id: 'o2', status: 'final', code: { coding: {} } };
    const r = readBundle({
      resourceType: 'Bundle',
      type: 'searchset',
      link: [{ relation: 'next', url: 'https://fhir.example/Observation?page=2' }],
      entry: [
        { resource: good },
        { resource: bad },
        { resource: { resourceType: 'OperationOutcome' }, search: { mode: 'outcome' } },
      ],
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.read.resources).toEqual([good]);
    expect(r.read.unreadable.map((u) => u.problem)).toEqual(['Observation/o2: code.coding is not an array']);
    expect(r.read.next).toBe('https://fhir.example/Observation?page=2');
  });

  it('refuses a Bundle whose entries or links are malformed', () => {
    for (const [bundle, words] of [
      [{ resourceType: 'Bundle', link: {} }, 'Bundle: link is not an array'],
      [{ resourceType: 'Bundle', link: [null] }, 'Bundle: link[0] is not an object'],
      [{ resourceType: 'Bundle', entry: [null] }, 'Bundle: entry[0] is not an object'],
      [{ resourceType: 'Bundle', entry: 0 }, 'Bundle: entry is not an array'],
      [
        { resourceType: 'Bundle', link: [{ relation: 'next', url: 5 }] },
        'Bundle: link[0].url is not a string',
      ],
    ] as const) {
      const r = readBundle(bundle);
      expect(r.ok ? 'readable' : r.unreadable.problem).toBe(words);
    }
  });
});
