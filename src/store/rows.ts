/**
 * Row shapes as both drivers return them (timestamptz → Date, text[] → string[], jsonb → parsed) and
 * their mapping to the store's records. SQL NULL becomes an absent property, never `undefined` or null.
 */
import type {
  AuditRecord,
  CardHistoryEntry,
  CardShownRecord,
  FeedbackRecord,
  StoredResult,
} from './types.js';

export interface CardRow {
  card_uuid: string;
  service_id: string;
  hook_instance: string;
  patient_ref: string;
  card_key: string;
  order_refs: string[];
  models: string[];
  result_id: string | null;
  encounter_ref: string | null;
  override_reasons: string[] | null;
  shown_at: Date;
  iss: string;
  tenant: string | null;
  /** Built with jsonb_agg, so its timestamps arrive as ISO strings. */
  feedback: { outcome: FeedbackRecord['outcome']; acceptedSuggestions: string[]; outcomeTimestamp: string }[];
}

export interface ResultRow {
  id: string;
  patient_ref: string;
  service_id: string;
  payload: unknown;
  created_at: Date;
  expires_at: Date;
}

/** Offered override reasons as stored: `system|code` (system empty when the Coding had none). */
export const encodeReason = (r: { system?: string; code: string }): string => `${r.system ?? ''}|${r.code}`;

function decodeReason(s: string): { system?: string; code: string } {
  const bar = s.indexOf('|');
  const system = s.slice(0, bar);
  return { ...(system === '' ? {} : { system }), code: s.slice(bar + 1) };
}

export function toCardShown(row: Omit<CardRow, 'feedback'>): CardShownRecord {
  return {
    cardUuid: row.card_uuid,
    serviceId: row.service_id,
    hookInstance: row.hook_instance,
    patientRef: row.patient_ref,
    cardKey: row.card_key,
    orderRefs: row.order_refs,
    models: row.models,
    shownAt: row.shown_at,
    iss: row.iss,
    ...(row.result_id === null ? {} : { resultId: row.result_id }),
    ...(row.encounter_ref === null ? {} : { encounterRef: row.encounter_ref }),
    ...(row.override_reasons === null ? {} : { overrideReasons: row.override_reasons.map(decodeReason) }),
    ...(row.tenant === null ? {} : { tenant: row.tenant }),
  };
}

export function toHistoryEntry(row: CardRow): CardHistoryEntry {
  const card = toCardShown(row);
  const feedback = row.feedback.map((f) => ({
    outcome: f.outcome,
    acceptedSuggestions: f.acceptedSuggestions,
    outcomeTimestamp: new Date(f.outcomeTimestamp),
  }));
  return { ...card, feedback };
}

export function toStoredResult(row: ResultRow): StoredResult {
  return {
    id: row.id,
    patientRef: row.patient_ref,
    serviceId: row.service_id,
    payload: row.payload,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

/**
 * The order of accepted suggestions carries no meaning, so it must not make two copies of the same
 * feedback look different to the uniqueness constraint.
 */
export function canonicalSuggestions(ids: readonly string[]): string[] {
  return [...new Set(ids)].sort();
}

export interface AuditRow {
  recorded: Date | string;
  type: AuditRecord['type'];
  action: AuditRecord['action'];
  outcome: AuditRecord['outcome'];
  request_id: string;
  iss: string | null;
  tenant: string | null;
  user_ref: string | null;
  patient_ref: string | null;
  hook_instance: string | null;
  jti: string | null;
  service_id: string | null;
  models: string[] | null;
  fhir_server: string | null;
  query: string | null;
  status: number | null;
}

/** An audit row as a record, omitting the columns that are NULL. */
export function toAuditRecord(row: AuditRow): AuditRecord {
  const optional = {
    iss: row.iss,
    tenant: row.tenant,
    userRef: row.user_ref,
    patientRef: row.patient_ref,
    hookInstance: row.hook_instance,
    jti: row.jti,
    serviceId: row.service_id,
    models: row.models,
    fhirServer: row.fhir_server,
    query: row.query,
    status: row.status,
  };
  return {
    recorded: new Date(row.recorded),
    type: row.type,
    action: row.action,
    outcome: row.outcome,
    requestId: row.request_id,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== null)),
  };
}
