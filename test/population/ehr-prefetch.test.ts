/**
 * The in-memory EHR prefetch (src/population/ehr-prefetch.ts): reads, token and status searches, newest
 * first, the patient a resource is about (absolute and versioned references), and the refusal of a
 * template it cannot answer exactly.
 */
import { describe, expect, it } from 'vitest';
import { patientIdOf } from '../../src/cds/prefetch/patient-binding.js';
import type { PrefetchDeclaration } from '../../src/cds/service.js';
import type { FhirResource } from '../../src/features/types.js';
import { checkEvaluable, ehrPrefetch } from '../../src/population/ehr-prefetch.js';

const obs = (
  id: string,
  code: string,
  date: string,
  patient = 'Patient/p1',
  system = 'http://loinc.org',
): FhirResource => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { coding: [{ system, code }] },
  effectiveDateTime: date,
  subject: { reference: patient },
});
const decl = (query: string): PrefetchDeclaration => ({ query, required: false, onMissing: 'omit' });
const NOW = new Date('2026-01-15T12:00:00Z');
type Searchset = { total: number; entry: { resource: { id: string } }[] };
const ids = (b: unknown): string[] => (b as Searchset).entry.map((e) => e.resource.id);

describe('ehrPrefetch', () => {
  const resources: FhirResource[] = [
    { resourceType: 'Patient', id: 'p1' },
    obs('a', '2093-3', '2024-01-01'),
    obs('b', '2093-3', '2025-06-01'),
    obs('c', '8480-6', '2025-07-01'),
    obs('d', '2093-3', '2025-01-01', 'https://ehr.example/fhir/Patient/p1/_history/3'),
    obs('e', '2093-3', '2025-02-01', 'Patient/p1', 'http://example.org/local'),
    {
      resourceType: 'MedicationRequest',
      id: 'm1',
      status: 'completed',
      intent: 'order',
      subject: { reference: 'Patient/p1' },
    },
    {
      resourceType: 'MedicationRequest',
      id: 'm2',
      status: 'active',
      intent: 'order',
      subject: { reference: 'Patient/p1' },
    },
  ];

  it('answers a read, a code search newest first (system must match when given), a status search', () => {
    const out = ehrPrefetch(
      {
        patient: decl('Patient/{{context.patientId}}'),
        lipids: decl(
          'Observation?patient={{context.patientId}}&code=http://loinc.org|2093-3&_sort=-date&_count=1',
        ),
        anySystem: decl('Observation?patient={{context.patientId}}&code=2093-3'),
        meds: decl('MedicationRequest?patient={{context.patientId}}&status=active,on-hold'),
        other: decl('Patient/{{context.patientId}}x'),
      },
      'p1',
      resources,
      NOW,
    );
    expect((out['patient'] as { id: string }).id).toBe('p1');
    expect(ids(out['lipids'])).toEqual(['b', 'd', 'a']); // every page (_count is a page size), newest first
    expect(ids(out['anySystem']).sort()).toEqual(['a', 'b', 'd', 'e']);
    expect(ids(out['meds'])).toEqual(['m2']);
    expect(out).not.toHaveProperty('other'); // a read that finds nothing is left out
  });

  it('groups by the patient a resource is about, absolute and versioned references included', () => {
    expect(patientIdOf(obs('x', '1', '2020', 'https://ehr.example/fhir/Patient/p9/_history/2'))).toBe('p9');
    expect(patientIdOf(obs('x', '1', '2020', 'Group/g1'))).toBeUndefined();
    expect(patientIdOf({ resourceType: 'Patient', id: 'p2' })).toBe('p2');
  });

  it('refuses a template it cannot answer exactly', () => {
    expect(() => {
      checkEvaluable('svc', { k: decl('Observation?patient={{context.patientId}}&date=ge2020') });
    }).toThrow(/search parameter "date" is not evaluable/);
    expect(() => {
      checkEvaluable('svc', { k: decl('Observation?patient={{context.patientId}}&_sort=date') });
    }).toThrow(/_sort=date/);
    expect(() => {
      checkEvaluable('svc', { k: decl('Practitioner/{{context.userId}}') });
    }).toThrow(/reads only/);
  });
});
