import type { Bundle, FhirResource } from 'fhir/r4.js';
import { describe, expect, it } from 'vitest';
import { isForeign } from '../../src/cds/prefetch/patient-binding.js';
import { resolvePrefetch } from '../../src/cds/prefetch/resolve.js';
import { HttpError } from '../../src/http/errors.js';
import { CANARY } from '../support/log-canary.js';
import { testLogger } from '../support/logs.js';
import { aHookRequest, aPatient, anObservation, limits } from '../fhir/fixtures.js';

const withSubject = (reference: string): FhirResource => ({
  ...anObservation('p1', '1', '2024-01-01'),
  subject: { reference },
});

describe('isForeign', () => {
  it.each<[string, FhirResource, boolean]>([
    ['the context Patient', aPatient('p1'), false],
    ['another Patient', aPatient('p2'), true],
    ['a Patient without id', { resourceType: 'Patient' }, true],
    ['subject Patient/p1', withSubject('Patient/p1'), false],
    ['subject Patient/p2', withSubject('Patient/p2'), true],
    ['absolute subject of p1', withSubject('https://ehr.example/fhir/Patient/p1'), false],
    ['absolute subject of p2', withSubject('https://ehr.example/fhir/Patient/p2'), true],
    ['versioned subject of p2', withSubject('Patient/p2/_history/3'), true],
    ['versioned subject of p1', withSubject('Patient/p1/_history/3'), false],
    ['a Group subject', withSubject('Group/g1'), false],
    ['no subject', { resourceType: 'Medication', id: 'm1' }, false],
    [
      'patient field of another patient',
      { resourceType: 'AllergyIntolerance', patient: { reference: 'Patient/p2' } },
      true,
    ],
    [
      'Coverage beneficiary of another patient',
      {
        resourceType: 'Coverage',
        status: 'active',
        beneficiary: { reference: 'Patient/p2' },
        payor: [],
      },
      true,
    ],
  ])('%s → %s', (_name, resource, foreign) => {
    expect(isForeign(resource, 'p1')).toBe(foreign);
  });
});

describe('resolvePrefetch patient binding on prefetched data', () => {
  const run = (prefetch: Record<string, FhirResource>, onForeignPatient?: (e: { key: string }) => void) =>
    resolvePrefetch({
      request: aHookRequest('p1', { prefetch }),
      declarations: {
        patient: { query: 'Patient/{{context.patientId}}', required: false, onMissing: 'omit' },
        obs: { query: 'Observation?patient={{context.patientId}}', required: false, onMissing: 'omit' },
      },
      refetchNull: false,
      limits: limits(),
      now: new Date(),
      log: testLogger(),
      ...(onForeignPatient === undefined ? {} : { onForeignPatient }),
    });

  it('accepts data about the context patient', async () => {
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [{ resource: withSubject('Patient/p1') }],
    };
    await expect(run({ patient: aPatient('p1'), obs: bundle })).resolves.toMatchObject({
      patient: { state: 'resource' },
    });
  });

  it('answers 412 (security) and audits when one entry of a Bundle is about another patient', async () => {
    const keys: string[] = [];
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [{ resource: withSubject('Patient/p1') }, { resource: withSubject('Patient/p2') }],
    };
    const err = await run({ patient: aPatient('p1'), obs: bundle }, (e) => keys.push(e.key)).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(412);
    expect((err as HttpError).outcome.issue[0]).toMatchObject({
      code: 'security',
      expression: ['prefetch.obs'],
    });
    expect(JSON.stringify((err as HttpError).outcome)).not.toMatch(/p2|Zyx/);
    expect(keys).toEqual(['obs']);
  });

  it('answers 412 for a prefetched Patient that is not the context patient, without leaking its data', async () => {
    const err = await run({ patient: aPatient('p2') }).catch((e: unknown) => e);
    expect((err as HttpError).status).toBe(412);
    expect((err as HttpError).message).not.toContain(CANARY.patientName);
  });
});
