/** The replay caches themselves: in-memory (bounded, expiring, fail-closed) and Redis (SET NX EX). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { MemoryReplayCache, RedisReplayCache, ReplayCacheFullError } from '../../src/auth/replay-cache.js';
import { cleanupRedis, connectRedis, deadRedis, hungRedis, testPrefix } from './redis.js';

describe('MemoryReplayCache', () => {
  it('answers true the first time and false for a replay', async () => {
    const cache = new MemoryReplayCache();
    expect(await cache.claim('iss\njti-1', 60)).toBe(true);
    expect(await cache.claim('iss\njti-1', 60)).toBe(false);
    expect(await cache.claim('iss\njti-2', 60)).toBe(true);
  });

  it('forgets a key only after its TTL', async () => {
    const clock = { ms: 1_000_000 };
    const cache = new MemoryReplayCache({ now: () => clock.ms });
    expect(await cache.claim('k', 120)).toBe(true);
    clock.ms += 119_000;
    expect(await cache.claim('k', 120)).toBe(false);
    clock.ms += 1_000;
    expect(await cache.claim('k', 120)).toBe(true);
  });

  it('when full of live keys, refuses (fails closed) rather than forgetting one', async () => {
    const clock = { ms: 0 };
    const cache = new MemoryReplayCache({ maxEntries: 3, now: () => clock.ms });
    for (const k of ['a', 'b', 'c']) expect(await cache.claim(k, 60)).toBe(true);
    await expect(cache.claim('d', 60)).rejects.toBeInstanceOf(ReplayCacheFullError);
    expect(await cache.claim('a', 60)).toBe(false); // a known key is still answered
    expect(cache.size).toBe(3);
  });

  it('makes room by evicting expired keys', async () => {
    const clock = { ms: 0 };
    const cache = new MemoryReplayCache({ maxEntries: 3, now: () => clock.ms });
    await cache.claim('short', 10);
    await cache.claim('long-1', 600);
    await cache.claim('long-2', 600);
    await expect(cache.claim('d', 60)).rejects.toBeInstanceOf(ReplayCacheFullError);
    clock.ms += 10_000;
    expect(await cache.claim('d', 60)).toBe(true);
    expect(cache.size).toBe(3);
    await expect(cache.claim('e', 60)).rejects.toBeInstanceOf(ReplayCacheFullError);
  });
});

describe('RedisReplayCache (real Redis)', () => {
  let redis: Redis;
  const prefix = testPrefix('jti');
  beforeAll(() => {
    redis = connectRedis();
  });
  afterAll(async () => {
    await cleanupRedis(redis, prefix);
  });

  it('answers true the first time and false for a replay, with the TTL set in Redis', async () => {
    const cache = new RedisReplayCache(redis, { prefix });
    expect(await cache.claim('https://ehr.example\njti-1', 90)).toBe(true);
    expect(await cache.claim('https://ehr.example\njti-1', 90)).toBe(false);
    const ttl = await redis.ttl(`${prefix}https://ehr.example\njti-1`);
    expect(ttl).toBeGreaterThan(85);
    expect(ttl).toBeLessThanOrEqual(90);
    await cache.close();
    expect(redis.status).toBe('ready'); // a shared client is not closed by the cache
  });

  it('uses the augur:jti: prefix by default', async () => {
    const cache = new RedisReplayCache(redis);
    const key = `${prefix}default\n${crypto.randomUUID()}`;
    expect(await cache.claim(key, 5)).toBe(true);
    expect(await redis.exists(`augur:jti:${key}`)).toBe(1);
    await redis.del(`augur:jti:${key}`);
  });

  it('100 parallel claims of one key: exactly one wins', async () => {
    const cache = new RedisReplayCache(redis, { prefix });
    const results = await Promise.all(Array.from({ length: 100 }, () => cache.claim('iss\nparallel', 60)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('fails closed (rejects) when Redis is unreachable', async () => {
    const dead = deadRedis();
    const cache = new RedisReplayCache(dead, { prefix, ownsClient: true });
    await expect(cache.claim('iss\nx', 60)).rejects.toThrow();
    dead.disconnect();
  });

  it('fails closed (rejects) when Redis hangs, within its timeout', async () => {
    const hung = await hungRedis();
    const cache = new RedisReplayCache(hung.redis, { prefix, timeoutMs: 100 });
    await expect(cache.claim('iss\nx', 60)).rejects.toThrow(/replay cache timed out after 100 ms/);
    await hung.close();
  });
});
