/** jti replay through the authenticator, with the in-memory and the Redis replay caches. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { MemoryReplayCache, RedisReplayCache, type ReplayCache } from '../../src/auth/replay-cache.js';
import { expectRejected, harness, nowSeconds, OTHER_SERVICE_URL, SERVICE_URL } from './fixture.js';
import { cleanupRedis, connectRedis, deadRedis, hungRedis, testPrefix } from './redis.js';

let redis: Redis;
const prefix = testPrefix('jwt-replay');
beforeAll(() => {
  redis = connectRedis();
});
afterAll(async () => {
  await cleanupRedis(redis, prefix);
});

const caches: [string, () => ReplayCache][] = [
  ['memory', () => new MemoryReplayCache()],
  ['redis', () => new RedisReplayCache(redis, { prefix })],
];

describe.each(caches)('replay (%s cache)', (_name, makeCache) => {
  it('refuses the second use of a token', async () => {
    const h = await harness({ replayCache: makeCache() });
    const token = await h.ehr.sign({ aud: SERVICE_URL });
    await expect(h.auth.authenticate(h.bearer(token), SERVICE_URL)).resolves.toBeDefined();
    await expectRejected(h.auth.authenticate(h.bearer(token), SERVICE_URL), /jti replayed/, token);
    await h.close();
  });

  it('100 parallel replays: exactly one success, 99 identical 401s', async () => {
    const h = await harness({ replayCache: makeCache() });
    const token = await h.ehr.sign({ aud: SERVICE_URL });
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () => h.auth.authenticate(h.bearer(token), SERVICE_URL)),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(1);
    for (const r of results)
      if (r.status === 'rejected') await expectRejected(Promise.reject(r.reason as Error), /jti replayed/);
    await h.close();
  });

  it('a token refused for another reason does not use up its jti', async () => {
    const h = await harness({ replayCache: makeCache() });
    const jti = crypto.randomUUID();
    const wrongAud = await h.ehr.sign({ aud: OTHER_SERVICE_URL, jti });
    await expectRejected(h.auth.authenticate(h.bearer(wrongAud), SERVICE_URL), /aud mismatch/);
    const right = await h.ehr.sign({ aud: SERVICE_URL, jti });
    await expect(h.auth.authenticate(h.bearer(right), SERVICE_URL)).resolves.toMatchObject({ jti });
    await h.close();
  });

  it('the same jti from two issuers does not collide', async () => {
    const cache = makeCache();
    const a = await harness({ replayCache: cache });
    const b = await harness({ replayCache: cache });
    const jti = crypto.randomUUID();
    await expect(
      a.auth.authenticate(a.bearer(await a.ehr.sign({ aud: SERVICE_URL, jti })), SERVICE_URL),
    ).resolves.toBeDefined();
    await expect(
      b.auth.authenticate(b.bearer(await b.ehr.sign({ aud: SERVICE_URL, jti })), SERVICE_URL),
    ).resolves.toBeDefined();
    await a.ehr.stop();
    await b.close();
  });
});

describe('replay cache outages fail closed', () => {
  it('keeps the jti in Redis until exp + skew', async () => {
    const h = await harness({ replayCache: new RedisReplayCache(redis, { prefix }) });
    const jti = crypto.randomUUID();
    const exp = nowSeconds() + 200;
    await h.auth.authenticate(h.bearer(await h.ehr.sign({ aud: SERVICE_URL, jti, exp })), SERVICE_URL);
    const ttl = await redis.ttl(`${prefix}${h.ehr.iss}\n${jti}`);
    expect(ttl).toBeGreaterThanOrEqual(255);
    expect(ttl).toBeLessThanOrEqual(261);
    await h.close();
  });

  it('Redis unreachable: 401, never a 5xx', async () => {
    const dead = deadRedis();
    const h = await harness({ replayCache: new RedisReplayCache(dead, { prefix }) });
    await expectRejected(
      h.auth.authenticate(h.bearer(await h.ehr.sign({ aud: SERVICE_URL })), SERVICE_URL),
      /replay cache unavailable/,
    );
    dead.disconnect();
    await h.close();
  });

  it('Redis hanging: 401 within the command timeout', async () => {
    const hung = await hungRedis();
    const h = await harness({ replayCache: new RedisReplayCache(hung.redis, { prefix, timeoutMs: 100 }) });
    await expectRejected(
      h.auth.authenticate(h.bearer(await h.ehr.sign({ aud: SERVICE_URL })), SERVICE_URL),
      /replay cache unavailable/,
    );
    await h.close();
    await hung.close();
  });

  it('in-memory cache full: 401', async () => {
    const h = await harness({ replayCache: new MemoryReplayCache({ maxEntries: 1 }) });
    await expect(
      h.auth.authenticate(h.bearer(await h.ehr.sign({ aud: SERVICE_URL })), SERVICE_URL),
    ).resolves.toBeDefined();
    await expectRejected(
      h.auth.authenticate(h.bearer(await h.ehr.sign({ aud: SERVICE_URL })), SERVICE_URL),
      /replay cache unavailable/,
    );
    await h.close();
  });
});
