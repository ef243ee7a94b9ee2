/** resolvePrefetch against a real FHIR server (Medplum) for the fetch-it-myself paths. */
import type { Bundle, FhirResource, Patient } from 'fhir/r4.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolvePrefetch, type ResolvePrefetchInput } from '../../src/cds/prefetch/resolve.js';
import type { PrefetchDeclaration, ResolvedPrefetch } from '../../src/cds/service.js';
import type { PrefetchValue } from '../../src/cds/types.js';
import { HttpError } from '../../src/http/errors.js';
import { startFhirServer, type FhirServer } from '../support/fhir-server.js';
import { CANARY } from '../support/log-canary.js';
import { testLogger } from '../support/logs.js';
import { aClient, aHookRequest, aPatient, anObservation, limits } from '../fhir/fixtures.js';

let fhir: FhirServer;
const now = new Date('2024-06-15T12:00:00Z');

beforeAll(async () => {
  fhir = await startFhirServer({ requireToken: CANARY.accessToken });
  await fhir.seed([aPatient('p1'), aPatient('p2')]);
  await fhir.seed(Array.from({ length: 7 }, (_, i) => anObservation('p1', '2093-3', `2024-0${i + 1}-01`, i)));
  await fhir.seed([anObservation('p2', '2093-3', '2024-01-01')]);
});
afterAll(async () => {
  await fhir.stop();
});
beforeEach(() => {
  fhir.requests.length = 0;
});

const decl = (query: string, more: Partial<PrefetchDeclaration> = {}): PrefetchDeclaration => ({
  query,
  required: true,
  onMissing: 'fail',
  ...more,
});

const patientDecl = decl('Patient/{{context.patientId}}');
const obsDecl = decl('Observation?patient={{context.patientId}}&code=http://loinc.org|2093-3&_count=3', {
  allPages: true,
});

function input(
  over: Partial<ResolvePrefetchInput> & { prefetch?: Record<string, PrefetchValue> },
): ResolvePrefetchInput {
  const { prefetch, ...rest } = over;
  return {
    request: aHookRequest('p1', {
      fhirServer: fhir.baseUrl,
      ...(prefetch === undefined ? {} : { prefetch }),
    }),
    declarations: { patient: patientDecl, obs: obsDecl },
    client: aClient(fhir.baseUrl).client,
    refetchNull: false,
    limits: limits(),
    now,
    log: testLogger(),
    ...rest,
  };
}

const count = (r: ResolvedPrefetch | undefined): number => (r?.state === 'bundle' ? r.resources.length : -1);

describe('resolvePrefetch: fetching absent keys from a real FHIR server', () => {
  it('fills templates, fetches every key with the EHR token, and follows next links when allPages', async () => {
    const out = await resolvePrefetch(input({}));
    expect(out.patient).toMatchObject({
      state: 'resource',
      origin: 'fetched',
      resource: { resourceType: 'Patient', id: 'p1' },
    });
    expect(out.obs).toMatchObject({ state: 'bundle', complete: true, origin: 'fetched' });
    expect(count(out.obs)).toBe(7);
    expect(fhir.requests).toHaveLength(1 + 3);
    expect(fhir.requests.map((r) => r.authorization)).toEqual(Array(4).fill(`Bearer ${CANARY.accessToken}`));
    expect(fhir.requests.map((r) => r.url)).toContain('/fhir/Patient/p1');
  });

  it('returns only the first page, marked incomplete, without allPages', async () => {
    const out = await resolvePrefetch(input({ declarations: { obs: { ...obsDecl, allPages: false } } }));
    expect(out.obs).toMatchObject({ state: 'bundle', complete: false });
    expect(count(out.obs)).toBe(3);
    expect(fhir.requests).toHaveLength(1);
  });

  it('stops at fhirMaxPages and says the result is incomplete', async () => {
    const out = await resolvePrefetch(
      input({ declarations: { obs: obsDecl }, limits: limits({ fhirMaxPages: 2 }) }),
    );
    expect(out.obs).toMatchObject({ state: 'bundle', complete: false });
    expect(count(out.obs)).toBe(6);
  });

  it('follows the next link of a prefetched Bundle through the client (same server)', async () => {
    const page1 = (await (
      await fetch(`${fhir.baseUrl}/Observation?patient=p1&_count=3`, {
        headers: { authorization: `Bearer ${CANARY.accessToken}` },
      })
    ).json()) as Bundle;
    fhir.requests.length = 0;
    const out = await resolvePrefetch(input({ declarations: { obs: obsDecl }, prefetch: { obs: page1 } }));
    expect(out.obs).toMatchObject({ state: 'bundle', complete: true, origin: 'prefetch' });
    expect(count(out.obs)).toBe(7);
    expect(fhir.requests).toHaveLength(2);
  });

  it('uses prefetched data as is, without calling the server', async () => {
    const patient = aPatient('p1');
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [{ resource: anObservation('p1', '1', '2024-01-01') }],
    };
    const out = await resolvePrefetch(input({ prefetch: { patient, obs: bundle } }));
    expect(out.patient).toEqual({ state: 'resource', resource: patient, origin: 'prefetch' });
    expect(out.obs).toMatchObject({ state: 'bundle', complete: true, origin: 'prefetch' });
    expect(fhir.requests).toHaveLength(0);
  });

  it('null is no data (no request), unless refetchNull is set for this client', async () => {
    const out = await resolvePrefetch(input({ prefetch: { patient: null, obs: null } }));
    expect(out).toEqual({
      patient: { state: 'no-data', origin: 'prefetch' },
      obs: { state: 'no-data', origin: 'prefetch' },
    });
    expect(fhir.requests).toHaveLength(0);
    const refetched = await resolvePrefetch(
      input({ prefetch: { patient: null }, refetchNull: true, declarations: { patient: patientDecl } }),
    );
    expect(refetched.patient).toMatchObject({ state: 'resource', origin: 'fetched' });
    expect(fhir.requests).toHaveLength(1);
  });

  it('fetches all keys concurrently', async () => {
    const many = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`k${i}`, patientDecl]));
    const order: string[] = [];
    const base = aClient(fhir.baseUrl).client;
    const client = {
      ...base,
      get: async (url: string): Promise<FhirResource> => {
        order.push('start');
        const r = await base.get(url);
        order.push('end');
        return r;
      },
    };
    await resolvePrefetch(input({ declarations: many, client }));
    expect(order.slice(0, 5)).toEqual(Array(5).fill('start'));
  });

  it('does not fetch when the server 401s: the key is unavailable and a required key answers 412', async () => {
    const { client } = aClient(fhir.baseUrl, { token: 'wrong' });
    const err = await resolvePrefetch(input({ client })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(412);
    expect((err as HttpError).message).toContain('"patient" (fetch failed: http)');
    const omitted = await resolvePrefetch(
      input({
        client,
        declarations: {
          patient: { ...patientDecl, onMissing: 'omit' },
          obs: { ...obsDecl, required: false },
        },
      }),
    );
    expect(omitted).toEqual({
      patient: { state: 'unavailable', reason: 'fetch failed: http' },
      obs: { state: 'unavailable', reason: 'fetch failed: http' },
    });
  });

  it('refuses data about another patient fetched from the server: 412 security + audit callback', async () => {
    const seen: unknown[] = [];
    const declarations = { other: decl('Patient/p2'), obs: decl('Observation?subject=Patient/p2') };
    const err = await resolvePrefetch(input({ declarations, onForeignPatient: (e) => seen.push(e) })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HttpError);
    const h = err as HttpError;
    expect(h.status).toBe(412);
    expect(h.outcome.issue[0]?.code).toBe('security');
    expect(h.message).toContain('"other"');
    expect(h.message).not.toContain(CANARY.patientName);
    expect(seen).toEqual([
      { key: 'other', origin: 'fetched' },
      { key: 'obs', origin: 'fetched' },
    ]);
  });

  it('the fetched Patient resource carries the canary name (so binding and log checks see real PHI)', async () => {
    const out = await resolvePrefetch(input({ declarations: { patient: patientDecl } }));
    expect(out.patient?.state === 'resource' && (out.patient.resource as Patient).name?.[0]?.family).toBe(
      CANARY.patientName,
    );
  });
});
