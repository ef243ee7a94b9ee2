/**
 * May Augur call this `fhirServer` for this caller? The EHR's bearer token goes wherever the request
 * says, so the base URL must be on the calling issuer's allowlist (SSRF guard), and plain http only
 * when the site allowed it for local testing. Unauthenticated (loopback-only) callers may name
 * loopback servers only.
 */
import type { VerifiedCaller } from '../auth/types.js';
import { HttpError } from '../http/errors.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const normalise = (url: string): string => url.replace(/\/+$/, '');

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
    if (!LOOPBACK.has(url.hostname)) refuse('unauthenticated calls may only name a loopback FHIR server');
    return;
  }
  if (url.protocol === 'http:' && !allowInsecure) refuse('plain-http FHIR servers are refused');
  const allowed = caller.client.fhirServers.map(normalise);
  if (!allowed.includes(normalise(fhirServer))) refuse('not an allowed FHIR server for this client');
}
