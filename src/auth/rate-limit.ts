/**
 * Fixed-window rate limiting (one window per clock minute): per client IP before any JWT work, and per
 * issuer+tenant after authentication, so one noisy tenant cannot starve the others.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { HttpError } from '../http/errors.js';
import { withTimeout } from './redis-timeout.js';
import type { VerifiedCaller } from './types.js';

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the current window ends (0 when allowed). */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Counts one request for `key` and says whether it is within `limitPerMinute`. */
  hit(key: string, limitPerMinute: number): Promise<RateDecision>;
  close(): Promise<void>;
}

const WINDOW_MS = 60_000;

function decide(count: number, limit: number, nowMs: number): RateDecision {
  if (count <= limit) return { allowed: true, retryAfterSeconds: 0 };
  const windowEnd = (Math.floor(nowMs / WINDOW_MS) + 1) * WINDOW_MS;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - nowMs) / 1000)) };
}

export interface MemoryRateLimiterOptions {
  /** Distinct keys per window (default 100 000); further new keys are refused until the window ends. */
  maxKeys?: number;
  /** Milliseconds since the epoch (default `Date.now`). */
  now?: () => number;
}

/** A single-process limiter. Counters are dropped wholesale when the minute changes, so memory is bounded. */
export class MemoryRateLimiter implements RateLimiter {
  #window = -1;
  #counts = new Map<string, number>();
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor(options: MemoryRateLimiterOptions = {}) {
    this.#maxKeys = options.maxKeys ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  hit(key: string, limitPerMinute: number): Promise<RateDecision> {
    const now = this.#now();
    const window = Math.floor(now / WINDOW_MS);
    if (window !== this.#window) {
      this.#window = window;
      this.#counts = new Map();
    }
    const previous = this.#counts.get(key);
    // Fail closed when full: a flood of distinct keys (e.g. spoofed IPv6 addresses) is throttled, not tracked.
    if (previous === undefined && this.#counts.size >= this.#maxKeys)
      return Promise.resolve(decide(Infinity, 0, now));
    const count = (previous ?? 0) + 1;
    this.#counts.set(key, count);
    return Promise.resolve(decide(count, limitPerMinute, now));
  }

  close(): Promise<void> {
    this.#counts.clear();
    return Promise.resolve();
  }
}

export interface RedisRateLimiterOptions {
  /** Key prefix (default `augur:rate:`); tests use a random one. */
  prefix?: string;
  /** Per-command bound (default 500 ms). */
  timeoutMs?: number;
  /** Quit the client on close() (default false: the app owns a shared client). */
  ownsClient?: boolean;
  /** Where Redis failures are reported (error type only). */
  log?: Logger;
  now?: () => number;
}

/**
 * A limiter shared by every replica: `MULTI INCR key; EXPIRE key 60`. When Redis cannot answer, the
 * request is throttled (Retry-After 1), the same fail-closed choice as the replay cache.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly #redis: Redis;
  readonly #o: Required<Omit<RedisRateLimiterOptions, 'log'>> & { log?: Logger };

  constructor(redis: Redis, options: RedisRateLimiterOptions = {}) {
    this.#redis = redis;
    this.#o = { prefix: 'augur:rate:', timeoutMs: 500, ownsClient: false, now: Date.now, ...options };
  }

  async hit(key: string, limitPerMinute: number): Promise<RateDecision> {
    const now = this.#o.now();
    const redisKey = `${this.#o.prefix}${Math.floor(now / WINDOW_MS)}:${key}`;
    try {
      const exec = this.#redis.multi().incr(redisKey).expire(redisKey, 60).exec();
      const replies = await withTimeout(exec, this.#o.timeoutMs, 'rate limiter');
      const [incrError, count] = replies?.[0] ?? [new Error('transaction aborted'), null];
      if (incrError !== null || typeof count !== 'number') throw incrError ?? new Error('bad INCR reply');
      return decide(count, limitPerMinute, now);
    } catch (err) {
      this.#o.log?.warn(
        { reason: 'rate limiter unavailable', errorType: errorType(err) },
        'rate limiter failed',
      );
      return { allowed: false, retryAfterSeconds: 1 };
    }
  }

  async close(): Promise<void> {
    if (this.#o.ownsClient) await this.#redis.quit();
  }
}

function errorType(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
}

/** The one 429: an OperationOutcome and a Retry-After of at least one second. */
export function throttled(retryAfterSeconds: number): HttpError {
  return new HttpError(
    429,
    { code: 'throttled', diagnostics: 'Too many requests' },
    { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  );
}

/** Throws a 429 with Retry-After when the caller's issuer+tenant is over `perMinute`. */
export async function checkIssuerRate(
  limiter: RateLimiter,
  caller: VerifiedCaller,
  perMinute: number,
): Promise<void> {
  const d = await limiter.hit(`iss:${caller.iss}\n${caller.tenant ?? ''}`, perMinute);
  if (!d.allowed) throw throttled(d.retryAfterSeconds);
}
