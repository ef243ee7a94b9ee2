/**
 * The "fetch it myself" path through HTTP: prefetch absent → Augur reads the real FHIR server on
 * 127.0.0.1 with the EHR's token; every authenticated call and every outbound query is audited with
 * identifiers only; the token and canary PHI never reach a log line (checked suite-wide at teardown).
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Condition, Patient } from 'fhir/r4.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { startFhirServer, type FhirServer } from '../support/fhir-server.js';
import { aPatientViewRequest } from '../support/hook-requests.js';
import { CANARY } from '../support/log-canary.js';

const PV = '/cds-services/test-patient-view';
let t: TestApp;
let fhir: FhirServer;

const patient: Patient = {
  resourceType: 'Patient',
  id: 'canary1',
  name: [{ family: CANARY.patientName, given: ['Ada'] }],
  birthDate: CANARY.birthDate,
  identifier: [{ system: 'urn:mrn', value: CANARY.mrn }],
  telecom: [{ system: 'phone', value: CANARY.phone }],
};
const conditions: Condition[] = Array.from({ length: 7 }, (_, i) => ({
  resourceType: 'Condition',
  id: `c${i}`,
  subject: { reference: 'Patient/canary1' },
  code: { text: `${CANARY.patientName} condition ${i}` },
}));

beforeAll(async () => {
  fhir = await startFhirServer({ requireToken: CANARY.accessToken });
  await fhir.seed([patient, ...conditions]);
  t = await startTestApp({ client: { fhirServers: [fhir.baseUrl] } });
});
afterAll(async () => {
  await t.close();
  await fhir.stop();
});

async function call(body: unknown, status: number) {
  return request(t.app)
    .post(PV)
    .set('Authorization', `Bearer ${await t.token(PV)}`)
    .send(body as object)
    .expect(status);
}

describe('prefetch absent: Augur fetches from the FHIR server', () => {
  it('forwards the EHR token to the FHIR server and fills the card from fetched data', async () => {
    fhir.requests.length = 0;
    const req = aPatientViewRequest({
      patientId: 'canary1',
      fhirServer: fhir.baseUrl,
      accessToken: CANARY.accessToken,
    });
    const res = await call(req, 200);
    expect((res.body as { cards: { detail: string }[] }).cards[0]?.detail).toBe(
      'patient: Patient(fetched); conditions: 7 resources(fetched)',
    );
    expect(fhir.requests.length).toBeGreaterThanOrEqual(2);
    for (const r of fhir.requests) expect(r.authorization).toBe(`Bearer ${CANARY.accessToken}`);
  });

  it('mixes prefetched and fetched keys in one request', async () => {
    fhir.requests.length = 0;
    const req = aPatientViewRequest({
      patientId: 'canary1',
      fhirServer: fhir.baseUrl,
      accessToken: CANARY.accessToken,
      prefetch: { patient },
    });
    const res = await call(req, 200);
    expect((res.body as { cards: { detail: string }[] }).cards[0]?.detail).toBe(
      'patient: Patient(prefetch); conditions: 7 resources(fetched)',
    );
    expect(fhir.requests.map((r) => r.url.split('?')[0])).toEqual(['/fhir/Condition']);
  });

  it('412 when the required key cannot be fetched (the FHIR server refuses the token)', async () => {
    const req = aPatientViewRequest({
      patientId: 'canary1',
      fhirServer: fhir.baseUrl,
      accessToken: 'wrong-token',
    });
    await call(req, 412);
  });

  it('412 when the FHIR server has no such patient (required key unobtainable)', async () => {
    const req = aPatientViewRequest({
      patientId: 'nobody',
      fhirServer: fhir.baseUrl,
      accessToken: CANARY.accessToken,
    });
    await call(req, 412);
  });
});

describe('audit trail', () => {
  it('records the hook call and each FHIR query, identifiers only', async () => {
    const req = aPatientViewRequest({
      patientId: 'canary1',
      fhirServer: fhir.baseUrl,
      accessToken: CANARY.accessToken,
    });
    const res = await call(req, 200);
    const requestId = res.headers['x-request-id'] as string;
    const events = await t.store.readAudit({ requestId });
    expect(events.map((e) => e.type).sort()).toEqual(['fhir-query', 'fhir-query', 'hook-call']);
    const callEvent = events.find((e) => e.type === 'hook-call');
    expect(callEvent).toMatchObject({
      action: 'E',
      outcome: '0',
      status: 200,
      iss: t.ehr.iss,
      patientRef: 'Patient/canary1',
      userRef: 'Practitioner/dr1',
      hookInstance: req['hookInstance'],
      serviceId: 'test-patient-view',
      models: ['test-model@1.0.0'],
    });
    expect(callEvent?.jti).toMatch(/./);
    const queries = events
      .filter((e) => e.type === 'fhir-query')
      .map((e) => e.query)
      .sort();
    expect(queries).toEqual(['Condition?patient=canary1', 'Patient/canary1']);
    const text = JSON.stringify(events);
    for (const canary of Object.values(CANARY)) expect(text).not.toContain(canary);
  });

  it('records a failed call with its status, and an authentication failure with no patient', async () => {
    const bad = await call({ ...aPatientViewRequest(), hookInstance: 'not-a-uuid' }, 400);
    const failed = await t.store.readAudit({ requestId: bad.headers['x-request-id'] as string });
    expect(failed.map((e) => [e.type, e.outcome, e.status])).toEqual([['hook-call', '4', 400]]);

    const denied = await request(t.app).post(PV).send(aPatientViewRequest()).expect(401);
    const authEvents = await t.store.readAudit({ requestId: denied.headers['x-request-id'] as string });
    expect(authEvents).toHaveLength(1);
    expect(authEvents[0]).toMatchObject({ type: 'auth-failure', outcome: '4', status: 401 });
    expect(authEvents[0]?.patientRef).toBeUndefined();
  });
});
