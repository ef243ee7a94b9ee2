/**
 * The trace over HTTP, against the real FHIR server holding panel patients and the real app: off by
 * default, off without the header, on with both; its content (prefetch origin, models in and out of
 * population with their inputs, band, cards shown / suppressed by feedback / switched off / not needed);
 * and no PHI from it in the logs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FhirServer } from '../support/fhir-server.js';
import type { ServiceApp } from '../support/services.js';
import { LOG_DIR } from '../support/logs.js';
import { callPatientView, NOW, startTraceApp, startTraceFhir, TOKEN } from './world.js';
import type { Trace } from '../../src/trace/types.js';
import { aPatientViewRequest } from '../support/hook-requests.js';

const CV = 'augur-cardiovascular-risk';
const PATIENTS = [
  'augur-cv-high',
  'augur-cv-too-young',
  'augur-cv-intermediate',
  'augur-kfre-referral',
  'augur-cv-calculated-ldl',
  'augur-cv-no-tg',
];

let fhir: FhirServer;
beforeAll(async () => {
  fhir = await startTraceFhir(PATIENTS);
}, 60_000);
afterAll(async () => {
  await fhir.stop();
});

describe('who gets the trace', () => {
  let off: ServiceApp;
  let on: ServiceApp;
  beforeAll(async () => {
    off = await startTraceApp(fhir);
    on = await startTraceApp(fhir, { client: { trace: true } });
  });
  afterAll(async () => {
    await off.close();
    await on.close();
  });

  it('is off by default (client without trace: true), even with the header', async () => {
    expect(off.config.clients[0]?.trace).toBe(false);
    const c = await callPatientView(off, fhir, CV, 'augur-cv-high');
    expect(c.status).toBe(200);
    expect(c.body.cards.length).toBe(1);
    expect(c.body.extension).toBeUndefined();
  });

  it('is off without the Augur-Trace header, even for a client enabled for it', async () => {
    const c = await callPatientView(on, fhir, CV, 'augur-cv-high', { header: false });
    expect(c.status).toBe(200);
    expect(c.body.cards.length).toBe(1);
    expect(c.body.extension).toBeUndefined();
  });

  it('is off for any header value other than 1', async () => {
    const path = `/cds-services/${CV}`;
    const res = await request(on.app)
      .post(path)
      .set('Authorization', `Bearer ${await on.token(path)}`)
      .set('Augur-Trace', 'true')
      .send(aPatientViewRequest({ patientId: 'augur-cv-high', fhirServer: fhir.baseUrl, accessToken: TOKEN }))
      .expect(200);
    expect((res.body as { extension?: unknown }).extension).toBeUndefined();
  });

  it('is on with both, and the cards are the same as without it', async () => {
    const plain = await callPatientView(on, fhir, CV, 'augur-cv-intermediate', { header: false });
    const traced = await callPatientView(on, fhir, CV, 'augur-cv-intermediate');
    expect(traced.trace).toBeDefined();
    const strip = (b: typeof plain.body) =>
      b.cards.map((c) => ({ summary: c.summary, indicator: c.indicator, detail: c.detail }));
    expect(strip(traced.body)).toEqual(strip(plain.body));
  });

  it('shows a model in population: inputs with value, unit, date, source and flags, the band, the card shown', async () => {
    const { body, trace } = await callPatientView(on, fhir, CV, 'augur-cv-high');
    const t = trace as Trace;
    expect(t.service).toBe(CV);
    expect(t.hook).toBe('patient-view');
    const pce = t.models.find((m) => m.model.startsWith('ascvd-pce-10y@'));
    expect(pce).toMatchObject({ population: 'in', status: 'ok', band: 'high' });
    const sbp = pce?.inputs.find((i) => i.name === 'systolic_bp_mm_hg');
    expect(sbp).toMatchObject({ unit: 'mm[Hg]', flags: [] });
    expect(typeof sbp?.value).toBe('number');
    expect(sbp?.source).toMatch(/^Observation\//);
    expect(sbp?.date).toMatch(/^\d{4}-\d{2}-\d{2}/);
    expect(Object.keys(pce?.outputs ?? {}).length).toBeGreaterThan(0);
    const shown = t.cards.filter((c) => c.decision === 'shown');
    // PCE high and LDL-C 70–189 at 65: the statin rule's card, with the draft order.
    expect(shown).toEqual([
      expect.objectContaining({ card: 'cv-statin-suggestion', uuid: body.cards[0]?.uuid }),
    ]);
    expect(shown[0]?.key).toBe('cv-risk:pce=high;statin=high');
    const age = pce?.inputs.find((i) => i.name === 'age_years');
    expect(age).toMatchObject({ value: 65, source: 'Patient/augur-cv-high' });
    expect(pce?.inputs.find((i) => i.name === 'diabetes')).toMatchObject({ value: false, flags: [] });
  });

  it('shows a patient out of population: why, no inputs, no card', async () => {
    const { body, trace } = await callPatientView(on, fhir, CV, 'augur-cv-too-young');
    expect(body.cards).toEqual([]);
    const t = trace as Trace;
    expect(t.models.length).toBeGreaterThan(0);
    for (const m of t.models) {
      expect(m).toMatchObject({ population: 'out', status: 'not-applicable', inputs: [] });
      expect(m.reason).toMatch(/age/i);
    }
    expect(t.cards).toEqual([{ decision: 'not-needed', reason: 'out of population for every model' }]);
  });

  it('says which prefetch keys came from the EHR and which Augur fetched', async () => {
    const { trace } = await callPatientView(on, fhir, CV, 'augur-cv-high', { keys: ['patient'] });
    const t = trace as Trace;
    const byKey = Object.fromEntries(t.prefetch.map((p) => [p.key, p]));
    expect(byKey['patient']).toMatchObject({ source: 'ehr', state: 'resource', sentByEhr: true });
    const others = t.prefetch.filter((p) => p.key !== 'patient');
    expect(others.length).toBeGreaterThan(0);
    for (const p of others) expect(p).toMatchObject({ source: 'fetched', sentByEhr: false });
    expect(fhir.requests.some((r) => r.url.startsWith('/fhir/Condition?patient=augur-cv-high'))).toBe(true);

    const all = await callPatientView(on, fhir, CV, 'augur-cv-high');
    for (const p of (all.trace as Trace).prefetch) expect(p.source).toBe('ehr');
  });

  it('says a key is unavailable and why', async () => {
    // Only the patient prefetched and no fhirServer: Augur cannot fetch the rest.
    const path = `/cds-services/${CV}`;
    const res = await request(on.app)
      .post(path)
      .set('Authorization', `Bearer ${await on.token(path)}`)
      .set('Augur-Trace', '1')
      .send(
        aPatientViewRequest({
          patientId: 'augur-cv-high',
          prefetch: { patient: { resourceType: 'Patient', id: 'augur-cv-high', birthDate: '1960-01-01' } },
        }),
      );
    expect(res.status).toBe(200);
    const t = (res.body as { extension: { 'augur-trace': Trace } }).extension['augur-trace'];
    const conditions = t.prefetch.find((p) => p.key === 'conditions');
    expect(conditions).toEqual({
      key: 'conditions',
      source: 'unavailable',
      state: 'unavailable',
      reason: 'no FHIR server to fetch from',
      sentByEhr: false,
    });
    expect(t.cards).toEqual([
      {
        decision: 'not-needed',
        reason: 'the Condition list (conditions) could not be read whole: known ASCVD cannot be ruled out',
      },
    ]);
  });

  it('never writes the trace to the log', async () => {
    const { trace } = await callPatientView(on, fhir, CV, 'augur-cv-high');
    const t = trace as Trace;
    const sbp = t.models[0]?.inputs.find((i) => i.source !== undefined);
    expect(sbp?.source).toBeDefined();
    const logs = readFileSync(join(LOG_DIR, `worker-${process.pid}.ndjson`), 'utf8');
    expect(logs).not.toContain('augur-trace');
    expect(logs).not.toContain(String(sbp?.source));
  });
});

describe('suppressed and switched-off cards', () => {
  it('a card overridden earlier shows the feedback, the card it was on and until when', async () => {
    const t = await startTraceApp(fhir, { client: { trace: true } });
    try {
      const first = await callPatientView(t, fhir, CV, 'augur-cv-high');
      const card = first.body.cards[0];
      if (card === undefined) throw new Error('no card to override');
      const reason = card.overrideReasons?.[0];
      const path = `/cds-services/${CV}/feedback`;
      await request(t.app)
        .post(path)
        .set('Authorization', `Bearer ${await t.token(path)}`)
        .send({
          feedback: [
            {
              card: card.uuid,
              outcome: 'overridden',
              overrideReason: { reason },
              outcomeTimestamp: NOW.toISOString(),
            },
          ],
        })
        .expect(200);
      const second = await callPatientView(t, fhir, CV, 'augur-cv-high');
      expect(second.body.cards).toEqual([]);
      const suppressed = (second.trace as Trace).cards.filter((c) => c.decision === 'suppressed');
      expect(suppressed).toEqual([
        expect.objectContaining({
          card: 'cv-statin-suggestion',
          key: 'cv-risk:pce=high;statin=high',
          suppressedBy: {
            feedback: 'overridden',
            onCard: card.uuid,
            at: NOW.toISOString(),
            until: new Date(NOW.getTime() + 30 * 86_400_000).toISOString(),
          },
        }),
      ]);
    } finally {
      await t.close();
    }
  });

  it('a card the site switched off says so', async () => {
    const t = await startTraceApp(fhir, {
      client: { trace: true },
      file: { cards: { disabled: ['cv-risk', 'cv-statin-suggestion', 'kfre-risk'] } },
    });
    try {
      const cv = await callPatientView(t, fhir, CV, 'augur-cv-high');
      expect(cv.body.cards).toEqual([]);
      expect((cv.trace as Trace).cards).toContainEqual({
        decision: 'switched-off',
        card: 'cv-risk',
        reason: 'site config cards.disabled lists "cv-risk"',
      });
      const kidney = await callPatientView(t, fhir, 'augur-kidney-risk', 'augur-kfre-referral');
      expect(kidney.body.cards).toEqual([]);
      const k = kidney.trace as Trace;
      expect(k.cards).toEqual([
        {
          decision: 'switched-off',
          card: 'kfre-risk',
          reason: 'site config cards.disabled lists "kfre-risk"',
        },
      ]);
      expect(k.models[0]).toMatchObject({ population: 'in', status: 'ok', band: 'referral' });
    } finally {
      await t.close();
    }
  });
});

describe('LDL-C calculated by Augur in the trace', () => {
  let on: ServiceApp;
  beforeAll(async () => {
    on = await startTraceApp(fhir, { client: { trace: true } });
  });
  afterAll(async () => {
    await on.close();
  });

  it('names the calculated value, its flag and each source result with its date (Sampson/NIH)', async () => {
    const c = await callPatientView(on, fhir, CV, 'augur-cv-calculated-ldl');
    const [ldl] = c.trace?.derivedInputs ?? [];
    expect(ldl?.name).toBe('ldl_cholesterol_mg_dl');
    expect(ldl?.value).toBeCloseTo(168.58, 2);
    expect(ldl?.flags).toContain('derived');
    expect(ldl?.note).toMatch(
      /^calculated by Augur \(Sampson\/NIH\) from total cholesterol 240 mg\/dL \(Observation\/[^,]+, \d{4}-\d{2}-\d{2}\), HDL-C 38 mg\/dL \(Observation\/[^,]+, \d{4}-\d{2}-\d{2}\), triglycerides 180 mg\/dL \(Observation\/[^,]+, \d{4}-\d{2}-\d{2}\)/,
    );
  });

  it('without triglycerides: the trace says what is missing, and one card is shown', async () => {
    const c = await callPatientView(on, fhir, CV, 'augur-cv-no-tg');
    const [ldl] = c.trace?.derivedInputs ?? [];
    expect(ldl?.value).toBeNull();
    expect(ldl?.note).toContain('no LDL-C reported, and no triglycerides on file to calculate it');
    expect(c.body.cards).toHaveLength(1);
    expect(c.trace?.cards.filter((x) => x.decision === 'shown')).toHaveLength(1);
  });
});
