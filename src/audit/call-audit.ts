import type { VerifiedCaller } from '../auth/types.js';
import type { FhirRequestEvent } from '../fhir/client.js';
import type { CardShownRecord, StoredResult } from '../store/types.js';
import type { AuditDraft } from './audit.js';

type Subject = Pick<AuditDraft, 'userRef' | 'patientRef' | 'hookInstance'>;

/**
 * Collects what one authenticated call did, for its audit events: the caller, the subject once the
 * request validated, each outbound FHIR query, and the models behind the answer. The route turns it
 * into records when the call ends, whether it succeeded or failed. It also carries the cards the call
 * showed and their results, so that the route writes them with the audit records in one atomic write.
 */
export class CallAudit {
  #subject: Subject = {};
  #fhirServer = '';
  readonly #fhir: FhirRequestEvent[] = [];
  #models: string[] = [];
  #shown: { cards: readonly CardShownRecord[]; results: readonly StoredResult[] } = {
    cards: [],
    results: [],
  };
  readonly #mismatches: string[] = [];

  constructor(
    readonly type: 'hook-call' | 'feedback',
    readonly requestId: string,
    readonly serviceId: string,
    readonly caller: VerifiedCaller,
  ) {}

  subject(s: Subject): void {
    this.#subject = s;
  }

  fhirServer(base: string): void {
    this.#fhirServer = base;
  }

  readonly fhirRequest = (e: FhirRequestEvent): void => {
    this.#fhir.push(e);
  };

  /** Data about another patient arrived for this prefetch key (the call answers 412). */
  readonly patientMismatch = (e: { key: string }): void => {
    this.#mismatches.push(e.key);
  };

  models(models: string[]): void {
    this.#models = models;
  }

  /** The cards this call answers with and their results: written with the audit when the call ends. */
  shown(cards: readonly CardShownRecord[], results: readonly StoredResult[]): void {
    this.#shown = { cards, results };
  }

  /** What {@link shown} recorded. */
  get cardsShown(): { cards: readonly CardShownRecord[]; results: readonly StoredResult[] } {
    return this.#shown;
  }

  /** The records for this call, given the HTTP status it ended with. */
  records(status: number): AuditDraft[] {
    const base = {
      requestId: this.requestId,
      serviceId: this.serviceId,
      iss: this.caller.iss,
      jti: this.caller.jti,
      ...(this.caller.tenant === undefined ? {} : { tenant: this.caller.tenant }),
      ...this.#subject,
    };
    const outcome = status < 400 ? '0' : status < 500 ? '4' : '8';
    const call: AuditDraft = {
      ...base,
      type: this.type,
      action: this.type === 'feedback' ? 'C' : 'E',
      outcome,
      status,
      ...(this.#models.length > 0 ? { models: this.#models } : {}),
    };
    const queries: AuditDraft[] = this.#fhir.map((e) => ({
      ...base,
      type: 'fhir-query',
      action: 'R',
      outcome: e.outcome === 'ok' ? '0' : '4',
      fhirServer: this.#fhirServer,
      query: e.query,
      ...(e.status === undefined ? {} : { status: e.status }),
    }));
    const mismatches: AuditDraft[] = this.#mismatches.map((key) => ({
      ...base,
      type: 'patient-mismatch',
      action: 'R',
      outcome: '8',
      query: `prefetch:${key}`,
    }));
    return [call, ...queries, ...mismatches];
  }
}
