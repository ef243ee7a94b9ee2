/** Rate limiting: in-memory and Redis limiters, the per-IP failure throttle and the per-issuer/tenant check. */
import express, { type ErrorRequestHandler } from 'express';
import type { Redis } from 'ioredis';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkIssuerRate,
  MemoryRateLimiter,
  RedisRateLimiter,
  type RateLimiter,
} from '../../src/auth/rate-limit.js';
import type { VerifiedCaller } from '../../src/auth/types.js';
import { FailureThrottle } from '../../src/auth/failure-throttle.js';
import { HttpError } from '../../src/http/errors.js';
import { testLogger } from '../support/logs.js';
import { cleanupRedis, connectRedis, deadRedis, testPrefix } from './redis.js';

/** 10 s into a clock minute: a window ends 50 s later. */
const MINUTE_START = 28_000_000 * 60_000;
let redis: Redis;
const prefix = testPrefix('rate');
beforeAll(() => {
  redis = connectRedis();
});
afterAll(async () => {
  await cleanupRedis(redis, prefix);
});

const limiters: [string, (clock: { ms: number }) => RateLimiter][] = [
  ['memory', (clock) => new MemoryRateLimiter({ now: () => clock.ms })],
  [
    'redis',
    (clock) =>
      new RedisRateLimiter(redis, { prefix: `${prefix}${crypto.randomUUID()}:`, now: () => clock.ms }),
  ],
];

describe.each(limiters)('%s limiter', (_name, make) => {
  it('allows up to the limit, then refuses until the window ends', async () => {
    const clock = { ms: MINUTE_START + 10_000 };
    const limiter = make(clock);
    for (let i = 0; i < 3; i++)
      expect(await limiter.hit('k', 3)).toEqual({ allowed: true, retryAfterSeconds: 0 });
    expect(await limiter.hit('k', 3)).toEqual({ allowed: false, retryAfterSeconds: 50 });
    clock.ms += 49_500;
    expect(await limiter.hit('k', 3)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    clock.ms += 500;
    expect(await limiter.hit('k', 3)).toEqual({ allowed: true, retryAfterSeconds: 0 });
    await limiter.close();
  });

  it('counts keys independently', async () => {
    const clock = { ms: MINUTE_START };
    const limiter = make(clock);
    expect((await limiter.hit('a', 1)).allowed).toBe(true);
    expect((await limiter.hit('a', 1)).allowed).toBe(false);
    expect((await limiter.hit('b', 1)).allowed).toBe(true);
  });

  it('100 parallel hits against a limit of 60: exactly 60 allowed', async () => {
    const limiter = make({ ms: MINUTE_START });
    const results = await Promise.all(Array.from({ length: 100 }, () => limiter.hit('burst', 60)));
    expect(results.filter((r) => r.allowed)).toHaveLength(60);
  });
});

describe('limiter failure modes', () => {
  it('memory: when the key table is full, new keys are refused (bounded memory)', async () => {
    const limiter = new MemoryRateLimiter({ maxKeys: 2, now: () => MINUTE_START });
    expect((await limiter.hit('a', 10)).allowed).toBe(true);
    expect((await limiter.hit('b', 10)).allowed).toBe(true);
    expect(await limiter.hit('c', 10)).toEqual({ allowed: false, retryAfterSeconds: 60 });
    expect((await limiter.hit('a', 10)).allowed).toBe(true);
  });

  it('redis: sets an expiry on its counters', async () => {
    const p = `${prefix}ttl:`;
    await new RedisRateLimiter(redis, { prefix: p, now: () => MINUTE_START }).hit('k', 5);
    expect(await redis.ttl(`${p}${MINUTE_START / 60_000}:k`)).toBeGreaterThan(50);
  });

  it('redis unreachable: throttles (fails closed) with Retry-After 1', async () => {
    const dead = deadRedis();
    const limiter = new RedisRateLimiter(dead, { prefix, log: testLogger() });
    expect(await limiter.hit('k', 10)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    dead.disconnect();
  });
});

const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  const e = err instanceof HttpError ? err : new HttpError(500, { code: 'exception', diagnostics: 'error' });
  res.status(e.status).set(e.headers).json(e.outcome);
};

describe('FailureThrottle (per-IP limit on failed authentication)', () => {
  it('lets requests through until an IP exceeds its failures, then answers 429 with Retry-After', async () => {
    const clock = { ms: MINUTE_START };
    const throttle = new FailureThrottle(new MemoryRateLimiter({ now: () => clock.ms }), 2, () => clock.ms);
    const app = express();
    app.post('/cds-services/x', throttle.guard, (req, res) => {
      void throttle.failed(req.ip).then(() => res.status(401).end());
    });
    app.use(errorHandler);
    for (let i = 0; i < 3; i++) await request(app).post('/cds-services/x').expect(401);
    const res = await request(app).post('/cds-services/x').expect(429);
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(res.body).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'throttled', diagnostics: 'Too many requests' }],
    });
    clock.ms += retryAfter * 1000 - 1000;
    await request(app).post('/cds-services/x').expect(429); // still inside the window
    clock.ms += 1000;
    await request(app).post('/cds-services/x').expect(401); // the window has ended
  });
});

describe('checkIssuerRate', () => {
  const caller = (iss: string, tenant?: string): VerifiedCaller => ({
    iss,
    jti: 'j',
    client: {
      iss,
      jku: [],
      algorithms: ['ES384'],
      fhirServers: [],
      refetchNullPrefetch: false,
      trace: false,
      jwksUrl: 'https://x.example/jwks',
    },
    ...(tenant === undefined ? {} : { tenant }),
  });

  it('throws 429 with Retry-After for a noisy tenant, leaving other tenants and issuers unaffected', async () => {
    const limiter = new MemoryRateLimiter({ now: () => MINUTE_START + 30_000 });
    await checkIssuerRate(limiter, caller('https://a.example', 't1'), 1);
    const err: unknown = await checkIssuerRate(limiter, caller('https://a.example', 't1'), 1).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(429);
    expect((err as HttpError).headers).toEqual({ 'Retry-After': '30' });
    expect((err as HttpError).outcome.issue[0]?.code).toBe('throttled');
    await expect(checkIssuerRate(limiter, caller('https://a.example', 't2'), 1)).resolves.toBeUndefined();
    await expect(checkIssuerRate(limiter, caller('https://a.example'), 1)).resolves.toBeUndefined();
    await expect(checkIssuerRate(limiter, caller('https://b.example', 't1'), 1)).resolves.toBeUndefined();
  });
});
