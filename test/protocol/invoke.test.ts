import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { aDraftMedicationRequest, anOrderRequest, aPatientViewRequest } from '../support/hook-requests.js';
import { responseViolations } from '../../src/cds/card-invariants.js';

const PV = '/cds-services/test-patient-view';
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** POSTs with a fresh signed JWT for that exact endpoint and asserts the status. */
async function post(path: string, body: unknown, status: number, contentType = 'application/json') {
  return request(t.app)
    .post(path)
    .set('Authorization', `Bearer ${await t.token(path)}`)
    .set('Content-Type', contentType)
    .send(typeof body === 'string' ? body : JSON.stringify(body))
    .expect(status);
}

const patient = { resourceType: 'Patient', id: 'p1' };
const outcomeOf = (body: unknown) =>
  body as { resourceType: string; issue: { code: string; diagnostics: string; expression?: string[] }[] };

describe('invocation with complete prefetch', () => {
  it('answers 200 with cards that satisfy every invariant, and records history and audit', async () => {
    const req = aPatientViewRequest({
      prefetch: { patient, conditions: { resourceType: 'Bundle', type: 'searchset', entry: [] } },
    });
    const res = await post(PV, req, 200);
    expect(responseViolations(res.body)).toEqual([]);
    const body = res.body as { cards: { detail: string; uuid: string }[] };
    expect(body.cards[0]?.detail).toBe('patient: Patient(prefetch); conditions: 0 resources(prefetch)');
    const history = await t.store.findCardHistory({
      patientRef: 'Patient/p1',
      serviceId: 'test-patient-view',
    });
    expect(history.map((h) => h.cardUuid)).toContain(body.cards[0]?.uuid);
    expect(history.find((h) => h.cardUuid === body.cards[0]?.uuid)?.hookInstance).toBe(req['hookInstance']);
  });

  for (const type of ['application/json', 'application/json; charset=utf-8', 'application/fhir+json']) {
    it(`accepts Content-Type ${type}`, async () => {
      await post(PV, aPatientViewRequest({ prefetch: { patient } }), 200, type);
    });
  }

  it('is a tolerant reader: unknown fields and extension objects pass', async () => {
    const req = aPatientViewRequest({
      prefetch: { patient },
      extra: { extension: { 'com.example.x': { a: 1 } }, futureField: [1] },
      context: { extension: { y: 2 }, other: 'z' },
    });
    await post(PV, req, 200);
  });

  it('treats a null prefetch key as no data, and an OperationOutcome as unavailable', async () => {
    const oo = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception' }] };
    const res = await post(PV, aPatientViewRequest({ prefetch: { patient, conditions: oo } }), 200);
    expect((res.body as { cards: { detail: string }[] }).cards[0]?.detail).toContain(
      'conditions: unavailable',
    );
    const res2 = await post(PV, aPatientViewRequest({ prefetch: { patient, conditions: null } }), 200);
    expect((res2.body as { cards: { detail: string }[] }).cards[0]?.detail).toContain(
      'conditions: no data(prefetch)',
    );
  });

  it('answers 412 with an OperationOutcome when required data cannot be obtained', async () => {
    const res = await post(PV, aPatientViewRequest({ prefetch: { conditions: null } }), 412);
    expect(outcomeOf(res.body).issue[0]?.diagnostics).toContain('patient');
  });

  it('answers 412 when the prefetched data is about another patient', async () => {
    const res = await post(
      PV,
      aPatientViewRequest({ prefetch: { patient: { resourceType: 'Patient', id: 'someone-else' } } }),
      412,
    );
    expect(outcomeOf(res.body).issue[0]?.code).toBe('security');
  });
});

describe('request validation: 400 with an OperationOutcome naming the field', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['hook mismatch', { ...aPatientViewRequest(), hook: 'order-sign' }, 'hook'],
    ['hookInstance not a UUID', { ...aPatientViewRequest(), hookInstance: 'abc' }, 'hookInstance'],
    ['hookInstance missing', (({ hookInstance: _, ...r }) => r)(aPatientViewRequest()), 'hookInstance'],
    ['context missing', (({ context: _, ...r }) => r)(aPatientViewRequest()), 'context'],
    ['empty context', { ...aPatientViewRequest(), context: {} }, 'context.userId'],
    ['patientId missing', aPatientViewRequest({ context: { patientId: undefined } }), 'context.patientId'],
    ['userId of the wrong form', aPatientViewRequest({ userId: 'dr1' }), 'context.userId'],
    ['fhirServer not a URL', { ...aPatientViewRequest(), fhirServer: 'not a url' }, 'fhirServer'],
    [
      'fhirAuthorization without fhirServer (cds-r-1)',
      (({ fhirServer: _, ...r }) => r)(
        aPatientViewRequest({ fhirServer: 'http://127.0.0.1:1/fhir', accessToken: 'x' }),
      ),
      'fhirServer',
    ],
    [
      'fhirAuthorization.patient ≠ context.patientId',
      aPatientViewRequest({
        fhirServer: 'http://127.0.0.1:1/fhir',
        accessToken: 'x',
        context: { patientId: 'p2' },
      }),
      'fhirAuthorization.patient',
    ],
    ['prefetch not an object', { ...aPatientViewRequest(), prefetch: [1] }, 'prefetch'],
  ];
  for (const [name, body, field] of cases) {
    it(name, async () => {
      const res = await post(PV, body, 400);
      const oo = outcomeOf(res.body);
      expect(oo.resourceType).toBe('OperationOutcome');
      expect(oo.issue.map((i) => i.expression?.[0])).toContain(field);
    });
  }

  it('a body that is not an object', async () => {
    await post(PV, '[1,2]', 400);
    await post(PV, '"x"', 400);
  });

  it('malformed JSON', async () => {
    const res = await post(PV, '{"hook": ', 400);
    expect(outcomeOf(res.body).issue[0]?.code).toBe('structure');
  });
});

describe('order hooks', () => {
  const OS = '/cds-services/test-order-select';
  const orders = [aDraftMedicationRequest('mr1'), aDraftMedicationRequest('mr2')];

  it('accepts selections that resolve into draftOrders', async () => {
    const res = await post(OS, anOrderRequest('order-select', orders, ['MedicationRequest/mr2']), 200);
    expect((res.body as { cards: { summary: string }[] }).cards[0]?.summary).toBe('Selected 1 order(s)');
  });

  it('refuses a selection that is not among the draft orders', async () => {
    const res = await post(OS, anOrderRequest('order-select', orders, ['MedicationRequest/mr9']), 400);
    expect(outcomeOf(res.body).issue[0]?.expression).toEqual(['context.selections[0]']);
  });

  it('refuses order-select without selections', async () => {
    const res = await post(OS, anOrderRequest('order-select', orders, undefined), 400);
    expect(outcomeOf(res.body).issue[0]?.expression).toEqual(['context.selections']);
  });

  it('answers a DSTU2 MedicationOrder with a clear 400, not a crash', async () => {
    const req = anOrderRequest('order-sign', [], undefined);
    (req['context'] as { draftOrders: { entry: unknown[] } }).draftOrders.entry = [
      { resource: { resourceType: 'MedicationOrder', id: 'mo1' } },
    ];
    const res = await post('/cds-services/test-order-sign', req, 400);
    expect(outcomeOf(res.body).issue[0]?.diagnostics).toContain('DSTU2');
  });

  it('accepts a draftOrders Bundle without type and answers no guidance as {"cards": []}', async () => {
    const req = anOrderRequest('order-sign', orders, undefined);
    delete (req['context'] as { draftOrders: { type?: string } }).draftOrders.type;
    const res = await post('/cds-services/test-order-sign', req, 200);
    expect(res.body).toEqual({ cards: [] });
  });
});

describe('service lookup and response invariants', () => {
  it('404 with an OperationOutcome for an unknown service', async () => {
    const res = await post('/cds-services/nope', aPatientViewRequest(), 404);
    expect(outcomeOf(res.body).issue[0]?.code).toBe('not-found');
  });

  it('a service whose card breaks the spec fails loudly outside production (500, no detail leaked)', async () => {
    const res = await post('/cds-services/test-broken-card', aPatientViewRequest(), 500);
    expect(JSON.stringify(res.body)).not.toContain('summary');
  });
});

describe('FHIR server policy (SSRF)', () => {
  it('412 without any outbound call when fhirServer is not allowed for the issuer', async () => {
    const res = await post(PV, aPatientViewRequest({ fhirServer: 'https://elsewhere.example/fhir' }), 412);
    expect(outcomeOf(res.body).issue[0]?.expression).toEqual(['fhirServer']);
  });

  it('refuses plain-http FHIR servers unless the site allowed them', async () => {
    const strict = await startTestApp({
      file: { allowInsecureFhirServers: false },
      client: { fhirServers: [] },
    });
    try {
      const path = PV;
      const res = await request(strict.app)
        .post(path)
        .set('Authorization', `Bearer ${await strict.token(path)}`)
        .send(aPatientViewRequest({ fhirServer: 'http://127.0.0.1:9/fhir', prefetch: { patient } }))
        .expect(412);
      expect(outcomeOf(res.body).issue[0]?.diagnostics).toContain('plain-http');
    } finally {
      await strict.close();
    }
  });
});
