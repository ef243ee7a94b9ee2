/**
 * The result behind a card, stored for the side app and the audit trail under an opaque, expiring id.
 * The id is the only thing the card's `appContext` carries. The payload holds identifiers, numbers and
 * provenance (input values, dates, source references) — never tokens, names or birth dates.
 */
import { randomBytes } from 'node:crypto';
import type { Store } from '../store/types.js';
import type { InputProvenance } from '../features/types.js';
import type { ModelRun } from './run-model.js';

export const RESULT_PAYLOAD_VERSION = 1;

export interface ResultPayload {
  version: typeof RESULT_PAYLOAD_VERSION;
  serviceId: string;
  /** The card this result stands behind (when one was shown). */
  card?: { key: string; summary: string; indicator: string; band?: string };
  computedAt: string;
  runs: ModelRun[];
  /** Service-specific findings (e.g. pharmacogenomic gene → phenotype → recommendation chains). */
  findings?: unknown;
  /** Resources the FHIR boundary reader refused, each with why (`Observation/x: code.coding is not an array`). */
  unreadable?: { reference: string; problem: string }[];
}

/** 128 random bits, URL-safe: unguessable, and meaningless outside Augur. */
export function newResultId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * Stores a result. `unreadable` (from the call's prefetch) is recorded with it whenever the boundary
 * reader refused a resource, so the side app and the audit trail can say what could not be read.
 */
export async function saveResult(
  store: Store,
  entry: {
    patientRef: string;
    payload: ResultPayload;
    unreadable?: { reference: string; problem: string }[];
  },
  now: Date,
  ttlMs: number,
): Promise<string> {
  const id = newResultId();
  const unreadable = entry.unreadable ?? [];
  const payload: ResultPayload = {
    ...entry.payload,
    runs: entry.payload.runs.map(withoutBirthDate),
    ...(unreadable.length === 0 ? {} : { unreadable }),
  };
  await store.putResult({
    id,
    patientRef: entry.patientRef,
    serviceId: entry.payload.serviceId,
    payload,
    createdAt: now,
    expiresAt: new Date(now.getTime() + ttlMs),
  });
  return id;
}

/**
 * What is stored holds no birth date: an input read from the Patient (age, sex) carries the birthDate as
 * its provenance "date" (and may quote a partial one in its note), so Patient-sourced inputs keep their
 * value and source but lose date and note. The age itself stays.
 */
export function withoutBirthDate(run: ModelRun): ModelRun {
  return run.status === 'not-applicable' ? run : { ...run, inputs: undatedDemographics(run.inputs) };
}

/** Input provenance with Patient-sourced entries stripped of date and note (see withoutBirthDate). */
export function undatedDemographics(
  inputs: Readonly<Record<string, InputProvenance>>,
): Record<string, InputProvenance> {
  return Object.fromEntries(
    Object.entries(inputs).map(([name, p]) => {
      if (p.source?.startsWith('Patient/') !== true) return [name, p];
      const { date: _birthDate, note: _mayQuoteIt, ...rest } = p;
      return [name, rest];
    }),
  );
}
