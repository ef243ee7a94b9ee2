/**
 * Structure-aware, authenticated fuzz of everything that reads FHIR (issue 15). Each call is a VALID,
 * signed request for a real clinical service (or feedback on a card Augur really issued) with one to
 * three mutations: in the hook envelope and context, inside the prefetch resources, or inside the FHIR
 * server's answer to Augur's own fetch. Rate limits are raised so calls reach the code that reads FHIR.
 *
 * Asserts: no 5xx, no call past the FHIR deadline plus a grace, Object.prototype untouched, and that at
 * least 80 % of calls reached request validation (not stopped by auth, routing, limits or the JSON
 * reader). Prints the seed and the status histogram. FUZZ_SEED / FUZZ_RUNS reproduce or explore.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clinicalServices } from '../../src/services/index.js';
import { startServiceApp, type ServiceApp } from '../support/services.js';
import { apply, mutation, toJsonText, type Json, type Mutation } from './mutate.js';
import { hookSeed, patientResources, type Seed } from './seeds.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20261205);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 10_000);
const DEADLINE_MS = 1_000;
/** A call may run past the FHIR deadline by its own compute, never by much: a hang would. */
const GRACE_MS = 4_000;

let t: ServiceApp;
let augur: Server;
let fhir: Server;
let augurBase: string;
let fhirBase: string;
let seeds: Seed[] = [];
let feedbackSeed: Seed;
/** What the scripted FHIR server answers for each resource type during the current call. */
let answers = new Map<string, string>();
const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort().join();

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    }),
  );
}

beforeAll(async () => {
  // A scripted FHIR server: a real HTTP listener whose answers are the mutated resources of the call.
  fhir = createServer((req, res) => {
    const type = /^\/([A-Za-z]+)/.exec(req.url ?? '')?.[1] ?? '';
    res.writeHead(200, { 'content-type': 'application/fhir+json' });
    res.end(answers.get(type) ?? '{"resourceType":"Bundle","type":"searchset","entry":[]}');
  });
  fhirBase = await listen(fhir);
  t = await startServiceApp(clinicalServices, {
    client: { fhirServers: [fhirBase] },
    file: {
      limits: { perIssuerPerMinute: 10_000_000, unauthenticatedPerIpPerMinute: 10_000_000 },
      // Every service is fuzzed, including those a site must switch on (off, they are a 404).
      services: { 'augur-breast-rfs-research': { enabled: true } },
    },
  });
  augur = createServer(t.app);
  augurBase = await listen(augur);
  const resources = patientResources(new Date());
  const defs = clinicalServices(t.deps).map((s) => s.definition);
  seeds = defs.map((d) => hookSeed(d, resources, fhirBase));
  // Feedback on a card Augur really issued, with a reason the card offered.
  const kidney = seeds.find((s) => s.serviceId === 'augur-kidney-risk');
  if (kidney === undefined) throw new Error('no kidney seed');
  const first = await call(kidney.path, toJsonText(kidney.body));
  const card = (first.body as { cards?: { uuid: string; overrideReasons?: unknown[] }[] }).cards?.[0];
  if (card === undefined) throw new Error(`kidney seed produced no card (${first.status})`);
  feedbackSeed = {
    name: 'feedback',
    serviceId: 'augur-kidney-risk',
    path: `${kidney.path}/feedback`,
    body: {
      feedback: [
        {
          card: card.uuid,
          outcome: 'overridden',
          overrideReason: { reason: card.overrideReasons?.[0], userComment: 'fuzz' },
          outcomeTimestamp: new Date().toISOString(),
        },
      ],
    },
  };
});

afterAll(async () => {
  await new Promise((r) => augur.close(r));
  await new Promise((r) => fhir.close(r));
  await t.close();
});

async function call(path: string, text: string): Promise<{ status: number; body: unknown; ms: number }> {
  const token = await t.token(path);
  const started = performance.now();
  const res = await fetch(`${augurBase}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: text,
  });
  const raw = await res.text();
  const ms = performance.now() - started;
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    body = raw;
  }
  return { status: res.status, body, ms };
}

type Target = 'envelope' | 'prefetch' | 'fhir-response' | 'feedback';

interface Case {
  seed: number;
  target: Target;
  key: number;
  mutations: Mutation[];
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  seed: fc.nat({ max: 100 }),
  target: fc.constantFrom<Target>(
    'envelope',
    'prefetch',
    'prefetch',
    'fhir-response',
    'fhir-response',
    'feedback',
  ),
  key: fc.nat({ max: 100 }),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
});

/** Builds the request of a case: its path, JSON text, and the FHIR server's answers. */
function build(c: Case): { path: string; text: string; answers: Map<string, string> } {
  const fhirAnswers = new Map<string, string>();
  if (c.target === 'feedback') {
    const body = structuredClone(feedbackSeed.body) as Json;
    for (const m of c.mutations) apply(body, m);
    return { path: feedbackSeed.path, text: toJsonText(body), answers: fhirAnswers };
  }
  const seed = seeds[c.seed % seeds.length] as Seed;
  const body = structuredClone({ ...seed.body, hookInstance: randomUUID() }) as { [k: string]: Json };
  const prefetch = body['prefetch'] as { [k: string]: Json };
  const keys = Object.keys(prefetch);
  const key = keys[c.key % keys.length] as string;
  if (c.target === 'envelope') {
    // Everything but the prefetch: hook, hookInstance, fhirServer, context (draft orders included).
    const envelope: { [k: string]: Json } = { ...body };
    Reflect.deleteProperty(envelope, 'prefetch');
    for (const m of c.mutations) apply(envelope, m);
    return { path: seed.path, text: toJsonText({ ...envelope, prefetch }), answers: fhirAnswers };
  } else if (c.target === 'prefetch') {
    const value = prefetch[key] as Json;
    for (const m of c.mutations) apply(value, m);
  } else {
    // Leave the key to Augur: it fetches it from the FHIR server, which answers the mutated value.
    const value = structuredClone(prefetch[key]) as Json;
    Reflect.deleteProperty(prefetch, key);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const withLink = {
        ...value,
        ...(value['resourceType'] === 'Bundle' ? { link: [{ relation: 'self', url: `${fhirBase}/x` }] } : {}),
      };
      for (const m of c.mutations) apply(withLink, m);
      fhirAnswers.set(
        typeof value['resourceType'] === 'string' && value['resourceType'] !== 'Bundle'
          ? value['resourceType']
          : typeOfKey(seed, key),
        toJsonText(withLink),
      );
    }
  }
  return { path: seed.path, text: toJsonText(body), answers: fhirAnswers };
}

function typeOfKey(seed: Seed, key: string): string {
  const bundle = (
    seed.body['prefetch'] as Record<string, { entry?: { resource?: { resourceType?: string } }[] }>
  )[key];
  return bundle?.entry?.[0]?.resource?.resourceType ?? 'Observation';
}

const JSON_BOUNDARY = /not valid JSON|nesting deeper|NUL character|must be a JSON object/;

function reachedValidation(status: number, body: unknown): boolean {
  if ([401, 405, 413, 415, 429].includes(status)) return false;
  if (status !== 400) return true;
  const diagnostics = (body as { issue?: { diagnostics?: string }[] }).issue?.[0]?.diagnostics ?? '';
  return !JSON_BOUNDARY.test(diagnostics);
}

it(`${RUNS} mutated, authenticated calls reach the FHIR-reading code and none is a 5xx (seed ${SEED})`, async () => {
  console.log(`fhir boundary fuzz: seed ${SEED}, ${RUNS} calls (FUZZ_SEED / FUZZ_RUNS to change)`);
  const histogram = new Map<number, number>();
  let reached = 0;
  let slowest = 0;
  const polluted = (): boolean =>
    (({}) as Record<string, unknown>)['polluted'] !== undefined ||
    Object.getOwnPropertyNames(Object.prototype).sort().join() !== protoBefore;
  await fc.assert(
    fc.asyncProperty(caseArb, async (c) => {
      const req = build(c);
      answers = req.answers;
      const res = await call(req.path, req.text);
      histogram.set(res.status, (histogram.get(res.status) ?? 0) + 1);
      if (reachedValidation(res.status, res.body)) reached++;
      slowest = Math.max(slowest, res.ms);
      expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBeLessThan(500);
      expect(res.ms).toBeLessThan(DEADLINE_MS + GRACE_MS);
      expect(polluted()).toBe(false);
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: false },
  );
  const lines = [...histogram.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s} × ${n}`);
  console.log(
    `fhir boundary fuzz: ${lines.join(', ')}; reached validation ${((100 * reached) / RUNS).toFixed(1)} %; slowest call ${slowest.toFixed(0)} ms`,
  );
  expect(reached / RUNS).toBeGreaterThanOrEqual(0.8);
}, 1_800_000);
