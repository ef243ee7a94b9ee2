/**
 * The same patients with prefetch absent: Augur reads the real FHIR server on 127.0.0.1 (Medplum, seeded
 * with the same resources) through the service's own prefetch templates — comma-OR LOINC codes,
 * `_sort=-date`, `_count`, active Conditions and MedicationRequests — and must show the same cards as
 * with complete prefetch. The suggested resources are also checked by the server's `$validate`.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationOutcome } from 'fhir/r4.js';
import type { Card } from '../../../src/cds/types.js';
import { cardiovascularService } from '../../../src/services/cardiovascular/service.js';
import { startFhirServer, type FhirServer } from '../../support/fhir-server.js';
import { aPatientViewRequest } from '../../support/hook-requests.js';
import { startServiceApp, type ServiceApp } from '../../support/services.js';
import { aCvPatient, NOW, STALE, type CvPatient, type CvPatientOptions } from './builders.js';
import { call, PATH, suggested, withPrefetch } from './harness.js';

const TOKEN = 'cv-fetch-token';
let fhir: FhirServer;
let t: ServiceApp;

const PATIENTS: CvPatientOptions[] = [
  { id: 'f-borderline', age: 55, race: 'white' },
  { id: 'f-intermediate', age: 60, race: 'white', sbp: 140, bpTreated: true },
  { id: 'f-high', age: 65, race: 'white', sbp: 150, smoker: true },
  { id: 'f-on-statin', age: 60, race: 'white', sbp: 140, bpTreated: true, onStatin: true },
  { id: 'f-ldl190', age: 45, tc: 290, ldl: 200 },
  { id: 'f-diabetes', age: 50, sex: 'female', race: 'white', diabetes: true },
  { id: 'f-no-lipids', age: 50, tc: null, hdl: null, ldl: null },
  { id: 'f-stale', age: 60, race: 'white', sbp: 140, lipidDate: STALE },
  { id: 'f-prevent55', age: 55, race: 'black' },
  { id: 'f-ascvd', age: 60, race: 'white', sbp: 140, ascvd: true },
  { id: 'f-age85', age: 85 },
  { id: 'f-low', age: 55, sex: 'female', race: 'white' },
];
const built: CvPatient[] = PATIENTS.map(aCvPatient);

beforeAll(async () => {
  fhir = await startFhirServer({ requireToken: TOKEN });
  await fhir.seed(built.flatMap((p) => p.resources));
  t = await startServiceApp((deps) => [cardiovascularService(deps)], {
    now: () => NOW,
    client: { fhirServers: [fhir.baseUrl] },
  });
});
afterAll(async () => {
  await t.close();
  await fhir.stop();
});

/** What the clinician sees, minus the per-response uuids and result ids. */
const seen = (cards: readonly Card[]) =>
  cards.map((c) => ({
    summary: c.summary,
    indicator: c.indicator,
    detail: c.detail,
    source: c.source,
    suggestions: c.suggestions?.map((s) => ({
      label: s.label,
      resources: s.actions?.map((a) => a.resource),
    })),
  }));

describe('prefetch absent → fetched from the FHIR server: the same cards', () => {
  it.each(built.map((p) => [p.id, p] as const))('%s', async (_id, p) => {
    const fetched = await call(
      t,
      aPatientViewRequest({ patientId: p.id, fhirServer: fhir.baseUrl, accessToken: TOKEN }),
    );
    const prefetched = await withPrefetch(t, p);
    expect(seen(fetched)).toEqual(seen(prefetched));
  });

  it('covers cards of every kind (the comparison above is not vacuous)', async () => {
    const all = await Promise.all(
      ['f-intermediate', 'f-no-lipids', 'f-stale'].map((id) =>
        call(t, aPatientViewRequest({ patientId: id, fhirServer: fhir.baseUrl, accessToken: TOKEN })),
      ),
    );
    expect(all.map((cards) => cards.length)).toEqual([1, 1, 2]);
  });

  it('asks the server with the discovery templates: one query per key, codes OR-ed, newest first', async () => {
    fhir.requests.length = 0;
    await call(t, aPatientViewRequest({ patientId: 'f-high', fhirServer: fhir.baseUrl, accessToken: TOKEN }));
    const urls = fhir.requests.map((r) => decodeURIComponent(r.url));
    expect(urls).toContain('/fhir/Patient/f-high');
    expect(urls).toContain(
      '/fhir/Observation?patient=f-high&code=http://loinc.org|2093-3,http://loinc.org|14647-2,http://loinc.org|2085-9,http://loinc.org|14646-4,http://loinc.org|18262-6,http://loinc.org|69419-0,http://loinc.org|2089-1,http://loinc.org|22748-8,http://loinc.org|13457-7,http://loinc.org|39469-2,http://loinc.org|2571-8,http://loinc.org|3043-7,http://loinc.org|14927-8&_sort=-date&_count=40',
    );
    expect(urls).toContain('/fhir/Condition?patient=f-high');
    expect(urls).toContain('/fhir/MedicationRequest?patient=f-high&status=active');
    expect(urls).toHaveLength(8);
    for (const r of fhir.requests) expect(r.authorization).toBe(`Bearer ${TOKEN}`);
  });
});

describe('suggested resources pass the FHIR server’s $validate', () => {
  it.each(['f-intermediate', 'f-no-lipids'])('%s', async (id) => {
    const p = built.find((b) => b.id === id);
    if (p === undefined) throw new Error(id);
    const [card] = await withPrefetch(t, p);
    const resources = suggested(card);
    expect(resources).toHaveLength(1);
    for (const resource of resources) {
      const res = await request(fhir.origin)
        .post(`/fhir/${resource.resourceType}/$validate`)
        .set('Authorization', `Bearer ${TOKEN}`)
        .set('Content-Type', 'application/fhir+json')
        .send(JSON.stringify(resource))
        .expect(200);
      const outcome = res.body as OperationOutcome;
      expect(outcome.issue.filter((i) => i.severity === 'error' || i.severity === 'fatal')).toEqual([]);
    }
  });
});

it('discovery lists the service with its prefetch templates', async () => {
  const res = await request(t.app)
    .get('/cds-services')
    .set('Authorization', `Bearer ${await t.token('/cds-services')}`)
    .expect(200);
  const entry = (
    res.body as { services: { id: string; hook: string; prefetch: Record<string, string> }[] }
  ).services.find((s) => s.id === 'augur-cardiovascular-risk');
  expect(entry?.hook).toBe('patient-view');
  expect(Object.keys(entry?.prefetch ?? {}).sort()).toEqual([
    'bloodPressure',
    'bodySize',
    'conditions',
    'kidneyAndGlycaemia',
    'lipids',
    'medications',
    'patient',
    'smoking',
  ]);
  expect(PATH).toBe('/cds-services/augur-cardiovascular-risk');
});
