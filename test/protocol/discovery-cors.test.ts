import request from 'supertest';
import { once } from 'node:events';
import { Agent, createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

const SANDBOX = 'https://sandbox.cds-hooks.org';
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ file: { cors: { origins: [SANDBOX] } } });
});
afterAll(() => t.close());

describe('discovery', () => {
  it('lists every registered service with hook, id, title, description, prefetch, hookVersion and version', async () => {
    const res = await request(t.app).get('/cds-services').expect(200);
    const ids = (res.body as { services: { id: string }[] }).services.map((s) => s.id);
    expect(ids).toEqual(['test-patient-view', 'test-order-select', 'test-order-sign', 'test-broken-card']);
    expect((res.body as { services: unknown[] }).services[0]).toEqual({
      hook: 'patient-view',
      id: 'test-patient-view',
      title: 'Protocol test (patient-view)',
      description: 'Test-only service: reports what prefetch it received.',
      prefetch: {
        patient: 'Patient/{{context.patientId}}',
        conditions: 'Condition?patient={{context.patientId}}',
      },
      hookVersion: '1.0',
      version: '2.0.1',
    });
  });

  it('omits empty optional fields (no empty prefetch object)', async () => {
    const res = await request(t.app).get('/cds-services').expect(200);
    const sign = (res.body as { services: Record<string, unknown>[] }).services.find(
      (s) => s['id'] === 'test-order-sign',
    );
    expect(sign).not.toHaveProperty('prefetch');
  });

  it('leaves out services a site switched off', async () => {
    const off = await startTestApp({ file: { services: { 'test-order-sign': { enabled: false } } } });
    try {
      const res = await request(off.app).get('/cds-services').expect(200);
      expect(JSON.stringify(res.body)).not.toContain('test-order-sign');
      await request(off.app)
        .post('/cds-services/test-order-sign')
        .set('Authorization', `Bearer ${await off.token('/cds-services/test-order-sign')}`)
        .send({})
        .expect(404);
    } finally {
      await off.close();
    }
  });
});

describe('CORS', () => {
  for (const path of [
    '/cds-services',
    '/cds-services/test-patient-view',
    '/cds-services/test-patient-view/feedback',
  ]) {
    it(`answers the preflight for ${path} from an allowed origin`, async () => {
      const res = await request(t.app)
        .options(path)
        .set('Origin', SANDBOX)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type, authorization')
        .expect(204);
      expect(res.headers['access-control-allow-origin']).toBe(SANDBOX);
      expect(res.headers['access-control-allow-methods']).toBe('GET, POST, DELETE, OPTIONS');
      expect(res.headers['access-control-allow-headers']).toBe('Content-Type, Authorization');
    });
  }

  it('grants nothing to an origin that is not on the list', async () => {
    const res = await request(t.app)
      .options('/cds-services')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const get = await request(t.app).get('/cds-services').set('Origin', 'https://evil.example').expect(200);
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('adds the allow-origin header to actual responses, errors included', async () => {
    const res = await request(t.app)
      .post('/cds-services/test-patient-view')
      .set('Origin', SANDBOX)
      .send({})
      .expect(401);
    expect(res.headers['access-control-allow-origin']).toBe(SANDBOX);
  });

  it('allows any origin only when configured so', async () => {
    const open = await startTestApp({ file: { cors: { allowAnyOrigin: true } } });
    try {
      const res = await request(open.app)
        .get('/cds-services')
        .set('Origin', 'https://anything.example')
        .expect(200);
      expect(res.headers['access-control-allow-origin']).toBe('*');
    } finally {
      await open.close();
    }
  });
});

describe('health and readiness', () => {
  it('healthz is 200 and readyz follows readiness', async () => {
    await request(t.app).get('/healthz').expect(200);
    await request(t.app).get('/readyz').expect(200);
    t.readiness.drain();
    const res = await request(t.app).get('/readyz').expect(503);
    expect((res.body as { resourceType: string }).resourceType).toBe('OperationOutcome');
  });

  it('while draining, every answer closes its connection (keep-alive clients reconnect elsewhere)', async () => {
    const fresh = await startTestApp();
    const server = createServer(fresh.app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const agent = new Agent({ keepAlive: true });
    const connectionHeader = (): Promise<string | undefined> =>
      new Promise((resolve, reject) => {
        get({ host: '127.0.0.1', port, path: '/healthz', agent }, (res) => {
          res.resume();
          res.on('end', () => {
            resolve(res.headers.connection);
          });
        }).on('error', reject);
      });
    try {
      expect(await connectionHeader()).toBe('keep-alive');
      fresh.readiness.drain();
      expect(await connectionHeader()).toBe('close');
    } finally {
      agent.destroy();
      server.close();
      await fresh.close();
    }
  });
});

describe('per-IP throttle for failed authentication', () => {
  it('answers 429 with Retry-After before any JWT work once an IP exceeds its failures', async () => {
    const small = await startTestApp({ file: { limits: { unauthenticatedPerIpPerMinute: 3 } } });
    try {
      for (let i = 0; i < 3; i++)
        await request(small.app).post('/cds-services/test-patient-view').send({}).expect(401);
      await request(small.app).post('/cds-services/test-patient-view').send({}).expect(401); // the 4th failure is counted…
      const res = await request(small.app)
        .post('/cds-services/test-patient-view')
        .set('Authorization', `Bearer ${await small.token('/cds-services/test-patient-view')}`)
        .send({})
        .expect(429); // …and from then on even a valid token is not looked at
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect((res.body as { resourceType: string }).resourceType).toBe('OperationOutcome');
    } finally {
      await small.close();
    }
  });
});
