/**
 * A stored result as FHIR: a real cardiovascular hook call stores the result behind its card; GET
 * /api/results/{id}/fhir returns RiskAssessment + AI Device + AI-ModelCard + AI Provenance under the
 * same capability rules as the JSON form, and every resource passes the real FHIR server's $validate
 * (base R4 structure; the IG's own profiles are checked here by their fixed values — see README).
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Bundle,
  Device,
  DocumentReference,
  OperationOutcome,
  Provenance,
  RiskAssessment,
} from 'fhir/r4.js';
import { MemoryRateLimiter } from '../../src/auth/rate-limit.js';
import { cardiovascularService } from '../../src/services/cardiovascular/service.js';
import { smartRouters } from '../../src/smart/index.js';
import { startFhirServer, type FhirServer } from '../support/fhir-server.js';
import { builtInModels, startServiceApp, type ServiceApp } from '../support/services.js';
import { testLogger } from '../support/logs.js';
import { PUBLIC_BASE } from '../support/app.js';
import { aCvPatient, NOW, prefetchOf } from '../services/cardiovascular/builders.js';
import { PATH, withPrefetch } from '../services/cardiovascular/harness.js';
import { aPatientViewRequest } from '../support/hook-requests.js';
import { systemActionsFor } from '../../src/fhir-results/system-actions.js';
import { IG } from '../../src/fhir-results/codes.js';

const TOKEN = 'fhir-results-token';
let fhir: FhirServer;
let t: ServiceApp;
let bundle: Bundle;
let resultId: string;
const patient = aCvPatient({ id: 'fr-high', age: 65, race: 'white', sbp: 150, smoker: true });

beforeAll(async () => {
  fhir = await startFhirServer({ requireToken: TOKEN });
  const models = await builtInModels();
  t = await startServiceApp((deps) => [cardiovascularService(deps)], {
    now: () => NOW,
    // Wired as src/main.ts wires it; the config leaves fhirResults.systemActions at its default (off).
    systemActions: (config) => systemActionsFor(config, models),
    routers: (config, store) =>
      smartRouters({
        config,
        store,
        limiter: new MemoryRateLimiter({ now: () => NOW.getTime() }),
        models,
        log: testLogger(),
        now: () => NOW,
      }),
  });
  const [card] = await withPrefetch(t, patient);
  resultId = card?.links?.find((l) => l.type === 'smart')?.appContext ?? '';
  const res = await request(t.app).get(`/api/results/${resultId}/fhir?patient=fr-high`).expect(200);
  expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
  expect(res.headers['cache-control']).toBe('no-store');
  bundle = JSON.parse(res.text) as Bundle;
}, 60_000);
afterAll(async () => {
  await t.close();
  await fhir.stop();
});

const ofType = <T>(type: string): T[] =>
  (bundle.entry ?? []).flatMap((e) => (e.resource?.resourceType === type ? [e.resource as T] : []));

describe('GET /api/results/{id}/fhir', () => {
  it('maps each model run: RiskAssessment, AI Device, model card, AI Provenance', () => {
    expect(bundle.type).toBe('collection');
    const ras = ofType<RiskAssessment>('RiskAssessment');
    // 65 years: outside PREVENT-30y's 30–59, so that run is not-applicable and has no RiskAssessment.
    expect(ras.map((r) => r.method?.coding?.[0]?.code)).toEqual(['ascvd-pce-10y', 'prevent-10y']);
    const pce = ras[0];
    expect(pce?.subject.reference).toBe('Patient/fr-high');
    expect(pce?.occurrenceDateTime).toBe(NOW.toISOString());
    expect(pce?.meta?.security?.[0]?.code).toBe('AIAST');
    expect(pce?.prediction?.[0]?.probabilityDecimal).toBeGreaterThan(0.2);
    expect(pce?.prediction?.[0]?.whenRange?.high).toMatchObject({ value: 10, code: 'a' });
    expect(pce?.basis?.map((b) => b.reference)).toEqual(expect.arrayContaining(['Patient/fr-high']));
    expect(pce?.basis?.some((b) => b.reference?.startsWith('Observation/'))).toBe(true);
    expect(pce?.note?.[0]?.text).toMatch(/band: /);
    expect(ras[1]?.prediction?.map((p) => p.whenRange?.high?.value)).toEqual([10, 10, 10, 10, 10]);
    expect(ofType<Device>('Device')).toHaveLength(2);
    expect(ofType<DocumentReference>('DocumentReference')).toHaveLength(2);
    expect(ofType<Provenance>('Provenance')).toHaveLength(2);
  });

  it('the Device carries type Artificial-Intelligence, name, version, model number, the ONNX sha256 and its card', async () => {
    const models = await builtInModels();
    const pce = models.get('ascvd-pce-10y')?.manifest;
    const device = ofType<Device>('Device')[0];
    expect(device?.meta?.profile).toEqual([`${IG}/StructureDefinition/AI-Device`]);
    expect(device?.type?.coding?.[0]).toMatchObject({
      system: `${IG}/CodeSystem/AIdeviceTypeCS`,
      code: 'Artificial-Intelligence',
    });
    expect(device?.version?.[0]?.value).toBe(pce?.version);
    expect(device?.modelNumber).toBe('ascvd-pce-10y');
    expect(device?.identifier?.find((i) => i.system === 'urn:augur:model:onnx-sha256')?.value).toBe(
      pce?.onnx.sha256,
    );
    const cardRef = device?.extension?.find((e) => e.url.endsWith('modelCardDescription'))?.valueReference
      ?.reference;
    const card = ofType<DocumentReference>('DocumentReference').find(
      (d) => `DocumentReference/${d.id ?? ''}` === cardRef,
    );
    expect(card?.type?.coding?.[0]?.code).toBe('AIModelCard');
    expect(Buffer.from(card?.content[0]?.attachment.data ?? '', 'base64').toString('utf8')).toContain(
      '## Limitations',
    );
    expect(card?.content[1]?.attachment.url).toBe(`${PUBLIC_BASE}/api/models/ascvd-pce-10y`);
  });

  it('the Provenance follows AI-Provenance: target, AIAST reason, Device agent, inputs and model card as entities', () => {
    const prov = ofType<Provenance>('Provenance')[0];
    const ra = ofType<RiskAssessment>('RiskAssessment')[0];
    expect(prov?.target[0]?.reference).toBe(`RiskAssessment/${ra?.id ?? ''}`);
    expect(prov?.reason?.[0]?.coding?.[0]?.code).toBe('AIAST');
    expect(prov?.agent[0]?.role?.[0]?.coding?.[0]?.code).toBe('Artificial-Intelligence');
    expect(prov?.agent[0]?.who.reference).toMatch(/^Device\/augur-ascvd-pce-10y-/);
    expect(prov?.entity?.filter((e) => e.role === 'derivation').map((e) => e.what.reference)).toEqual([
      expect.stringMatching(/^DocumentReference\//),
    ]);
    expect(prov?.entity?.filter((e) => e.role === 'source').length).toBe(ra?.basis?.length);
  });

  it('every resource, and the Bundle, passes the FHIR server’s $validate', async () => {
    const all = [
      bundle,
      ...(bundle.entry ?? []).flatMap((e) => (e.resource === undefined ? [] : [e.resource])),
    ];
    expect(all.length).toBe(9);
    for (const resource of all) {
      const res = await request(fhir.origin)
        .post(`/fhir/${resource.resourceType}/$validate`)
        .set('Authorization', `Bearer ${TOKEN}`)
        .set('Content-Type', 'application/fhir+json')
        .send(JSON.stringify(resource))
        .expect(200);
      const errors = (res.body as OperationOutcome).issue.filter(
        (i) => i.severity === 'error' || i.severity === 'fatal',
      );
      expect(errors, `${resource.resourceType}/${resource.id ?? ''}`).toEqual([]);
    }
  });

  it('$validate is not vacuous: a RiskAssessment without subject is refused', async () => {
    const ra = { ...ofType<RiskAssessment>('RiskAssessment')[0], subject: undefined };
    const res = await request(fhir.origin)
      .post('/fhir/RiskAssessment/$validate')
      .set('Authorization', `Bearer ${TOKEN}`)
      .set('Content-Type', 'application/fhir+json')
      .send(JSON.stringify(ra));
    const issues = (res.body as OperationOutcome).issue;
    expect(issues.some((i) => i.severity === 'error')).toBe(true);
  });

  it('same capability rules as the JSON form: patient required, another patient 404, audited', async () => {
    await request(t.app).get(`/api/results/${resultId}/fhir`).expect(400);
    await request(t.app).get(`/api/results/${resultId}/fhir?patient=someone-else`).expect(404);
    const audit = await t.store.readAudit({ type: 'result-read' });
    expect(audit.slice(-2).map((a) => [a.status, a.patientRef])).toEqual([
      [200, 'Patient/fr-high'],
      [404, 'Patient/fr-high'],
    ]);
  });
});

describe('site switch fhirResults.systemActions', () => {
  it('off by default: the hook response has no systemActions', async () => {
    const res = await request(t.app)
      .post(PATH)
      .set('Authorization', `Bearer ${await t.token(PATH)}`)
      .send(aPatientViewRequest({ patientId: patient.id, prefetch: prefetchOf(patient, []) }))
      .expect(200);
    expect((res.body as { systemActions?: unknown }).systemActions).toBeUndefined();
  });

  it('on: each RiskAssessment comes as a create systemAction that passes $validate', async () => {
    const models = await builtInModels();
    const on = await startServiceApp((deps) => [cardiovascularService(deps)], {
      now: () => NOW,
      file: { fhirResults: { systemActions: true } },
      systemActions: (config) => systemActionsFor(config, models),
    });
    try {
      const res = await request(on.app)
        .post(PATH)
        .set('Authorization', `Bearer ${await on.token(PATH)}`)
        .send(aPatientViewRequest({ patientId: patient.id, prefetch: prefetchOf(patient, []) }))
        .expect(200);
      const actions = (res.body as { systemActions: { type: string; resource: RiskAssessment }[] })
        .systemActions;
      expect(
        actions.map((a) => [a.type, a.resource.resourceType, a.resource.method?.coding?.[0]?.code]),
      ).toEqual([
        ['create', 'RiskAssessment', 'ascvd-pce-10y'],
        ['create', 'RiskAssessment', 'prevent-10y'],
      ]);
      const first = actions[0]?.resource;
      expect(first?.id).toBeUndefined();
      expect(first?.performer?.reference).toBeUndefined();
      expect(first?.performer?.display).toMatch(/Pooled Cohort Equations/);
      for (const a of actions) {
        const v = await request(fhir.origin)
          .post('/fhir/RiskAssessment/$validate')
          .set('Authorization', `Bearer ${TOKEN}`)
          .set('Content-Type', 'application/fhir+json')
          .send(JSON.stringify(a.resource))
          .expect(200);
        expect((v.body as OperationOutcome).issue.filter((i) => i.severity === 'error')).toEqual([]);
      }
    } finally {
      await on.close();
    }
  });
});
