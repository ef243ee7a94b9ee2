/**
 * /metrics through real traffic: hook calls, cards by card id and indicator, an override with its
 * reason, the suppression it causes, a FHIR fetch failure, model evaluations and explanation time;
 * the endpoint's bearer-token protection; store timing on a real store. Metrics are process-wide
 * counters, so every assertion is on the change across the traffic this test drives.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Card } from '../../src/cds/types.js';
import { cardiovascularService } from '../../src/services/cardiovascular/service.js';
import { metricsRegistry } from '../../src/monitoring/metrics.js';
import { metricsRouter } from '../../src/monitoring/routes.js';
import { timedStore } from '../../src/monitoring/store-timing.js';
import { startServiceApp, type ServiceApp } from '../support/services.js';
import { aPatientViewRequest } from '../support/hook-requests.js';
import { aCvPatient, NOW } from '../services/cardiovascular/builders.js';
import { PATH, withPrefetch } from '../services/cardiovascular/harness.js';

const TOKEN = 'metrics-token-0123456789abcdef0123456789';
let t: ServiceApp;

/** The current value of a counter (or a histogram's _count) for exactly these labels. */
async function value(name: string, labels: Record<string, string>): Promise<number> {
  const metric = metricsRegistry.getSingleMetric(name.replace(/_count$/, ''));
  if (metric === undefined) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const match = values.find(
    (v) =>
      (v as { metricName?: string }).metricName ===
        (name.endsWith('_count') ? name : (v as { metricName?: string }).metricName) &&
      Object.entries(labels).every(([k, l]) => String(v.labels[k]) === l) &&
      Object.keys(v.labels).filter((k) => k !== 'le').length === Object.keys(labels).length,
  );
  return match?.value ?? 0;
}

async function deltaOf(
  names: [string, Record<string, string>][],
  traffic: () => Promise<void>,
): Promise<number[]> {
  const before = await Promise.all(names.map(([n, l]) => value(n, l)));
  await traffic();
  const after = await Promise.all(names.map(([n, l]) => value(n, l)));
  return after.map((a, i) => a - (before[i] ?? 0));
}

beforeAll(async () => {
  t = await startServiceApp((deps) => [cardiovascularService(deps)], {
    now: () => NOW,
    routers: (_config, store) => metricsRouter({ token: TOKEN, store, now: () => NOW }),
    client: { fhirServers: ['http://127.0.0.1:9/fhir'] },
  });
});
afterAll(() => t.close());

const SERVICE = 'augur-cardiovascular-risk';
const patient = aCvPatient({ id: 'm-1', age: 60, race: 'white', sbp: 140, bpTreated: true });

describe('GET /metrics after real traffic', () => {
  it('counts calls, cards, the override and its reason, the suppression, evaluations and explanation time', async () => {
    let card: Card | undefined;
    const deltas = await deltaOf(
      [
        ['augur_hook_calls_total', { service: SERVICE, status: '200' }],
        ['augur_hook_duration_seconds_count', { service: SERVICE }],
        ['augur_cards_total', { service: SERVICE, card: 'cv-risk', indicator: 'warning' }],
        ['augur_feedback_total', { service: SERVICE, card: 'cv-risk', outcome: 'overridden' }],
        ['augur_feedback_override_reasons_total', { card: 'cv-risk', reason: 'patient-declines' }],
        ['augur_cards_suppressed_total', { service: SERVICE, reason: 'overridden' }],
        ['augur_model_evaluations_total', { model: 'ascvd-pce-10y' }],
        ['augur_explanation_duration_seconds_count', { model: 'ascvd-pce-10y' }],
      ],
      async () => {
        [card] = await withPrefetch(t, patient); // shown
        const path = `${PATH}/feedback`;
        await request(t.app)
          .post(path)
          .set('Authorization', `Bearer ${await t.token(path)}`)
          .send({
            feedback: [
              {
                card: card?.uuid,
                outcome: 'overridden',
                overrideReason: { reason: card?.overrideReasons?.find((r) => r.code === 'patient-declines') },
                outcomeTimestamp: NOW.toISOString(),
              },
            ],
          })
          .expect(200);
        expect(await withPrefetch(t, patient)).toEqual([]); // suppressed
      },
    );
    expect(card?.indicator).toBe('warning');
    // 2 hook calls (the feedback call is not a hook call), 1 card, 1 override with its reason, 1 suppression,
    // PCE evaluated and explained on both calls.
    expect(deltas).toEqual([2, 2, 1, 1, 1, 1, 2, 2]);
  });

  it('counts a FHIR fetch failure by kind (port 9 on loopback: nothing listens)', async () => {
    const [failures] = await deltaOf([['augur_fhir_fetch_failures_total', { kind: 'network' }]], async () => {
      await request(t.app)
        .post(PATH)
        .set('Authorization', `Bearer ${await t.token(PATH)}`)
        .send(
          aPatientViewRequest({ patientId: 'm-2', fhirServer: 'http://127.0.0.1:9/fhir', accessToken: 'x' }),
        );
    });
    expect(failures).toBeGreaterThanOrEqual(1);
  });

  it('is protected by the bearer token and serves the Prometheus text format', async () => {
    await request(t.app).get('/metrics').expect(401);
    await request(t.app).get('/metrics').set('Authorization', 'Bearer wrong').expect(401);
    const res = await request(t.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(
      /augur_cards_total\{service="augur-cardiovascular-risk",card="cv-risk",indicator="warning"\} \d+/,
    );
    expect(res.text).not.toMatch(/m-1|Patient\//); // aggregates only
  });

  it('is off (404) when no token is configured', () => {
    expect(metricsRouter({ token: undefined, store: t.store })).toEqual([]);
  });

  it('serves acceptance and override rates per card per day from the store (token-protected)', async () => {
    await request(t.app).get('/api/monitoring/card-rates').expect(401);
    await request(t.app)
      .get('/api/monitoring/card-rates?days=0')
      .set('Authorization', `Bearer ${TOKEN}`)
      .expect(400);
    // A second patient: shown, then accepted-free and override-free, so the day's cv-risk row has 2 shown, 1 overridden.
    await withPrefetch(t, aCvPatient({ id: 'm-3', age: 60, race: 'white', sbp: 140, bpTreated: true }));
    const res = await request(t.app)
      .get('/api/monitoring/card-rates?days=7')
      .set('Authorization', `Bearer ${TOKEN}`)
      .expect(200);
    const rows = (res.body as { rows: Record<string, unknown>[] }).rows;
    expect(rows).toEqual([
      {
        day: NOW.toISOString().slice(0, 10),
        serviceId: SERVICE,
        cardId: 'cv-risk',
        shown: 2,
        accepted: 0,
        overridden: 1,
        acceptanceRate: 0,
        overrideRate: 0.5,
      },
    ]);
    expect(JSON.stringify(res.body)).not.toMatch(/m-1|m-3|Patient\//);
  });

  it('times store operations by name', async () => {
    const store = timedStore(t.store);
    const [count] = await deltaOf(
      [['augur_store_duration_seconds_count', { operation: 'ping' }]],
      async () => {
        expect(await store.ping()).toBe(true);
      },
    );
    expect(count).toBe(1);
  });
});
