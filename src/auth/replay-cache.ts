/**
 * `jti` replay protection. A token's `jti` is claimed once, after every other check passed, and kept
 * until the token could no longer be accepted (exp + clock skew). Both implementations fail closed:
 * when they cannot answer, `claim` rejects and the caller refuses the token.
 */
import type { Redis } from 'ioredis';
import { withTimeout } from './redis-timeout.js';

export interface ReplayCache {
  /** Records `key` for `ttlSeconds`. Resolves true the first time, false for a replay; rejects when unsure. */
  claim(key: string, ttlSeconds: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Thrown when the in-memory cache is full of live entries: refusing is safer than forgetting a jti. */
export class ReplayCacheFullError extends Error {
  constructor() {
    super('replay cache full');
    this.name = 'ReplayCacheFullError';
  }
}

export interface MemoryReplayCacheOptions {
  /** Live entries kept at most (default 100 000). */
  maxEntries?: number;
  /** Milliseconds since the epoch (default `Date.now`). */
  now?: () => number;
}

/** A bounded, single-process replay cache. Use {@link RedisReplayCache} when there are several replicas. */
export class MemoryReplayCache implements ReplayCache {
  readonly #expiresAt = new Map<string, number>();
  readonly #max: number;
  readonly #now: () => number;
  /** Earliest expiry seen by the last sweep: sweeping again before then would free nothing. */
  #nextSweepAt = 0;

  constructor(options: MemoryReplayCacheOptions = {}) {
    this.#max = options.maxEntries ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  claim(key: string, ttlSeconds: number): Promise<boolean> {
    const now = this.#now();
    const existing = this.#expiresAt.get(key);
    if (existing !== undefined && existing > now) return Promise.resolve(false);
    if (existing === undefined && this.#expiresAt.size >= this.#max) {
      this.#sweep(now);
      if (this.#expiresAt.size >= this.#max) return Promise.reject(new ReplayCacheFullError());
    }
    this.#expiresAt.set(key, now + Math.max(1, ttlSeconds) * 1000);
    return Promise.resolve(true);
  }

  /** Number of entries held (expired ones included until the next sweep). */
  get size(): number {
    return this.#expiresAt.size;
  }

  close(): Promise<void> {
    this.#expiresAt.clear();
    return Promise.resolve();
  }

  /** O(n), but at most once per expiry horizon, so a flood against a full cache cannot make every call O(n). */
  #sweep(now: number): void {
    if (now < this.#nextSweepAt) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const [key, expiresAt] of this.#expiresAt) {
      if (expiresAt <= now) this.#expiresAt.delete(key);
      else earliest = Math.min(earliest, expiresAt);
    }
    this.#nextSweepAt = earliest;
  }
}

export interface RedisReplayCacheOptions {
  /** Key prefix (default `augur:jti:`); tests use a random one. */
  prefix?: string;
  /** Per-command bound before failing closed (default 500 ms). */
  timeoutMs?: number;
  /** Quit the client on close() (default false: the app owns a shared client). */
  ownsClient?: boolean;
}

/** A replay cache shared by every replica: `SET key 1 NX EX ttl`, atomic in Redis. */
export class RedisReplayCache implements ReplayCache {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  readonly #ownsClient: boolean;

  constructor(redis: Redis, options: RedisReplayCacheOptions = {}) {
    this.#redis = redis;
    this.#prefix = options.prefix ?? 'augur:jti:';
    this.#timeoutMs = options.timeoutMs ?? 500;
    this.#ownsClient = options.ownsClient ?? false;
  }

  async claim(key: string, ttlSeconds: number): Promise<boolean> {
    const ttl = Math.max(1, Math.ceil(ttlSeconds));
    const set = this.#redis.set(this.#prefix + key, '1', 'EX', ttl, 'NX');
    const reply = await withTimeout(set, this.#timeoutMs, 'replay cache');
    return reply === 'OK';
  }

  async close(): Promise<void> {
    if (this.#ownsClient) await this.#redis.quit();
  }
}
