/**
 * Fetching a configured JWKS URL. Only URLs from the trusted-client configuration ever reach this
 * function (the token cannot name a URL of its own), and it still refuses redirects, bounds the time
 * and the size, so a misbehaving EHR endpoint cannot stall or exhaust the service.
 */

import { readCapped } from '../http/response-body.js';

/** Fetches one JWKS document and returns its parsed JSON (shape checked by the caller). */
export type FetchJwks = (url: string) => Promise<unknown>;

export interface JwksFetcherOptions {
  /** Whole-request deadline (default 3 000 ms). */
  timeoutMs?: number;
  /** Largest body accepted (default 256 KiB). */
  maxBytes?: number;
}

/** Builds a {@link FetchJwks} on global fetch: no redirects, a deadline and a size cap. */
export function createJwksFetcher(options: JwksFetcherOptions = {}): FetchJwks {
  const timeoutMs = options.timeoutMs ?? 3000;
  const maxBytes = options.maxBytes ?? 256 * 1024;
  return async (url) => {
    const signal = AbortSignal.timeout(timeoutMs);
    const res = await fetch(url, { redirect: 'error', signal, headers: { accept: 'application/json' } });
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`JWKS endpoint answered ${res.status}`);
    }
    const text = await readCapped(res, maxBytes, () => new Error('JWKS too large'));
    return JSON.parse(text) as unknown;
  };
}

/** The fetcher used when none is injected. */
export const defaultFetchJwks: FetchJwks = createJwksFetcher();
