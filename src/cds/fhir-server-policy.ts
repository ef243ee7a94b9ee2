/**
 * May Augur call this `fhirServer` for this caller? The EHR's bearer token goes wherever the request
 * says, so the base URL must be on the calling issuer's allowlist (SSRF guard), and plain http only
 * when the site allowed it for local testing. `http://localhost:8080/fhir` matches a listed
 * `http://127.0.0.1:8080/fhir` (same loopback listener). Unauthenticated (loopback-only) callers may name
 * loopback servers only.
 */
import type { VerifiedCaller } from '../auth/types.js';
import { HttpError } from '../http/errors.js';
import { canonicalServerUrl, isLoopbackHost } from '../config/public-urls.js';

export function checkFhirServer(fhirServer: string, caller: VerifiedCaller, allowInsecure: boolean): void {
  const url = new URL(fhirServer);
  const refuse = (why: string): never => {
    throw new HttpError(412, {
      code: 'security',
      diagnostics: `fhirServer: ${why}`,
      expression: 'fhirServer',
    });
  };
  if (url.username !== '' || url.password !== '') refuse('credentials in the URL are not accepted');
  if (caller.unauthenticated === true) {
    if (!isLoopbackHost(url.hostname)) refuse('unauthenticated calls may only name a loopback FHIR server');
    return;
  }
  if (url.protocol === 'http:' && !allowInsecure) refuse('plain-http FHIR servers are refused');
  // On loopback, localhost / 127.0.0.1 / [::1] are one server; elsewhere the base must match exactly.
  const allowed = caller.client.fhirServers.map(canonicalServerUrl);
  if (!allowed.includes(canonicalServerUrl(fhirServer))) refuse('not an allowed FHIR server for this client');
}
