/**
 * Fetching a configured JWKS URL. Only URLs from the trusted-client configuration ever reach this
 * function (the token cannot name a URL of its own), and it still refuses redirects, bounds the time
 * and the size, so a misbehaving EHR endpoint cannot stall or exhaust the service.
 */

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
    const text = await readCapped(res, maxBytes);
    return JSON.parse(text) as unknown;
  };
}

/** The fetcher used when none is injected. */
export const defaultFetchJwks: FetchJwks = createJwksFetcher();

async function readCapped(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new Error('JWKS too large');
  }
  if (res.body === null) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  // Content-Length can be absent (chunked) or wrong, so count what actually arrives.
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new Error('JWKS too large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
