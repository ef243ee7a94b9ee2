/**
 * A known path called with a method it does not answer is 405 with an `Allow` header and an
 * OperationOutcome (RFC 9110 §15.5.6), not 404 "No route" — for every route in the table, through the
 * real app (CDS Hooks routes, model API, results API, testing API). Unknown paths stay 404.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_METHODS } from '../../src/http/method-not-allowed.js';
import { modelsRouter } from '../../src/models/api.js';
import { smartRouters } from '../../src/smart/index.js';
import { MemoryRateLimiter } from '../../src/auth/rate-limit.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { builtInModels } from '../support/services.js';
import { testLogger } from '../support/logs.js';

let t: TestApp;
beforeAll(async () => {
  const models = await builtInModels();
  const limiter = new MemoryRateLimiter();
  t = await startTestApp({
    routers: (config, store) => [
      modelsRouter(models, { limiter, perIpPerMinute: 600 }),
      ...smartRouters({ config, store, limiter, models, log: testLogger() }),
    ],
  });
});
afterAll(() => t.close());

const concrete = (path: string): string => path.replace(/:[A-Za-z]+/g, 'x');
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;

describe('405 Method Not Allowed', () => {
  for (const route of ROUTE_METHODS) {
    for (const method of METHODS.filter((m) => !(route.methods as readonly string[]).includes(m))) {
      it(`${method} ${route.path} → 405, Allow: ${route.methods.join(', ')}…`, async () => {
        const res = await request(t.app)[method.toLowerCase() as 'get'](concrete(route.path)).expect(405);
        const allow = String(res.headers['allow']);
        for (const m of route.methods) expect(allow.split(', ')).toContain(m);
        expect(allow.split(', ')).not.toContain(method);
        expect(res.headers['content-type']).toMatch(/application\/fhir\+json/);
        expect(res.body).toMatchObject({
          resourceType: 'OperationOutcome',
          issue: [{ severity: 'error', code: 'not-supported' }],
        });
      });
    }
  }

  it('GET routes also answer HEAD (not 405)', async () => {
    await request(t.app).head('/cds-services').expect(200);
  });

  it('every route in the table really exists: its own method is not 404 or 405', async () => {
    for (const route of ROUTE_METHODS) {
      for (const method of route.methods) {
        const res = await request(t.app)[method.toLowerCase() as 'get'](concrete(route.path));
        expect(res.status, `${method} ${route.path}`).not.toBe(405);
        expect(JSON.stringify(res.body), `${method} ${route.path}`).not.toMatch(/No route/);
      }
    }
  });

  it('an unknown path is still 404 with an OperationOutcome', async () => {
    const res = await request(t.app).get('/no/such/path').expect(404);
    expect((res.body as { resourceType: string }).resourceType).toBe('OperationOutcome');
  });
});
