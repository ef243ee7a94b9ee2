/**
 * The trace of one hook call: why each card did or did not fire, as data. It holds PHI (input values,
 * dates, resource references): it is never logged or stored, and is sent only to a client the site
 * enabled it for (see README.md).
 */

/** Where one prefetch key's data came from. */
export interface PrefetchTrace {
  key: string;
  /** `ehr`: sent in the request; `fetched`: Augur read it from the FHIR server; `unavailable`: neither. */
  source: 'ehr' | 'fetched' | 'unavailable';
  /** `resource`, `bundle`, `no-data` (null or an empty search), `unavailable`. */
  state: 'resource' | 'bundle' | 'no-data' | 'unavailable';
  /** Why the data is unavailable, or that the EHR sent an OperationOutcome / the fetch failed. */
  reason?: string;
  /** Whether the EHR had sent the key (an unavailable key may still have been sent, e.g. an OperationOutcome). */
  sentByEhr: boolean;
  /** Resources read from a Bundle. */
  entries?: number;
  /** False when pages remained unread or an entry was unreadable. */
  complete?: boolean;
  /** Resources the FHIR boundary reader refused, each with why. */
  unreadable?: { reference: string; problem: string }[];
}

export interface InputTrace {
  name: string;
  value: string | number | boolean | null;
  unit?: string;
  date?: string;
  /** The resource the value came from, e.g. `Observation/123`. */
  source?: string;
  /** e.g. `missing`, `stale`, `unit-unknown`, `uninterpretable`, `defaulted`. */
  flags: string[];
  note?: string;
}

export interface ModelTrace {
  /** `id@version`. */
  model: string;
  population: 'in' | 'out';
  /** `ok`, `not-applicable` (out of population), `insufficient-data`. */
  status: 'ok' | 'not-applicable' | 'insufficient-data';
  /** Why the model is out of population or could not run. */
  reason?: string;
  /** Inputs the model could not run without. */
  missing?: string[];
  inputs: InputTrace[];
  outputs?: Record<string, number>;
  /** The band the service read from the result, when it uses one. */
  band?: string;
}

export type CardDecision = 'shown' | 'suppressed' | 'switched-off' | 'not-needed';

export interface SuppressionTrace {
  /** The feedback that silences the card. */
  feedback: 'overridden' | 'accepted';
  /** The uuid of the earlier card the feedback was given on. */
  onCard: string;
  /** When the feedback was given (ISO). */
  at: string;
  /** Until when the card stays silent (ISO); absent when an accepted suggestion silences it for good. */
  until?: string;
}

export interface CardTrace {
  decision: CardDecision;
  /** The card's id in the card data (e.g. `cv-risk`), or its suppression key when that is what is known. */
  card?: string;
  /** The card's key (carries the band), when one was planned. */
  key?: string;
  /** The uuid of the card sent, for `shown`. */
  uuid?: string;
  /** The draft order the card is about. */
  orderRef?: string;
  /** In words: why not needed, which site setting switched it off, why shown. */
  reason?: string;
  suppressedBy?: SuppressionTrace;
}

export interface Trace {
  service: string;
  hook: string;
  prefetch: PrefetchTrace[];
  models: ModelTrace[];
  /**
   * Inputs a service read beside its models, when one was not reported as such but calculated by
   * Augur (e.g. LDL-C by Sampson/NIH): the value, the flag `derived` and a note naming the equation
   * and each source result with its date. Absent when nothing was calculated.
   */
  derivedInputs?: InputTrace[];
  cards: CardTrace[];
}
