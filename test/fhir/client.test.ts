/** The outbound FHIR client against a real FHIR server (Medplum) and a misbehaving one (chaos). */
import type { Bundle, Patient } from 'fhir/r4.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FhirFetchError, type FhirFetchErrorKind } from '../../src/fhir/errors.js';
import { startChaosServer, type ChaosMode, type ChaosServer } from '../support/chaos-fhir-server.js';
import { startFhirServer, type FhirServer } from '../support/fhir-server.js';
import { CANARY } from '../support/log-canary.js';
import { aClient, aPatient, anObservation, limits } from './fixtures.js';

let fhir: FhirServer;
let chaos: ChaosServer;
let foreign: ChaosServer;

beforeAll(async () => {
  fhir = await startFhirServer({ requireToken: CANARY.accessToken });
  await fhir.seed([aPatient('p1')]);
  await fhir.seed(Array.from({ length: 7 }, (_, i) => anObservation('p1', '2093-3', `2020-01-0${i + 1}`)));
  foreign = await startChaosServer({ mode: 'ok' });
  chaos = await startChaosServer({ foreignOrigin: foreign.origin, slowMs: 2000 });
});
afterAll(async () => {
  await Promise.all([fhir.stop(), chaos.stop(), foreign.stop()]);
});
beforeEach(() => {
  fhir.requests.length = 0;
  chaos.requests.length = 0;
  foreign.requests.length = 0;
});

async function failure(p: Promise<unknown>): Promise<FhirFetchError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FhirFetchError);
  return err as FhirFetchError;
}

describe('createFhirClient against a real FHIR server', () => {
  it('reads a resource and forwards the EHR token as a Bearer header', async () => {
    const { client, events } = aClient(fhir.baseUrl);
    const p = (await client.get('Patient/p1')) as Patient;
    expect(p.id).toBe('p1');
    expect(fhir.requests).toHaveLength(1);
    expect(fhir.requests[0]?.authorization).toBe(`Bearer ${CANARY.accessToken}`);
    expect(fhir.requests[0]?.headers.accept).toBe('application/fhir+json');
    expect(events).toEqual([{ query: 'Patient/p1', status: 200, outcome: 'ok' }]);
  });

  it('gets 401 from the server without the token', async () => {
    const { client, events } = aClient(fhir.baseUrl, { token: '' });
    const err = await failure(client.get('Patient/p1'));
    expect([err.kind, err.status]).toEqual(['http', 401]);
    expect(events).toEqual([{ query: 'Patient/p1', status: 401, outcome: 'error' }]);
  });

  it('searchAll follows next links page by page, and stops at maxPages', async () => {
    const { client } = aClient(fhir.baseUrl);
    const all = await client.searchAll('Observation?patient=p1&_count=3', 10);
    expect(all.resources).toHaveLength(7);
    expect(all.complete).toBe(true);
    expect(fhir.requests).toHaveLength(3);
    expect(fhir.requests.every((r) => r.authorization === `Bearer ${CANARY.accessToken}`)).toBe(true);
    const two = await client.searchAll('Observation?patient=p1&_count=3', 2);
    expect([two.resources.length, two.complete]).toEqual([6, false]);
  });

  it('a leading slash stays under the base path; other paths on the same origin are refused', async () => {
    const { client } = aClient(fhir.baseUrl);
    expect(((await client.get('/Patient/p1')) as Patient).id).toBe('p1');
    expect(client.baseUrl).toBe(fhir.baseUrl);
    expect((await failure(client.get(`${fhir.origin}/other/Patient/p1`))).kind).toBe('foreign-link');
    expect((await failure(client.get(`${fhir.origin}/fhirx/Patient/p1`))).kind).toBe('foreign-link');
    expect((await failure(client.get(`${foreign.baseUrl}/Patient/p1`))).kind).toBe('foreign-link');
    expect(fhir.requests).toHaveLength(1);
    expect(foreign.requests).toHaveLength(0);
  });

  it('caps the entries gathered across pages', async () => {
    const { client } = aClient(fhir.baseUrl, { limits: limits({ prefetchBundleEntries: 4 }) });
    expect((await failure(client.searchAll('Observation?patient=p1&_count=3', 10))).kind).toBe('too-large');
  });
});

describe('createFhirClient against a chaos server', () => {
  const cases: [ChaosMode, FhirFetchErrorKind, number | undefined][] = [
    ['5xx', 'http', 503],
    ['401', 'http', 401],
    ['404', 'http', 404],
    ['hang', 'timeout', undefined],
    ['slow', 'timeout', undefined],
    ['reset', 'network', undefined],
    ['truncated', 'invalid-json', 200],
    ['huge', 'too-large', undefined],
    ['redirect', 'redirect', 302],
  ];

  it.each(cases)('mode %s → %s', async (mode, kind, status) => {
    chaos.setMode(mode);
    const { client, events } = aClient(chaos.baseUrl, { deadlineMs: 400 });
    const err = await failure(client.get(`Observation?patient=p1&name=${CANARY.patientName}`));
    expect(err.kind).toBe(kind);
    expect(err.status).toBe(status);
    expect(err.message).not.toMatch(/Observation|patient|\?|127\.0\.0\.1/);
    expect(err.message).not.toContain(CANARY.accessToken);
    expect(err.message).not.toContain(CANARY.patientName);
    expect(chaos.requests).toHaveLength(1);
    expect(events).toHaveLength(1);
    expect(events[0]?.outcome).toBe('error');
    expect(foreign.requests).toHaveLength(0);
  });

  it('the huge body is cut at the byte limit, not buffered', async () => {
    chaos.setMode('huge');
    const { client } = aClient(chaos.baseUrl, { limits: limits({ fhirResponseBytes: 10_000 }) });
    expect((await failure(client.get('Observation'))).kind).toBe('too-large');
  });

  it('a redirect is never followed: the foreign host receives nothing, least of all the token', async () => {
    chaos.setMode('redirect');
    const { client } = aClient(chaos.baseUrl);
    expect((await failure(client.get('Patient/p1'))).kind).toBe('redirect');
    await new Promise((r) => setTimeout(r, 50));
    expect(foreign.requests).toHaveLength(0);
  });

  it('a next link to another host is refused before any request', async () => {
    chaos.setMode('foreign-next');
    const { client, events } = aClient(chaos.baseUrl);
    const first = (await client.get('Observation?patient=p1')) as Bundle;
    expect(first.link?.[0]?.url.startsWith(foreign.origin)).toBe(true);
    expect((await failure(client.searchAll('Observation?patient=p1', 5))).kind).toBe('foreign-link');
    expect(foreign.requests).toHaveLength(0);
    expect(events).toHaveLength(2);
    expect(chaos.requests.every((r) => r.headers.authorization === `Bearer ${CANARY.accessToken}`)).toBe(
      true,
    );
  });

  it('a foreign host is reachable in principle (the zero-request assertions above can fail)', async () => {
    const res = await fetch(`${foreign.baseUrl}/Patient/p1`);
    expect(res.status).toBe(200);
    expect(foreign.requests).toHaveLength(1);
  });

  it('aborts when the caller aborts the deadline signal', async () => {
    chaos.setMode('hang');
    const { client } = aClient(chaos.baseUrl, { deadlineMs: 150 });
    expect((await failure(client.get('Patient/p1'))).kind).toBe('timeout');
  });

  it('a search answered with a single resource is not-a-bundle', async () => {
    chaos.setMode('ok');
    const { client } = aClient(chaos.baseUrl);
    expect((await failure(client.searchAll('Patient/p1', 3))).kind).toBe('not-a-bundle');
  });
});
