/**
 * One named test per crash the structure-aware fuzz (and issue 15's sloppy-EHR run) found, each with the
 * smallest input that caused it, through the real services over HTTP with signed JWTs. Before the FHIR
 * boundary reader each of these was a 500 "Internal error"; the message it crashed with is in the name.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clinicalServices } from '../../src/services/index.js';
import { startServiceApp, type ServiceApp } from '../support/services.js';
import { hookSeed, patientResources, type Seed } from './seeds.js';

let t: ServiceApp;
let augur: Server;
let fhir: Server;
let augurBase: string;
let fhirBase: string;
let fhirAnswer = '';
const seeds = new Map<string, Seed>();

const listen = (server: Server): Promise<string> =>
  new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    }),
  );

beforeAll(async () => {
  fhir = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/fhir+json' });
    res.end(fhirAnswer);
  });
  fhirBase = await listen(fhir);
  t = await startServiceApp(clinicalServices, { client: { fhirServers: [fhirBase] } });
  augur = createServer(t.app);
  augurBase = await listen(augur);
  const resources = patientResources(new Date());
  for (const s of clinicalServices(t.deps))
    seeds.set(s.definition.id, hookSeed(s.definition, resources, fhirBase));
});
afterAll(async () => {
  await new Promise((r) => augur.close(r));
  await new Promise((r) => fhir.close(r));
  await t.close();
});

interface Answer {
  status: number;
  diagnostics: string;
  cards: { summary: string; links?: { appContext?: string }[] }[];
}

async function post(path: string, body: unknown): Promise<Answer> {
  const res = await fetch(`${augurBase}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await t.token(path)}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { issue?: { diagnostics?: string }[]; cards?: Answer['cards'] };
  return { status: res.status, diagnostics: json.issue?.[0]?.diagnostics ?? '', cards: json.cards ?? [] };
}

/** The seed request for `serviceId` with prefetch `key` replaced by `value` (undefined: removed). */
function withPrefetch(
  serviceId: string,
  key: string,
  value: unknown,
): { path: string; body: Record<string, unknown> } {
  const seed = seeds.get(serviceId);
  if (seed === undefined) throw new Error(serviceId);
  const body = structuredClone(seed.body);
  const prefetch = body['prefetch'] as Record<string, unknown>;
  if (value === undefined) Reflect.deleteProperty(prefetch, key);
  else prefetch[key] = value;
  return { path: seed.path, body };
}

/** The seed's Bundle for a key, with `change` applied to a copy. */
function bundleOf(serviceId: string, key: string, change: (b: Record<string, unknown>) => void): unknown {
  const b = structuredClone(
    (seeds.get(serviceId)?.body['prefetch'] as Record<string, unknown>)[key],
  ) as Record<string, unknown>;
  change(b);
  return b;
}

async function storedUnreadable(a: Answer): Promise<unknown> {
  const id = a.cards.flatMap((c) => c.links ?? []).find((l) => l.appContext !== undefined)?.appContext;
  if (id === undefined) throw new Error('no stored result');
  return ((await t.store.getResult(id, new Date()))?.payload as { unreadable?: unknown }).unreadable;
}

const CV = 'augur-cardiovascular-risk';
const KIDNEY = 'augur-kidney-risk';
const PGX_SELECT = 'augur-pgx-order-select';

describe('FHIR data that crashed Augur is read at the boundary, never a 500', () => {
  it('"bundle.link?.find is not a function": a required Condition Bundle whose link is an object → 412 naming it', async () => {
    const r = withPrefetch(
      KIDNEY,
      'conditions',
      bundleOf(KIDNEY, 'conditions', (b) => (b['link'] = {})),
    );
    const a = await post(r.path, r.body);
    expect(a.status).toBe(412);
    expect(a.diagnostics).toContain('"conditions" (Bundle: link is not an array)');
  });

  it('"Cannot read properties of null (reading \'resource\')": an entry that is null → the Condition list is unreadable → no cardiovascular card', async () => {
    const r = withPrefetch(
      CV,
      'conditions',
      bundleOf(CV, 'conditions', (b) => (b['entry'] = [null])),
    );
    // The cardiovascular service reads Conditions as optional and says nothing when it cannot rule out ASCVD.
    const a = await post(r.path, r.body);
    expect(a.status).toBe(200);
    expect(a.cards).toEqual([]);
  });

  it('"Cannot read properties of null (reading \'relation\')": a link that is null, fetched from the FHIR server', async () => {
    fhirAnswer = JSON.stringify(bundleOf(KIDNEY, 'conditions', (b) => (b['link'] = [null])));
    const r = withPrefetch(KIDNEY, 'conditions', undefined);
    const a = await post(r.path, r.body);
    expect(a.status).toBe(412);
    expect(a.diagnostics).toContain('"conditions" (Bundle: link[0] is not an object)');
  });

  it('"(o.component ?? []).find is not a function": one Observation with component {} is set aside, named in the stored result', async () => {
    const r = withPrefetch(
      KIDNEY,
      'observations',
      bundleOf(KIDNEY, 'observations', (b) => {
        const entry = b['entry'] as { resource: Record<string, unknown> }[];
        const bp = entry.find((e) => e.resource['id'] === 'bp-0');
        if (bp === undefined) throw new Error('no bp-0');
        bp.resource['component'] = {};
      }),
    );
    const a = await post(r.path, r.body);
    expect(a.status).toBe(200);
    expect(a.cards.length).toBeGreaterThan(0);
    expect(await storedUnreadable(a)).toEqual([
      { reference: 'Observation/bp-0', problem: 'Observation/bp-0: component is not an array' },
    ]);
  });

  it('"(o.code.coding ?? []).map is not a function": code.coding a string → "Observation/x: code.coding is not an array"', async () => {
    const r = withPrefetch(
      KIDNEY,
      'observations',
      bundleOf(KIDNEY, 'observations', (b) => {
        const entry = b['entry'] as { resource: Record<string, unknown> }[];
        const first = entry[0];
        if (first === undefined) throw new Error('empty');
        first.resource['code'] = { coding: 'x' };
      }),
    );
    const a = await post(r.path, r.body);
    expect(a.status).toBe(200);
    const unreadable = (await storedUnreadable(a)) as { problem: string }[];
    expect(unreadable.map((u) => u.problem)).toEqual([
      expect.stringMatching(/^Observation\/[\w.-]+: code\.coding is not an array$/),
    ]);
  });

  it('"birthDate.trim is not a function": a Patient with birthDate 5 is unreadable → 412 (the Patient is required)', async () => {
    const patient = structuredClone(
      (seeds.get(CV)?.body['prefetch'] as Record<string, unknown>)['patient'],
    ) as Record<string, unknown>;
    patient['birthDate'] = 5;
    const r = withPrefetch(CV, 'patient', patient);
    const a = await post(r.path, r.body);
    expect(a.status).toBe(412);
    expect(a.diagnostics).toContain('"patient" (Patient/p1: birthDate is not a string)');
  });

  it('"(c.coding ?? []).flatMap is not a function": a Condition whose code.coding is an object → Conditions cannot rule out ASCVD → no CV card', async () => {
    const r = withPrefetch(
      CV,
      'conditions',
      bundleOf(CV, 'conditions', (b) => {
        const first = (b['entry'] as { resource: Record<string, unknown> }[])[0];
        if (first === undefined) throw new Error('empty');
        first.resource['code'] = { coding: {} };
      }),
    );
    const a = await post(r.path, r.body);
    expect(a.status).toBe(200);
    expect(a.cards).toEqual([]);
  });

  it('"number 0 is not iterable": a genotype Observation with component 0 is set aside (no guessed phenotype)', async () => {
    const r = withPrefetch(
      PGX_SELECT,
      'observations',
      bundleOf(PGX_SELECT, 'observations', (b) => {
        const entry = b['entry'] as { resource: Record<string, unknown> }[];
        const g = entry.find((e) => e.resource['id'] === 'g-cyp2c19');
        if (g === undefined) throw new Error('no genotype');
        g.resource['component'] = 0;
      }),
    );
    const a = await post(r.path, r.body);
    expect(a.status).toBe(200);
    // With the CYP2C19 result unreadable, Augur does not claim a poor-metabolizer finding.
    expect(a.cards.map((c) => c.summary).join(' | ')).not.toMatch(/poor metabolizer/i);
  });

  it('"code.trim is not a function" / "system.trim is not a function": a coding whose code or system is a number is set aside', async () => {
    for (const field of ['code', 'system']) {
      const r = withPrefetch(
        KIDNEY,
        'observations',
        bundleOf(KIDNEY, 'observations', (b) => {
          const first = (b['entry'] as { resource: { code: { coding: Record<string, unknown>[] } } }[])[0];
          const c = first?.resource.code.coding[0];
          if (c === undefined) throw new Error('empty');
          c[field] = 42;
        }),
      );
      const a = await post(r.path, r.body);
      expect(a.status).toBe(200);
      const unreadable = (await storedUnreadable(a)) as { problem: string }[];
      expect(unreadable.map((u) => u.problem)).toEqual([
        expect.stringMatching(new RegExp(`: code\\.coding\\[0\\]\\.${field} is not a string$`)),
      ]);
    }
  });

  it('"(… ?? []).some is not a function" / "object is not iterable": a medication whose coding is an object → no "not on a statin" conclusion', async () => {
    type Entries = { resource: Record<string, unknown> }[];
    const withoutStatin = (b: Record<string, unknown>): void => {
      b['entry'] = (b['entry'] as Entries).filter((e) => e.resource['id'] !== 'm-simva');
    };
    // Control: with the list readable, this patient (diabetes, no statin) gets the statin draft.
    const control = withPrefetch(CV, 'medications', bundleOf(CV, 'medications', withoutStatin));
    expect(JSON.stringify((await post(control.path, control.body)).cards)).toContain('"type":"create"');
    const r = withPrefetch(
      CV,
      'medications',
      bundleOf(CV, 'medications', (b) => {
        withoutStatin(b);
        const first = (b['entry'] as Entries)[0];
        if (first === undefined) throw new Error('empty');
        first.resource['medicationCodeableConcept'] = { coding: { code: '83367' } };
      }),
    );
    const a = await post(r.path, r.body);
    expect(a.status).toBe(200);
    // One medication could not be read, so "not on a statin" cannot be concluded: no statin draft.
    expect(JSON.stringify(a.cards)).not.toContain('"type":"create"');
  });

  it('a draft order Augur cannot read is a 400 naming it', async () => {
    const seed = seeds.get(PGX_SELECT);
    if (seed === undefined) throw new Error('no seed');
    const body = structuredClone(seed.body);
    const draft = (
      (body['context'] as Record<string, unknown>)['draftOrders'] as {
        entry: { resource: Record<string, unknown> }[];
      }
    ).entry[0];
    if (draft === undefined) throw new Error('no draft');
    draft.resource['medicationCodeableConcept'] = { coding: [{ code: 42 }] };
    const a = await post(seed.path, body);
    expect(a.status).toBe(400);
    expect(a.diagnostics).toBe(
      'context.draftOrders.entry[0].resource: MedicationRequest/draft-1: medicationCodeableConcept.coding[0].code is not a string',
    );
  });

  it('feedback "invalid byte sequence for encoding \\"UTF8\\": 0x00": a NUL in userComment → 400 at the JSON boundary', async () => {
    const path = '/cds-services/augur-kidney-risk/feedback';
    const a = await post(path, {
      feedback: [
        {
          card: '2f1c7b0e-1d9a-4c57-9d0e-0a9f6b5f8c11',
          outcome: 'overridden',
          overrideReason: { userComment: 'bad\u0000byte' },
          outcomeTimestamp: '2026-12-05T10:00:00Z',
        },
      ],
    });
    expect(a.status).toBe(400);
    expect(a.diagnostics).toBe(
      'feedback[0].overrideReason.userComment: text contains a NUL character or an unpaired UTF-16 surrogate',
    );
  });

  it('an unpaired surrogate anywhere in a hook request → 400 naming the field', async () => {
    const seed = seeds.get(KIDNEY);
    if (seed === undefined) throw new Error('no seed');
    const body = structuredClone(seed.body);
    (body['context'] as Record<string, unknown>)['userId'] = 'Practitioner/\ud800';
    const a = await post(seed.path, body);
    expect(a.status).toBe(400);
    expect(a.diagnostics).toBe(
      'context.userId: text contains a NUL character or an unpaired UTF-16 surrogate',
    );
  });
});

describe('found by the boundary fuzz once Augur fetched from a FHIR server at its root', () => {
  it('a FHIR answer whose resourceType is an unpaired surrogate is unreadable, and the message never quotes it', async () => {
    fhirAnswer = '{"resourceType":"\\udc00","entry":null}';
    const r = withPrefetch(KIDNEY, 'conditions', undefined);
    const a = await post(r.path, r.body);
    expect(a.status).toBe(412);
    expect(a.diagnostics).toBe('required prefetch unavailable: "conditions" (resource: not a FHIR resource)');
  });
});
