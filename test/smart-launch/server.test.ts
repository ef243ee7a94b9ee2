/**
 * Augur's side of the side app, through HTTP: the built app's headers (CSP, caching, framing), the
 * launch settings in config.json, and the results API's capability checks, audit and rate limit.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../../src/auth/rate-limit.js';
import { saveResult, type ResultPayload } from '../../src/cards/result.js';
import { smartRouters } from '../../src/smart/index.js';
import type { ModelRegistry } from '../../src/models/types.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { builtInModels } from '../support/services.js';
import { testLogger } from '../support/logs.js';
import { testAppDir } from './harness.js';

const SMART_APP = {
  clientId: 'augur-prod',
  issuers: [
    {
      iss: 'https://ehr.example.org/fhir/r4',
      name: 'Example EHR',
      connectOrigins: ['https://auth.example.org'],
    },
    { iss: 'http://127.0.0.1:9/fhir' },
  ],
  resultsPerIpPerMinute: 5,
};

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self' http://127.0.0.1:9 https://auth.example.org https://ehr.example.org; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

let models: ModelRegistry;
let clock = new Date('2026-11-22T12:00:00Z');

async function appWith(smartApp: Record<string, unknown>, appDir = testAppDir()): Promise<TestApp> {
  return startTestApp({
    services: [],
    file: { smartApp, modelSettings: { 'kfre-region': 'other' } },
    routers: (config, store) =>
      smartRouters({
        config,
        store,
        limiter: new MemoryRateLimiter({ now: () => clock.getTime() }),
        models,
        log: testLogger(),
        now: () => clock,
        appDir,
      }),
  });
}

let t: TestApp;
beforeAll(async () => {
  models = await builtInModels();
  t = await appWith(SMART_APP);
});
afterAll(async () => {
  await t.close();
});

describe('the built app at /smart-launch/', () => {
  it('serves launch.html and index.html with the CSP, no-referrer, nosniff, no-store and no framing', async () => {
    for (const page of ['launch.html', 'index.html']) {
      const res = await request(t.app).get(`/smart-launch/${page}`).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['content-security-policy']).toBe(CSP);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('serves hashed assets as immutable', async () => {
    const html = readFileSync(join(testAppDir(), 'launch.html'), 'utf8');
    const script = /src="(\/smart-launch\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const res = await request(t.app)
      .get(script ?? '')
      .expect(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('lets only the configured EHR origins frame the app', async () => {
    const framed = await appWith({ ...SMART_APP, frameAncestors: ['https://ehr.example.org'] });
    try {
      const res = await request(framed.app).get('/smart-launch/index.html').expect(200);
      expect(res.headers['content-security-policy']).toContain('; frame-ancestors https://ehr.example.org;');
      expect(res.headers['x-frame-options']).toBeUndefined();
    } finally {
      await framed.close();
    }
  });

  it('serves nothing outside the build (traversal, dotfiles, unknown files: 404)', async () => {
    for (const path of [
      '/smart-launch/..%2F..%2Fpackage.json',
      '/smart-launch/.env',
      '/smart-launch/nope.html',
    ]) {
      const res = await request(t.app).get(path);
      expect(res.status).toBe(404);
    }
  });

  it('says the app is not built (503) instead of serving nothing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'augur-unbuilt-'));
    const unbuilt = await appWith(SMART_APP, empty);
    try {
      const res = await request(unbuilt.app).get('/smart-launch/launch.html').expect(503);
      expect(JSON.stringify(res.body)).toContain('npm run build:app');
    } finally {
      await unbuilt.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('GET /smart-launch/config.json', () => {
  it('publishes the client id, the scopes the models need, the issuer allowlist and the model settings', async () => {
    const res = await request(t.app).get('/smart-launch/config.json').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const read =
      'openid fhirUser patient/Condition.rs patient/Medication.rs patient/MedicationRequest.rs ' +
      'patient/MedicationStatement.rs patient/Observation.rs patient/Patient.rs';
    expect(res.body).toEqual({
      clientId: 'augur-prod',
      ehrScopes: `launch ${read}`,
      standaloneScopes: `launch/patient ${read}`,
      redirectPath: 'index.html',
      issuers: [
        { iss: 'https://ehr.example.org/fhir/r4', name: 'Example EHR' },
        { iss: 'http://127.0.0.1:9/fhir', name: '127.0.0.1:9' },
      ],
      modelSettings: { 'kfre-region': 'other' },
    });
  });
});

describe('GET /api/results/:id', () => {
  const payload: ResultPayload = {
    version: 1,
    serviceId: 'svc',
    computedAt: '2026-11-22T11:00:00Z',
    runs: [],
  };
  let id: string;
  let other: TestApp;

  beforeAll(async () => {
    other = await appWith(SMART_APP);
    id = await saveResult(other.store, { patientRef: 'Patient/p1', payload }, clock, 3_600_000);
  });
  afterAll(async () => {
    await other.close();
  });

  it('returns the stored payload for the launch patient, uncached, and audits the read', async () => {
    const res = await request(other.app).get(`/api/results/${id}?patient=p1`).expect(200);
    expect(res.body).toEqual(payload);
    expect(res.headers['cache-control']).toBe('no-store');
    const audit = await other.store.readAudit({ type: 'result-read' });
    expect(audit.at(-1)).toMatchObject({
      type: 'result-read',
      action: 'R',
      outcome: '0',
      status: 200,
      patientRef: 'Patient/p1',
      serviceId: 'svc',
      requestId: res.headers['x-request-id'],
    });
  });

  it('answers the same 404 for another patient, an unknown id and an expired one (each audited as a failure)', async () => {
    const before = (await other.store.readAudit({ type: 'result-read' })).length;
    const wrongPatient = await request(other.app).get(`/api/results/${id}?patient=p2`).expect(404);
    const unknown = await request(other.app)
      .get(`/api/results/AAAAAAAAAAAAAAAAAAAAAA?patient=p1`)
      .expect(404);
    const malformed = await request(other.app).get(`/api/results/not-an-id?patient=p1`).expect(404);
    clock = new Date(clock.getTime() + 3_600_001);
    const expired = await request(other.app).get(`/api/results/${id}?patient=p1`).expect(404);
    clock = new Date('2026-11-22T12:00:00Z');
    expect(unknown.body).toEqual(wrongPatient.body);
    expect(malformed.body).toEqual(wrongPatient.body);
    expect(expired.body).toEqual(wrongPatient.body);
    const audit = (await other.store.readAudit({ type: 'result-read' })).slice(before);
    expect(audit.map((a) => [a.outcome, a.status, a.patientRef])).toEqual([
      ['4', 404, 'Patient/p1'], // a real id naming another patient: recorded against the result's patient
      ['4', 404, undefined],
      ['4', 404, undefined],
      ['4', 404, undefined],
    ]);
  });

  it('requires the launch patient (400)', async () => {
    await request(other.app).get(`/api/results/${id}`).expect(400);
    await request(other.app)
      .get(`/api/results/${id}?patient=${encodeURIComponent('p1/../p2')}`)
      .expect(400);
  });

  it('limits reads per client IP (429 with Retry-After)', async () => {
    const limited = await appWith({ ...SMART_APP, resultsPerIpPerMinute: 2 });
    try {
      const statuses: number[] = [];
      let retryAfter: string | undefined;
      for (let i = 0; i < 3; i++) {
        const res = await request(limited.app).get(`/api/results/AAAAAAAAAAAAAAAAAAAAAA?patient=p1`);
        statuses.push(res.status);
        retryAfter ??= res.headers['retry-after'];
      }
      expect(statuses).toEqual([404, 404, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    } finally {
      await limited.close();
    }
  });
});
