/** The test FHIR server itself: the features the rest of the suite relies on. */
import type {
  Bundle,
  CapabilityStatement,
  Observation,
  OperationOutcome,
  Patient,
  Resource,
} from 'fhir/r4.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFhirServer, type FhirServer } from '../support/fhir-server.js';
import { loadMedplum } from '../support/fhir-server/medplum.js';
import { aPatient, anObservation, LOINC } from './fixtures.js';

let fhir: FhirServer;

beforeAll(async () => {
  fhir = await startFhirServer({ smart: { authorizationEndpoint: 'http://127.0.0.1:7/auth' } });
  await fhir.seed([aPatient('p1'), aPatient('p2')]);
  await fhir.seed(
    ['2021-01-01', '2022-01-01', '2023-01-01', '2024-01-01', '2025-01-01'].map((d, i) =>
      anObservation('p1', i % 2 === 0 ? '2093-3' : '2085-9', d, i),
    ),
  );
  await fhir.seed([anObservation('p2', '2093-3', '2024-06-01')]);
});
afterAll(async () => {
  await fhir.stop();
});

async function getJson(path: string, init: RequestInit = {}): Promise<{ status: number; body: Resource }> {
  const res = await fetch(`${fhir.baseUrl}/${path}`, init);
  return { status: res.status, body: (await res.json()) as Resource };
}

async function search(path: string): Promise<Bundle> {
  return (await getJson(path)).body as Bundle;
}

const ids = (b: Bundle): string[] =>
  (b.entry ?? []).map((e) => (e.resource as Observation).effectiveDateTime ?? '');

describe('test FHIR server (Medplum in-memory)', () => {
  it('reads a seeded resource with its given id', async () => {
    const { status, body } = await getJson('Patient/p1');
    expect(status).toBe(200);
    expect((body as Patient).id).toBe('p1');
  });

  it('searches by patient and subject, token system|code, comma OR and date prefixes', async () => {
    expect((await search('Observation?patient=p1')).total).toBe(5);
    expect((await search('Observation?subject=Patient/p2')).total).toBe(1);
    expect((await search(`Observation?patient=p1&code=${LOINC}|2093-3`)).total).toBe(3);
    expect((await search(`Observation?patient=p1&code=${LOINC}|2093-3,${LOINC}|2085-9`)).total).toBe(5);
    expect((await search('Observation?patient=p1&date=ge2023-01-01')).total).toBe(3);
    expect((await search('Observation?patient=p1&date=lt2022-06-01')).total).toBe(2);
  });

  it('sorts with _sort=-date and pages with _count and next links carrying fullUrls', async () => {
    const first = await search('Observation?patient=p1&_sort=-date&_count=2');
    expect(ids(first)).toEqual(['2025-01-01', '2024-01-01']);
    expect(first.entry?.[0]?.fullUrl).toMatch(new RegExp(`^${fhir.baseUrl}/Observation/`));
    const next = first.link?.find((l) => l.relation === 'next')?.url;
    expect(next).toBeDefined();
    const second = (await (await fetch(next!)).json()) as Bundle;
    expect(ids(second)).toEqual(['2023-01-01', '2022-01-01']);
    const third = (await (
      await fetch(second.link!.find((l) => l.relation === 'next')!.url)
    ).json()) as Bundle;
    expect(ids(third)).toEqual(['2021-01-01']);
    expect(third.link?.some((l) => l.relation === 'next')).toBe(false);
  });

  it('serves /metadata and SMART configuration with S256', async () => {
    const cs = (await getJson('metadata')).body as CapabilityStatement;
    const obs = cs.rest?.[0]?.resource?.find((r) => r.type === 'Observation');
    expect(obs?.searchParam?.map((p) => p.name)).toEqual(expect.arrayContaining(['patient', 'code', 'date']));
    const smart = (await (await fetch(`${fhir.baseUrl}/.well-known/smart-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(smart.code_challenge_methods_supported).toEqual(['S256']);
    expect(smart.authorization_endpoint).toBe('http://127.0.0.1:7/auth');
    fhir.configureSmart({ tokenEndpoint: 'http://127.0.0.1:7/token' });
    const again = (await (await fetch(`${fhir.origin}/.well-known/smart-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(again.token_endpoint).toBe('http://127.0.0.1:7/token');
  });

  it('validates with $validate and refuses invalid creates', async () => {
    const post = (path: string, body: unknown) =>
      getJson(path, {
        method: 'POST',
        headers: { 'content-type': 'application/fhir+json' },
        body: JSON.stringify(body),
      });
    const bad = { resourceType: 'Observation', status: 'final' };
    const v = await post('Observation/$validate', bad);
    expect(v.status).toBe(200);
    expect(
      (v.body as OperationOutcome).issue.some(
        (i) => i.severity === 'error' && i.expression?.includes('Observation.code'),
      ),
    ).toBe(true);
    const ok = await post('Observation/$validate', anObservation('p1', '1', '2020-01-01'));
    expect((ok.body as OperationOutcome).issue.every((i) => i.severity !== 'error')).toBe(true);
    expect((await post('Observation', bad)).status).toBe(400);
    const created = await fetch(`${fhir.baseUrl}/Observation`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify(anObservation('p9', '1', '2020-01-01')),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toMatch(/\/fhir\/Observation\//);
  });

  it('seeds transaction Bundles with urn:uuid references', async () => {
    const linked: Observation = {
      ...anObservation('x', '1', '2020-01-01'),
      subject: { reference: 'urn:uuid:7d3b0000-0000-4000-8000-000000000001' },
    };
    await fhir.seed({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:7d3b0000-0000-4000-8000-000000000001',
          resource: { resourceType: 'Patient' },
          request: { method: 'POST', url: 'Patient' },
        },
        {
          resource: linked,
          request: { method: 'POST', url: 'Observation' },
        },
      ],
    });
    const b = await search('Observation?code=http://loinc.org|1&date=eq2020-01-01');
    const refs = (b.entry ?? []).map((e) => (e.resource as Observation).subject?.reference ?? '');
    expect(refs.some((r) => /^Patient\/[0-9a-f-]{36}$/.test(r))).toBe(true);
  });

  it('refuses a transaction with an invalid entry, naming it, and stores none of it', async () => {
    const res = await fetch(fhir.baseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            resource: { resourceType: 'Patient', id: 'tx-ok' },
            request: { method: 'PUT', url: 'Patient/tx-ok' },
          },
          {
            resource: { resourceType: 'Patient', id: 'tx-bad', birthDate: 'not-a-date' },
            request: { method: 'PUT', url: 'Patient/tx-bad' },
          },
        ],
      }),
    });
    expect(res.status).toBe(400);
    const oo = (await res.json()) as OperationOutcome;
    expect(oo.issue[0]?.diagnostics).toMatch(/^Bundle\.entry\[1\]\.resource \(Patient\/tx-bad\): /);
    expect((await fetch(`${fhir.baseUrl}/Patient/tx-ok`)).status).toBe(404);
  });

  it('indexes shared search parameters per type (the performance fix)', async () => {
    const { core } = await loadMedplum();
    expect(core.getSearchParameter('Observation', 'patient')?.expression).toBe(
      'Observation.subject.where((resolve() is Patient))',
    );
    expect(core.getSearchParameter('Condition', 'code')?.expression).toBe('Condition.code');
    expect(core.getSearchParameter('Observation', 'date')?.expression).not.toContain('|');
  });

  it('searches 2 000 Observations by patient, code, date sort and _count=1 (the per-type search expression is in place)', async () => {
    await fhir.seed(
      Array.from({ length: 2000 }, (_, i) => anObservation(`bulk${i % 50}`, String(i % 7), '2020-01-01')),
    );
    const b = await search(`Observation?patient=bulk3&code=${LOINC}|3&_sort=-date&_count=1`);
    expect(b.entry).toHaveLength(1);
  });

  it('records requests with their Authorization header', async () => {
    await fetch(`${fhir.baseUrl}/Patient/p1`, { headers: { authorization: 'Bearer abc' } });
    expect(fhir.requests.at(-1)).toMatchObject({
      method: 'GET',
      url: '/fhir/Patient/p1',
      authorization: 'Bearer abc',
    });
  });
});

describe('test FHIR server with requireToken', () => {
  it('answers 401 without the token and 200 with it', async () => {
    const locked = await startFhirServer({ requireToken: 'xyz' });
    try {
      await locked.seed([aPatient('p1')]);
      expect((await fetch(`${locked.baseUrl}/Patient/p1`)).status).toBe(401);
      expect(
        (await fetch(`${locked.baseUrl}/Patient/p1`, { headers: { authorization: 'Bearer nope' } })).status,
      ).toBe(401);
      expect(
        (await fetch(`${locked.baseUrl}/Patient/p1`, { headers: { authorization: 'Bearer xyz' } })).status,
      ).toBe(200);
      locked.reset();
      expect(locked.requests).toHaveLength(0);
      expect(
        (await fetch(`${locked.baseUrl}/Patient/p1`, { headers: { authorization: 'Bearer xyz' } })).status,
      ).toBe(404);
    } finally {
      await locked.stop();
    }
  });
});
