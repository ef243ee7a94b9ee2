/**
 * Property-based fuzzing of the HTTP surface (security.md "Fuzz"): ≥ 10 000 malformed requests per
 * run — arbitrary JSON, mutated valid requests, raw bytes, header variants — against a real listening
 * app. Asserts: no response ≥ 500, no unhandled rejection, Object.prototype untouched, bounded memory.
 * The seed is fixed and printed; set FUZZ_SEED to reproduce or explore another.
 */
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { aPatientViewRequest, aDraftMedicationRequest, anOrderRequest } from '../support/hook-requests.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20261122);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 10_000);
const PATHS = [
  '/cds-services/test-patient-view',
  '/cds-services/test-order-select',
  '/cds-services/test-patient-view/feedback',
  '/cds-services',
  '/cds-services/%00',
  '/nope',
];
const TYPES = [
  'application/json',
  'application/fhir+json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  '',
];

let t: TestApp;
let server: Server;
let base: string;
let unhandled = 0;
const onUnhandled = (): void => {
  unhandled++;
};

beforeAll(async () => {
  t = await startTestApp({ unauthenticated: true, file: { allowUnauthenticatedLoopback: true } });
  server = createServer(t.app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.on('unhandledRejection', onUnhandled);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await new Promise((r) => server.close(r));
  await t.close();
});

const validBodies = [
  aPatientViewRequest({ prefetch: { patient: { resourceType: 'Patient', id: 'p1' } } }),
  anOrderRequest('order-select', [aDraftMedicationRequest('m1')], ['MedicationRequest/m1']),
  {
    feedback: [
      {
        card: 'c',
        outcome: 'overridden',
        overrideReason: { userComment: 'x' },
        outcomeTimestamp: '2026-01-01T00:00:00Z',
      },
    ],
  },
];

/** A valid request with one value somewhere replaced, or one key removed. */
const mutated = fc
  .tuple(
    fc.constantFrom(...validBodies),
    fc.array(fc.string({ maxLength: 12 }), { maxLength: 4 }),
    fc.jsonValue(),
    fc.boolean(),
  )
  .map(([body, path, value, remove]) => {
    const copy = structuredClone<Record<string, unknown>>(body);
    let node: Record<string, unknown> = copy;
    const keys = path.length === 0 ? ['context'] : path;
    for (const [i, k] of keys.entries()) {
      const existing = Object.keys(node);
      const key =
        existing.length > 0 && i < keys.length - 1 ? (existing[k.length % existing.length] as string) : k;
      if (i === keys.length - 1) {
        if (remove) Reflect.deleteProperty(node, key);
        else node[key] = structuredClone(value);
      } else if (typeof node[key] === 'object' && node[key] !== null)
        node = node[key] as Record<string, unknown>;
      else node[key] = structuredClone(value);
    }
    return JSON.stringify(copy);
  });

const protoBody = fc.constantFrom(
  '{"__proto__":{"polluted":1},"hook":"patient-view"}',
  '{"context":{"__proto__":{"polluted":1}},"prefetch":{"constructor":{"prototype":{"polluted":1}}}}',
  '{"feedback":[{"__proto__":{"polluted":1}}]}',
);

const body = fc.oneof(
  { weight: 3, arbitrary: mutated },
  { weight: 2, arbitrary: fc.json({ maxDepth: 6 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b).toString('latin1')) },
  { weight: 1, arbitrary: protoBody },
  { weight: 1, arbitrary: fc.integer({ min: 60, max: 3000 }).map((d) => '['.repeat(d) + ']'.repeat(d)) },
);

const requestArb = fc.record({
  path: fc.constantFrom(...PATHS),
  method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'OPTIONS', 'PUT'),
  type: fc.constantFrom(...TYPES),
  encoding: fc.constantFrom(undefined, undefined, undefined, 'gzip', 'identity'),
  authorization: fc.constantFrom(
    undefined,
    undefined,
    'Bearer',
    'Basic abc',
    'Bearer a.b.c',
    'Bearer ' + 'x'.repeat(9000),
  ),
  body,
});

it(`answers ${RUNS} malformed requests without a 5xx (seed ${SEED})`, async () => {
  console.log(`fuzz: seed ${SEED}, ${RUNS} runs (set FUZZ_SEED / FUZZ_RUNS to change)`);
  const heapBefore = process.memoryUsage().heapUsed;
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(requestArb, async (r) => {
      const headers: Record<string, string> = {};
      if (r.type !== '') headers['content-type'] = r.type;
      if (r.encoding !== undefined) headers['content-encoding'] = r.encoding;
      if (r.authorization !== undefined) headers['authorization'] = r.authorization;
      const res = await fetch(`${base}${r.path}`, {
        method: r.method,
        headers,
        ...(r.method === 'POST' || r.method === 'PUT' ? { body: r.body } : {}),
      });
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(res.status).toBeLessThan(500);
    }),
    { seed: SEED, numRuns: RUNS },
  );
  console.log(`fuzz: statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  expect(unhandled).toBe(0);
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
  const growthMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
  console.log(`fuzz: heap growth ${growthMb.toFixed(1)} MB`);
  expect(growthMb).toBeLessThan(256);
}, 600_000);
