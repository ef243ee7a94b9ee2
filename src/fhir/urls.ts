/** URL rules for the FHIR client: what counts as "under the FHIR base" (the only place a token may go). */

/** Parses and normalises a FHIR base URL: no trailing slash, no credentials, no query or fragment. */
export function parseBaseUrl(baseUrl: string): URL {
  const u = new URL(baseUrl);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('FHIR base must be http(s)');
  if (u.username !== '' || u.password !== '') throw new Error('FHIR base must not carry credentials');
  u.search = '';
  u.hash = '';
  u.pathname = u.pathname.replace(/\/+$/, '');
  return u;
}

/**
 * Resolves a relative FHIR URL (`Patient/1`, `Observation?code=…`) against the base, or returns an
 * absolute one as is. A leading `/` is treated as relative to the base, not to the origin, so a template
 * cannot escape the base path.
 */
export function resolveUrl(base: URL, url: string): URL {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return new URL(url);
  // A base at the server root has pathname "/" (URL keeps it), which must not make "//Type?…" a host.
  return new URL(`${base.pathname.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`, base.origin);
}

/** True when `url` has the base's origin (scheme, host, port) and its path is the base path or below it. */
export function isUnderBase(base: URL, url: URL): boolean {
  if (url.origin !== base.origin || url.username !== '' || url.password !== '') return false;
  const path = base.pathname.replace(/\/+$/, '');
  return url.pathname === base.pathname || url.pathname.startsWith(`${path}/`);
}

/** The part of `url` after the base, for audit records (e.g. `Observation?patient=1`). */
export function relativeQuery(base: URL, url: URL): string {
  return `${url.pathname.slice(base.pathname.length).replace(/^\//, '')}${url.search}`;
}
