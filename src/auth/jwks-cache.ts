/**
 * JWKS per configured URL: fetched at start-up (warm), cached, refetched when stale, and refetched on an
 * unknown `kid` at most once per issuer per interval, so a flood of tokens with made-up kids cannot make
 * Augur hammer the EHR. With no usable key the caller fails closed (401, never 5xx).
 */
import type { JWK } from 'jose';
import type { Logger } from 'pino';
import { AuthError } from './types.js';
import type { FetchJwks } from './jwks-fetch.js';

export interface JwksCacheOptions {
  fetchJwks: FetchJwks;
  /** Milliseconds since the epoch. */
  now: () => number;
  log: Logger;
  /** How long a fetched JWKS is used without refetching (default 10 min). */
  ttlMs?: number;
  /**
   * How long past its TTL a JWKS is still served when refetching fails (default 1 h). Bounded on
   * purpose: during an EHR outage this keeps calls working, but a key the EHR revoked stays trusted
   * for at most this long, and after it every call fails closed.
   */
  maxStaleMs?: number;
  /** At most one unknown-kid refetch per issuer per this interval (default 30 s). */
  unknownKidIntervalMs?: number;
  /** After a failed fetch, requests do not retry that URL for this long (default 5 s): a down EHR is not hammered. */
  failureBackoffMs?: number;
}

interface Entry {
  keys: readonly JWK[];
  fetchedAt: number;
}

export class JwksCache {
  readonly #entries = new Map<string, Entry>();
  readonly #inflight = new Map<string, Promise<Entry | undefined>>();
  readonly #failedAt = new Map<string, number>();
  /** By issuer: configured issuers only (unknown ones are refused before any key lookup), so bounded. */
  readonly #kidRefetchAt = new Map<string, number>();
  readonly #o: Required<JwksCacheOptions>;

  constructor(options: JwksCacheOptions) {
    this.#o = {
      ttlMs: 10 * 60_000,
      maxStaleMs: 60 * 60_000,
      unknownKidIntervalMs: 30_000,
      failureBackoffMs: 5_000,
      ...options,
    };
  }

  /** The keys published at `url`; throws {@link AuthError} when there are none to use. */
  async keys(url: string): Promise<readonly JWK[]> {
    const entry = this.#entries.get(url);
    if (entry !== undefined && this.#o.now() - entry.fetchedAt < this.#o.ttlMs) return entry.keys;
    const fresh = await this.#fetch(url, false);
    if (fresh !== undefined) return fresh.keys;
    if (entry !== undefined && this.#o.now() - entry.fetchedAt < this.#o.ttlMs + this.#o.maxStaleMs) {
      return entry.keys;
    }
    throw new AuthError('jwks unavailable');
  }

  /**
   * Refetches `url` because `iss` used a kid it does not publish (yet: the EHR may have rotated keys).
   * Returns undefined when the issuer's refetch budget is spent or the fetch failed.
   */
  async refetchForUnknownKid(url: string, iss: string): Promise<readonly JWK[] | undefined> {
    const inflight = this.#inflight.get(url);
    if (inflight !== undefined) return (await inflight)?.keys;
    const now = this.#o.now();
    const last = this.#kidRefetchAt.get(iss);
    if (last !== undefined && now - last < this.#o.unknownKidIntervalMs) return undefined;
    this.#kidRefetchAt.set(iss, now);
    return (await this.#fetch(url, true))?.keys;
  }

  /** Fetches every URL once. Never throws: failures are logged with the host only. */
  async warm(urls: Iterable<string>): Promise<void> {
    await Promise.all([...new Set(urls)].map((url) => this.#fetch(url, true)));
  }

  /** Concurrent callers share one fetch per URL. Never rejects. */
  #fetch(url: string, ignoreBackoff: boolean): Promise<Entry | undefined> {
    const inflight = this.#inflight.get(url);
    if (inflight !== undefined) return inflight;
    const failedAt = this.#failedAt.get(url);
    if (!ignoreBackoff && failedAt !== undefined && this.#o.now() - failedAt < this.#o.failureBackoffMs) {
      return Promise.resolve(undefined);
    }
    // Promise.resolve().then: a fetcher that throws synchronously still lands in .catch.
    const work = Promise.resolve()
      .then(() => this.#o.fetchJwks(url))
      .then((doc) => {
        const entry = { keys: parseJwks(doc), fetchedAt: this.#o.now() };
        this.#entries.set(url, entry);
        this.#failedAt.delete(url);
        return entry;
      })
      .catch((err: unknown) => {
        this.#failedAt.set(url, this.#o.now());
        const errorType = err instanceof Error ? err.name : typeof err;
        this.#o.log.warn({ host: hostOf(url), reason: 'jwks fetch failed', errorType }, 'jwks fetch failed');
        return undefined;
      })
      .finally(() => this.#inflight.delete(url));
    this.#inflight.set(url, work);
    return work;
  }
}

/**
 * The usable public signing keys of a JWKS document. Keys without a kid are dropped (Augur requires
 * kid), as are symmetric keys and anything carrying private material. Throws on a malformed document.
 */
export function parseJwks(doc: unknown): readonly JWK[] {
  if (!isObject(doc) || !Array.isArray(doc.keys)) throw new Error('not a JWKS');
  return (doc.keys as unknown[]).filter(isUsablePublicJwk);
}

function isUsablePublicJwk(key: unknown): key is JWK {
  if (!isObject(key) || typeof key.kid !== 'string' || key.kid === '') return false;
  if (key.kty !== 'RSA' && key.kty !== 'EC' && key.kty !== 'OKP') return false;
  if ('d' in key) return false;
  return key.use === undefined || key.use === 'sig';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid-url';
  }
}
