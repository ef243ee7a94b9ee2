/**
 * Behind a load balancer every call arrives from the balancer's address. With `trustProxy` naming the
 * balancer, per-IP limits count each client (from X-Forwarded-For); without it, X-Forwarded-For is
 * ignored, so a client cannot choose its own address.
 */
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { validateFileConfig } from '../../src/config/load.js';
import { startTestApp, type TestApp } from '../support/app.js';

const PATH = '/cds-services/test-patient-view';
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Failed authentications from `client` (as the balancer reports it) until the throttle answers. */
const fail = (app: TestApp, client: string) =>
  request(app.app).post(PATH).set('X-Forwarded-For', client).send({});

describe('trustProxy', () => {
  it('counts failed authentications per forwarded client when the balancer is trusted', async () => {
    t = await startTestApp({
      file: { trustProxy: ['loopback'], limits: { unauthenticatedPerIpPerMinute: 2 } },
    });
    for (let i = 0; i < 3; i++) await fail(t, '203.0.113.7').expect(401);
    await fail(t, '203.0.113.7').expect(429);
    // Another clinic behind the same balancer is not throttled for the first one's failures.
    await fail(t, '198.51.100.4').expect(401);
  });

  it('ignores X-Forwarded-For when no proxy is trusted (the default)', async () => {
    t = await startTestApp({ file: { limits: { unauthenticatedPerIpPerMinute: 2 } } });
    for (let i = 0; i < 3; i++) await fail(t, '203.0.113.7').expect(401);
    await fail(t, '198.51.100.4').expect(429);
  });

  it('refuses entries that are not addresses, CIDRs or named ranges', () => {
    for (const ok of [['10.0.0.0/8'], ['::1'], ['loopback', '192.168.1.10'], ['fd00::/8']])
      expect(() => validateFileConfig({ trustProxy: ok }, 'x')).not.toThrow();
    for (const bad of [['*'], ['10.0.0.0/33'], ['balancer.internal'], ['10.0.0.1/8/2'], ['']])
      expect(() => validateFileConfig({ trustProxy: bad }, 'x')).toThrow(/trustProxy/);
  });
});
