/** The five states of a prefetch key, the entries limit, required/omit, and undeclared keys — no server. */
import type { Bundle, OperationOutcome } from 'fhir/r4.js';
import { describe, expect, it } from 'vitest';
import { resolvePrefetch, type ResolvePrefetchInput } from '../../src/cds/prefetch/resolve.js';
import type { PrefetchDeclaration } from '../../src/cds/service.js';
import type { PrefetchValue } from '../../src/cds/types.js';
import { HttpError } from '../../src/http/errors.js';
import { testLogger } from '../support/logs.js';
import { aHookRequest, aPatient, anObservation, limits } from '../fhir/fixtures.js';

const omit: PrefetchDeclaration = {
  query: 'Observation?patient={{context.patientId}}',
  required: false,
  onMissing: 'omit',
};
const fail: PrefetchDeclaration = {
  query: 'Patient/{{context.patientId}}',
  required: true,
  onMissing: 'fail',
};
const oo: OperationOutcome = {
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: 'not-found' }],
};
const searchset = (n: number, more: Partial<Bundle> = {}): Bundle => ({
  resourceType: 'Bundle',
  type: 'searchset',
  entry: Array.from({ length: n }, () => ({ resource: anObservation('p1', '1', '2024-01-01') })),
  ...more,
});

function run(
  prefetch: Record<string, PrefetchValue>,
  declarations: Record<string, PrefetchDeclaration>,
  over: Partial<ResolvePrefetchInput> = {},
) {
  return resolvePrefetch({
    request: aHookRequest('p1', { prefetch }),
    declarations,
    refetchNull: false,
    limits: limits(),
    now: new Date(),
    log: testLogger(),
    ...over,
  });
}

async function httpError(p: Promise<unknown>): Promise<HttpError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(HttpError);
  return e as HttpError;
}

describe('the five states of a prefetch key', () => {
  it('absent, with no FHIR server: unavailable (omit) or 412 naming the key (fail)', async () => {
    expect(await run({}, { a: omit })).toEqual({
      a: { state: 'unavailable', reason: 'no FHIR server to fetch from' },
    });
    const e = await httpError(run({}, { pat: fail }));
    expect(e.status).toBe(412);
    expect(e.outcome.issue[0]).toMatchObject({ code: 'incomplete', expression: ['prefetch.pat'] });
    expect(e.message).toContain('"pat"');
  });

  it('null: no data, even for a required key', async () => {
    expect(await run({ pat: null }, { pat: fail })).toEqual({
      pat: { state: 'no-data', origin: 'prefetch' },
    });
  });

  it('null with refetchNull and no FHIR server: unavailable, not silently "no data"', async () => {
    expect(await run({ a: null }, { a: omit }, { refetchNull: true })).toEqual({
      a: { state: 'unavailable', reason: 'no FHIR server to fetch from' },
    });
  });

  it('searchset Bundle: its entry resources, dropping search.mode=outcome entries', async () => {
    const b = searchset(2);
    b.entry?.push({ resource: oo, search: { mode: 'outcome' } });
    const out = await run({ a: b }, { a: omit });
    expect(out.a).toMatchObject({ state: 'bundle', complete: true, origin: 'prefetch' });
    expect(out.a?.state === 'bundle' && out.a.resources.map((r) => r.resourceType)).toEqual([
      'Observation',
      'Observation',
    ]);
  });

  it('an empty searchset is a bundle with no resources (data, not missing)', async () => {
    expect(await run({ a: searchset(0) }, { a: fail })).toEqual({
      a: { state: 'bundle', resources: [], complete: true, origin: 'prefetch' },
    });
  });

  it('a Bundle with a next link and no FHIR server to follow it is passed on as incomplete', async () => {
    const b = searchset(1, {
      link: [{ relation: 'next', url: 'https://ehr.example/fhir/Observation?page=2' }],
    });
    expect(await run({ a: b }, { a: { ...omit, allPages: true } })).toMatchObject({
      a: { state: 'bundle', complete: false },
    });
  });

  it('single resource: that resource', async () => {
    const p = aPatient('p1');
    expect(await run({ pat: p }, { pat: fail })).toEqual({
      pat: { state: 'resource', resource: p, origin: 'prefetch' },
    });
  });

  it('OperationOutcome or a Bundle of only OperationOutcomes: unavailable; 412 when required', async () => {
    const ooBundle: Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [{ resource: oo }, { resource: oo }],
    };
    const out = await run({ a: oo, b: ooBundle }, { a: omit, b: omit });
    expect(out.a).toEqual({ state: 'unavailable', reason: 'the server answered with an OperationOutcome' });
    expect(out.b).toEqual({ state: 'unavailable', reason: 'the Bundle holds only OperationOutcomes' });
    expect((await httpError(run({ pat: oo }, { pat: fail }))).status).toBe(412);
  });

  it('required with onMissing omit passes unavailable to the service; required=false never fails', async () => {
    const out = await run({}, { a: { ...fail, onMissing: 'omit' }, b: { ...omit, onMissing: 'fail' } });
    expect(out.a?.state).toBe('unavailable');
    expect(out.b?.state).toBe('unavailable');
  });

  it('names every missing required key', async () => {
    const e = await httpError(run({}, { one: fail, two: fail }));
    expect(e.message).toMatch(/"one".*"two"/);
  });
});

describe('limits and tolerance', () => {
  it('a prefetched Bundle over prefetchBundleEntries answers 413 naming the key', async () => {
    const e = await httpError(
      run({ big: searchset(6) }, { big: omit }, { limits: limits({ prefetchBundleEntries: 5 }) }),
    );
    expect(e.status).toBe(413);
    expect(e.message).toContain('"big"');
    expect(
      await run({ big: searchset(5) }, { big: omit }, { limits: limits({ prefetchBundleEntries: 5 }) }),
    ).toMatchObject({
      big: { state: 'bundle' },
    });
  });

  it('ignores prefetch keys the service did not declare (even huge ones)', async () => {
    const out = await run(
      { extra: searchset(10), a: null },
      { a: omit },
      { limits: limits({ prefetchBundleEntries: 5 }) },
    );
    expect(Object.keys(out)).toEqual(['a']);
  });

  it('a malformed prefetch value is unavailable, not a crash', async () => {
    const out = await run({ a: 'nope' as unknown as PrefetchValue }, { a: omit });
    expect(out.a).toEqual({ state: 'unavailable', reason: 'not a FHIR resource' });
  });

  it('an unfillable template is unavailable without any request', async () => {
    const client = {
      baseUrl: 'http://127.0.0.1:9/fhir',
      get: () => Promise.reject(new Error('must not be called')),
      searchAll: () => Promise.reject(new Error('must not be called')),
    };
    const out = await run({}, { e: { ...omit, query: 'Encounter/{{context.encounterId}}' } }, { client });
    expect(out.e).toEqual({ state: 'unavailable', reason: 'prefetch template could not be filled' });
  });
});
