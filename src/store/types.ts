/**
 * Augur's persistent state: feedback, card history, audit events and stored results. One interface,
 * two engines (embedded PGlite and PostgreSQL) sharing one schema and one set of migrations.
 * Records hold identifiers only — never tokens, names, birth dates or FHIR bodies.
 */

export interface FeedbackRecord {
  serviceId: string;
  cardUuid: string;
  outcome: 'accepted' | 'overridden';
  acceptedSuggestions: string[];
  overrideReason?: { system?: string; code?: string; display?: string; userComment?: string };
  outcomeTimestamp: Date;
  iss: string;
  tenant?: string;
}

export interface CardShownRecord {
  cardUuid: string;
  serviceId: string;
  hookInstance: string;
  /** `Patient/{id}` — an identifier, not PHI beyond the reference itself. */
  patientRef: string;
  /** Stable key of what the card says, e.g. `ascvd-risk:band=intermediate`; used to suppress repeats. */
  cardKey: string;
  /** Identifiers of draft orders the card is about (order-select / order-sign), e.g. `MedicationRequest/1`. */
  orderRefs: string[];
  /** `modelId@version` of every model behind the card. */
  models: string[];
  /** Opaque id of the stored result behind the card, when there is one. */
  resultId?: string;
  /** `Encounter/{id}` of the hook call, when the EHR sent one (scopes order-session de-duplication). */
  encounterRef?: string;
  /**
   * The override reasons the card offered (system + code), so feedback naming another code is refused.
   * Absent for cards recorded before this was stored: any reason is then accepted.
   */
  overrideReasons?: { system?: string; code: string }[];
  shownAt: Date;
  iss: string;
  tenant?: string;
}

/** Cards shown on one UTC day for one service and card id, and how many got each feedback (no patient). */
export interface CardRateRow {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  serviceId: string;
  /** The card id: the card key's part before the first `:`. */
  cardId: string;
  shown: number;
  accepted: number;
  overridden: number;
}

/** A card history row joined with the feedback given on it, if any. */
export interface CardHistoryEntry extends CardShownRecord {
  feedback: Pick<FeedbackRecord, 'outcome' | 'acceptedSuggestions' | 'outcomeTimestamp'>[];
}

export interface CardHistoryQuery {
  patientRef: string;
  serviceId?: string;
  cardKey?: string;
  orderRef?: string;
  encounterRef?: string;
  since?: Date;
  tenant?: string;
  /**
   * Only cards that received feedback (suppression decisions need nothing else, and a patient seen daily
   * accumulates many cards without any).
   */
  withFeedback?: boolean;
}

export interface CardHistoryReset {
  patientRef: string;
  serviceId?: string;
  tenant?: string;
}

/** An AuditEvent-shaped record (IHE Basic Audit Log Patterns), identifiers only. */
export interface AuditRecord {
  /**
   * `hook-call`, `feedback`, `discovery`, `fhir-query`, `auth-failure`, `result-read`, and
   * `patient-mismatch` (data for another patient arrived for a prefetch key named in `query`), and
   * `history-reset` (a tester cleared a patient's card history; action D).
   */
  type:
    | 'hook-call'
    | 'feedback'
    | 'discovery'
    | 'fhir-query'
    | 'auth-failure'
    | 'result-read'
    | 'patient-mismatch'
    | 'history-reset';
  /** FHIR AuditEvent.action: C R U D E. */
  action: 'C' | 'R' | 'U' | 'D' | 'E';
  /** FHIR AuditEvent.outcome: 0 success, 4 minor failure, 8 serious failure, 12 major failure. */
  outcome: '0' | '4' | '8' | '12';
  recorded: Date;
  requestId: string;
  iss?: string;
  tenant?: string;
  userRef?: string;
  patientRef?: string;
  hookInstance?: string;
  jti?: string;
  serviceId?: string;
  /** `modelId@version` values. */
  models?: string[];
  /** For `fhir-query`: the FHIR server base URL and the relative query (never the response). */
  fhirServer?: string;
  query?: string;
  /** HTTP status returned to the caller or by the FHIR server. */
  status?: number;
}

export interface StoredResult {
  id: string;
  patientRef: string;
  serviceId: string;
  payload: unknown;
  createdAt: Date;
  expiresAt: Date;
}

/** One (model, input, UTC day, bin) count for the drift aggregates (no patient, no value). */
export interface InputBinCount {
  modelId: string;
  modelVersion: string;
  input: string;
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  /** A numeric bin index (`"0"`, `"1"`, …) or a category (`"true"`, `"female"`). */
  bin: string;
  count: number;
}

/**
 * Turns one stored result into bin counts (pure; src/monitoring/drift.ts). Counts for the same key are
 * summed by the store.
 */
export type ResultBinner = (result: {
  serviceId: string;
  payload: unknown;
  createdAt: Date;
}) => InputBinCount[];

export interface AuditQuery {
  requestId?: string;
  patientRef?: string;
  type?: AuditRecord['type'];
  since?: Date;
  /** At most this many, oldest first (default 1000). */
  limit?: number;
}

/** What one hook call writes: its results, the cards it showed, its audit records. */
export interface CallWrites {
  results?: readonly StoredResult[];
  cards?: readonly CardShownRecord[];
  audits?: readonly AuditRecord[];
}

export interface Store {
  /** Creates the schema or brings it up to date. Idempotent. Returns the versions this call applied. */
  migrate(): Promise<number[]>;
  /** Stores feedback once: the same card feedback sent twice is one row. Returns whether it was new. */
  recordFeedback(record: FeedbackRecord): Promise<{ inserted: boolean }>;
  /**
   * Records the cards shown, and the results behind them, in one transaction (one commit per hook call
   * rather than one per card and one per result).
   */
  recordCardsShown(records: readonly CardShownRecord[], results?: readonly StoredResult[]): Promise<void>;
  /**
   * A hook call's writes — results, cards shown and audit records — in one atomic write, resolved once
   * it is committed (all of them or none).
   */
  recordCall(writes: CallWrites): Promise<void>;
  findCardHistory(query: CardHistoryQuery): Promise<CardHistoryEntry[]>;
  /** One card as recorded when it was shown, by uuid (to check feedback against it). */
  findCardShown(cardUuid: string): Promise<CardShownRecord | undefined>;
  /** Aggregate acceptance / override counts per day, service and card id since `since` (monitoring). */
  cardRates(since: Date): Promise<CardRateRow[]>;
  /**
   * Testing only: deletes a patient's card history (and the feedback on those cards), optionally for one
   * service and tenant, in one transaction. Returns how many cards and feedback rows were removed.
   */
  resetCardHistory(query: CardHistoryReset): Promise<{ cards: number; feedback: number }>;
  appendAudit(record: AuditRecord): Promise<void>;
  /** Reads the audit trail, oldest first (for review tooling and tests). */
  readAudit(query: AuditQuery): Promise<AuditRecord[]>;
  putResult(result: StoredResult): Promise<void>;
  /** A result that has expired is not returned. */
  getResult(id: string, now: Date): Promise<StoredResult | undefined>;
  /**
   * Drift: claims up to `limit` stored results not yet binned (oldest first; rows another process holds
   * are skipped), adds `bin(result)` to `input_bins` and marks them binned, in one transaction. Returns
   * how many results were binned (0 when none are waiting).
   */
  binResults(limit: number, bin: ResultBinner): Promise<number>;
  /** The drift aggregates for UTC days from `since` (inclusive), ordered by model, input, day, bin. */
  inputBins(since: Date): Promise<InputBinCount[]>;
  /** Deletes results that expired at or before `now`; returns how many. */
  deleteExpiredResults(now: Date): Promise<number>;
  /** For readiness checks. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
