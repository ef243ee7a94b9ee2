/**
 * Augur's one outbound HTTP client for FHIR servers.
 *
 * Why not fhirclient (`smart-on-fhir/client-js` 2.6, chosen for the SMART side app)?
 * Its server-side client was checked against what a CDS service calling an EHR's FHIR server needs:
 * - Paging: `request(url, { pageLimit })` follows `Bundle.link[next]` to whatever absolute URL the server
 *   names and attaches the `Authorization` header to every request, so a hostile or misconfigured
 *   server can send the EHR's bearer token to another host. We need same-origin, under-base only.
 * - Size: bodies are read with `response.text()` / `json()`, with no byte cap: a 5 GB answer is
 *   buffered. We need to count bytes while streaming and abort over the limit.
 * - Redirects: it calls `fetch` with the default `redirect: "follow"`; we want every 3xx to be an error.
 * - Deadline: an `AbortSignal` can be passed, so that part would work.
 * - Its model is a SMART app session (state storage, token refresh, launch context), not a token handed
 *   to us per hook call; errors carry the request URL (with the query, which can hold PHI).
 * So Augur uses global `fetch` (undici) directly in ~150 lines: `redirect: "manual"`, the request's
 * deadline signal, a streamed size cap, and a token that only goes to URLs under the base.
 */
import type { FhirResource } from 'fhir/r4.js';
import type { Logger } from 'pino';
import type { Limits } from '../config/schema.js';
import { readCapped } from '../http/response-body.js';
import { readBundle, type Unreadable } from '../fhir-read/index.js';
import { FhirFetchError } from './errors.js';
import { isUnderBase, parseBaseUrl, relativeQuery, resolveUrl } from './urls.js';

/** One outbound request, for the audit trail: the relative query, never the response. */
export interface FhirRequestEvent {
  query: string;
  status?: number;
  outcome: 'ok' | 'error';
}

export interface FhirClientOptions {
  /** The `fhirServer` of the hook request, already checked against the issuer's allowlist. */
  baseUrl: string;
  /** `fhirAuthorization.access_token`; sent only to URLs under `baseUrl`. */
  accessToken?: string;
  /** The whole-request deadline: aborts every fetch still running. */
  deadline: AbortSignal;
  limits: Pick<Limits, 'fhirResponseBytes' | 'prefetchBundleEntries'>;
  onRequest: (e: FhirRequestEvent) => void;
  log: Logger;
}

export interface SearchResult {
  resources: FhirResource[];
  /** False when `maxPages` was reached and the server still offered a `next` page. */
  complete: boolean;
  /** Entry resources the boundary reader refused, with why. */
  unreadable: Unreadable[];
}

export interface FhirClient {
  /** The normalised base URL (no trailing slash). */
  readonly baseUrl: string;
  /** GETs one resource or Bundle. Relative URLs resolve under the base; absolute ones must be under it. */
  get(url: string): Promise<FhirResource>;
  /**
   * GETs a searchset and follows `next` links (under the base only) for at most `maxPages` pages in
   * all. Throws `foreign-link` rather than follow a link elsewhere.
   */
  searchAll(url: string, maxPages: number): Promise<SearchResult>;
}

export function createFhirClient(opts: FhirClientOptions): FhirClient {
  const base = parseBaseUrl(opts.baseUrl);
  const get = (url: string): Promise<FhirResource> => fetchResource(opts, base, url);
  return {
    baseUrl: base.toString().replace(/\/$/, ''),
    get,
    searchAll: (url, maxPages) => searchAll(get, opts.limits.prefetchBundleEntries, url, maxPages),
  };
}

async function searchAll(
  get: (url: string) => Promise<FhirResource>,
  maxEntries: number,
  url: string,
  maxPages: number,
): Promise<SearchResult> {
  const resources: FhirResource[] = [];
  const unreadable: Unreadable[] = [];
  let next: string | undefined = url;
  for (let page = 0; page < maxPages && next !== undefined; page++) {
    const bundle = await get(next);
    if (bundle.resourceType !== 'Bundle') throw new FhirFetchError('not-a-bundle');
    const read = readBundle(bundle);
    if (!read.ok) throw new FhirFetchError('malformed-bundle');
    resources.push(...read.read.resources);
    unreadable.push(...read.read.unreadable);
    if (resources.length + unreadable.length > maxEntries) throw new FhirFetchError('too-large');
    next = read.read.next;
  }
  return { resources, complete: next === undefined, unreadable };
}

async function fetchResource(opts: FhirClientOptions, base: URL, url: string): Promise<FhirResource> {
  const target = resolveUrl(base, url);
  // Refused before any I/O: nothing leaves for a host or path the EHR did not name as its FHIR base.
  if (!isUnderBase(base, target)) throw new FhirFetchError('foreign-link');
  const query = relativeQuery(base, target);
  const started = performance.now();
  let status: number | undefined;
  try {
    const response = await fetch(target, {
      method: 'GET',
      redirect: 'manual',
      signal: opts.deadline,
      headers: headers(opts.accessToken),
    });
    status = response.status;
    const resource = await parseResponse(response, opts.limits.fhirResponseBytes);
    report(opts, base, { query, status, outcome: 'ok' }, started);
    return resource;
  } catch (err) {
    const error = classify(err, opts.deadline);
    report(
      opts,
      base,
      { query, ...(status === undefined ? {} : { status }), outcome: 'error' },
      started,
      error.kind,
    );
    throw error;
  }
}

function headers(accessToken: string | undefined): Record<string, string> {
  const h: Record<string, string> = { accept: 'application/fhir+json' };
  if (accessToken !== undefined && accessToken !== '') h.authorization = `Bearer ${accessToken}`;
  return h;
}

async function parseResponse(response: Response, maxBytes: number): Promise<FhirResource> {
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    await response.body?.cancel().catch(() => undefined);
    throw new FhirFetchError('redirect', response.status);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new FhirFetchError('http', response.status);
  }
  const text = await readCapped(response, maxBytes, () => new FhirFetchError('too-large'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new FhirFetchError('invalid-json', response.status);
  }
  const rt = (parsed as { resourceType?: unknown } | null)?.resourceType;
  if (typeof parsed !== 'object' || Array.isArray(parsed) || typeof rt !== 'string') {
    throw new FhirFetchError('invalid-json', response.status);
  }
  return parsed as FhirResource;
}

function classify(err: unknown, deadline: AbortSignal): FhirFetchError {
  if (err instanceof FhirFetchError) return err;
  // An abort surfaces as an AbortError/TimeoutError from fetch or from the body stream.
  if (deadline.aborted) return new FhirFetchError('timeout');
  return new FhirFetchError('network');
}

function report(
  opts: FhirClientOptions,
  base: URL,
  e: FhirRequestEvent,
  started: number,
  reason?: string,
): void {
  opts.onRequest(e);
  opts.log.debug(
    {
      component: 'fhir-client',
      fhirHost: base.host,
      durationMs: Math.round(performance.now() - started),
      ...(e.status === undefined ? {} : { status: e.status }),
      ...(reason === undefined ? {} : { reason }),
    },
    e.outcome === 'ok' ? 'fhir request' : 'fhir request failed',
  );
}
