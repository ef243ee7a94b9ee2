/**
 * Audit events (HIPAA §164.312(b), IHE BALP): one per authenticated hook call, feedback post and
 * outbound FHIR query, plus one per authentication failure. Identifiers only — never tokens, names,
 * birth dates or bodies. Written to the store's append-only table, separate from application logs.
 */
import type { AuditRecord, Store } from '../store/types.js';

export type AuditDraft = Omit<AuditRecord, 'recorded'> & { recorded?: Date };

/** `drafts` as records, stamped `now` where they carry no time. */
export const auditRecords = (drafts: readonly AuditDraft[], now: () => Date): AuditRecord[] =>
  drafts.map((d) => ({ ...d, recorded: d.recorded ?? now() }));

/** Appends audit records in one write. Awaited: a call that cannot be audited fails (fail closed). */
export async function writeAudit(
  store: Store,
  drafts: readonly AuditDraft[],
  now: () => Date,
): Promise<void> {
  await store.recordCall({ audits: auditRecords(drafts, now) });
}

/** `Patient/{id}` for the audit trail. */
export const patientRef = (patientId: string): string => `Patient/${patientId}`;
