/** The session the UI renders from (see index.ts). */
import type { Patient } from 'fhir/r4.js';
import type { ResultPayload } from '../../../src/cards/result.js';

export interface AugurSession {
  patientId: string;
  /** The launch patient, read with the app's token while starting the session (proves the token works). */
  patient: Patient;
  /** appContext from the token response (opaque result id), if the EHR passed it through. */
  resultId?: string;
  /** GET a FHIR URL relative to the server base with the app's token (fhirclient client.request);
   *  follows paging when `pageLimit` is given (fhirclient option). Absolute URLs and `next` links must
   *  stay under the launch server's base. Rejects with LaunchError 'expired' (401) or 'unreachable'. */
  fhir<T = unknown>(url: string, options?: { pageLimit?: number; flat?: boolean }): Promise<T>;
  /** Augur's origin-relative API base, e.g. '' (same origin as the app). */
  augurBase: string;
  /** The stored result behind the card (`GET /api/results/:id?patient=`), or undefined when there is no
   *  resultId or it is unknown/expired (404) — then rebuild everything from the launch context. */
  result(): Promise<ResultPayload | undefined>;
}
