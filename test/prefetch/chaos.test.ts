/** resolvePrefetch when the FHIR server misbehaves: each failure is an unavailable key or a 412, never a crash. */
import type { Bundle } from 'fhir/r4.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolvePrefetch } from '../../src/cds/prefetch/resolve.js';
import type { PrefetchDeclaration } from '../../src/cds/service.js';
import type { PrefetchValue } from '../../src/cds/types.js';
import { HttpError } from '../../src/http/errors.js';
import { startChaosServer, type ChaosMode, type ChaosServer } from '../support/chaos-fhir-server.js';
import { CANARY } from '../support/log-canary.js';
import { testLogger } from '../support/logs.js';
import { aClient, aHookRequest, limits } from '../fhir/fixtures.js';

let chaos: ChaosServer;
let foreign: ChaosServer;

beforeAll(async () => {
  foreign = await startChaosServer({ mode: 'ok' });
  chaos = await startChaosServer({ foreignOrigin: foreign.origin, slowMs: 1500 });
});
afterAll(async () => {
  await Promise.all([chaos.stop(), foreign.stop()]);
});
beforeEach(() => {
  chaos.requests.length = 0;
  foreign.requests.length = 0;
});

const obs = (more: Partial<PrefetchDeclaration>): PrefetchDeclaration => ({
  query: 'Observation?patient={{context.patientId}}',
  required: true,
  onMissing: 'fail',
  allPages: true,
  ...more,
});

function run(
  declarations: Record<string, PrefetchDeclaration>,
  deadlineMs = 300,
  prefetch?: Record<string, PrefetchValue>,
) {
  const seen: string[] = [];
  const promise = resolvePrefetch({
    request: aHookRequest('p1', {
      fhirServer: chaos.baseUrl,
      ...(prefetch === undefined ? {} : { prefetch }),
    }),
    declarations,
    client: aClient(chaos.baseUrl, { deadlineMs, limits: limits({ fhirResponseBytes: 100_000 }) }).client,
    refetchNull: false,
    limits: limits(),
    now: new Date(),
    log: testLogger(),
    onForeignPatient: (e) => seen.push(e.key),
  });
  return { promise, seen };
}

const failures: [ChaosMode, string][] = [
  ['5xx', 'fetch failed: http'],
  ['401', 'fetch failed: http'],
  ['404', 'fetch failed: http'],
  ['hang', 'fetch failed: timeout'],
  ['slow', 'fetch failed: timeout'],
  ['reset', 'fetch failed: network'],
  ['truncated', 'fetch failed: invalid-json'],
  ['huge', 'fetch failed: too-large'],
  ['redirect', 'fetch failed: redirect'],
  ['foreign-next', 'fetch failed: foreign-link'],
];

describe('resolvePrefetch against a chaos FHIR server', () => {
  it.each(failures)('%s: an omit key is unavailable (%s)', async (mode, reason) => {
    chaos.setMode(mode);
    const out = await run({ obs: obs({ onMissing: 'omit' }) }).promise;
    expect(out.obs).toEqual({ state: 'unavailable', reason });
    expect(foreign.requests).toHaveLength(0);
  });

  it.each(failures)('%s: a required fail key answers 412 naming the key', async (mode) => {
    chaos.setMode(mode);
    const err = await run({ labs: obs({}) }).promise.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(412);
    expect((err as HttpError).message).toContain('"labs"');
    expect((err as HttpError).message).not.toContain(CANARY.accessToken);
    expect(foreign.requests).toHaveLength(0);
  });

  it('the deadline aborts only the slow key; the others resolve', async () => {
    chaos.setMode('hang');
    const fast: Bundle = { resourceType: 'Bundle', type: 'searchset', entry: [] };
    const out = await run({ slow: obs({ onMissing: 'omit' }), given: obs({}) }, 200, { given: fast }).promise;
    expect(out.slow).toEqual({ state: 'unavailable', reason: 'fetch failed: timeout' });
    expect(out.given).toMatchObject({ state: 'bundle', origin: 'prefetch' });
  });

  it('a prefetched Bundle whose next link is on another host: not followed, token never sent there', async () => {
    const page: Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      link: [{ relation: 'next', url: `${foreign.baseUrl}/Observation?patient=p1&page=2` }],
      entry: [],
    };
    const out = await run({ obs: obs({ onMissing: 'omit' }) }, 300, { obs: page }).promise;
    expect(out.obs).toEqual({ state: 'unavailable', reason: 'fetch failed: foreign-link' });
    expect(foreign.requests).toHaveLength(0);
    expect(chaos.requests).toHaveLength(0);
  });

  it('a redirect is not followed and the token stays with the FHIR server', async () => {
    chaos.setMode('redirect');
    await run({ obs: obs({ onMissing: 'omit' }) }).promise;
    await new Promise((r) => setTimeout(r, 50));
    expect(chaos.requests[0]?.headers.authorization).toBe(`Bearer ${CANARY.accessToken}`);
    expect(foreign.requests).toHaveLength(0);
  });

  it('other-patient: 412 security and the audit callback, for search and read alike', async () => {
    chaos.setMode('other-patient');
    const { promise, seen } = run({
      obs: obs({ onMissing: 'omit' }),
      patient: { query: 'Patient/{{context.patientId}}', required: false, onMissing: 'omit' },
    });
    const err = await promise.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(412);
    expect((err as HttpError).outcome.issue[0]?.code).toBe('security');
    expect(seen.sort()).toEqual(['obs', 'patient']);
  });

  it('ok mode resolves (so the failures above are caused by the modes, not the setup)', async () => {
    chaos.setMode('ok');
    const out = await run({ obs: obs({}) }).promise;
    expect(out.obs).toMatchObject({ state: 'bundle', complete: true, origin: 'fetched' });
  });
});
