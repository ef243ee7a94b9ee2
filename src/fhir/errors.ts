/**
 * Typed failures of outbound FHIR calls. Messages are fixed phrases plus a status code: never a URL,
 * a query, a token or anything from the response body, because they reach logs and OperationOutcomes.
 */
import { fhirFailures } from '../monitoring/metrics.js';

export type FhirFetchErrorKind =
  | 'timeout'
  | 'too-large'
  | 'redirect'
  | 'foreign-link'
  | 'http'
  | 'invalid-json'
  | 'not-a-bundle'
  | 'malformed-bundle'
  | 'network';

const PHRASES: Record<FhirFetchErrorKind, string> = {
  timeout: 'FHIR request aborted at the deadline',
  'too-large': 'FHIR response exceeded the size limit',
  redirect: 'FHIR server answered with a redirect (not followed)',
  'foreign-link': 'FHIR URL is not under the FHIR server base (not requested)',
  http: 'FHIR server answered with an error status',
  'invalid-json': 'FHIR response is not a JSON FHIR resource',
  'not-a-bundle': 'FHIR search did not return a Bundle',
  'malformed-bundle': 'FHIR search returned a malformed Bundle (entries or links unreadable)',
  network: 'FHIR server could not be reached',
};

export class FhirFetchError extends Error {
  readonly kind: FhirFetchErrorKind;
  /** The FHIR server's HTTP status, when it answered. */
  readonly status: number | undefined;

  constructor(kind: FhirFetchErrorKind, status?: number) {
    super(status === undefined ? PHRASES[kind] : `${PHRASES[kind]} (${status})`);
    this.name = 'FhirFetchError';
    this.kind = kind;
    // Every FhirFetchError is a failed fetch (created only to be thrown): counted once, here.
    fhirFailures.inc({ kind });
    this.status = status;
  }
}
