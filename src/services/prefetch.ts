/**
 * Prefetch declarations the patient-view risk services share (CDS Hooks 2.0 templates with
 * `{{context.patientId}}`): the patient, every Condition, and newest-first Observations by LOINC code.
 */
import type { PrefetchDeclaration } from '../cds/service.js';

export const patientPrefetch: PrefetchDeclaration = {
  query: 'Patient/{{context.patientId}}',
  required: true,
  onMissing: 'fail',
};

/**
 * Every Condition, not only active ones: past history counts (prior stroke or MI, past dialysis), and
 * "no such condition" is a conclusion from absence, so every page is read. Without it the call fails.
 */
export const allConditionsPrefetch: PrefetchDeclaration = {
  query: 'Condition?patient={{context.patientId}}',
  required: true,
  onMissing: 'fail',
  allPages: true,
};

/** Observations with any of these LOINC codes, newest first, every page; omitted when unreadable. */
export function loincObservationsPrefetch(codes: readonly string[]): PrefetchDeclaration {
  return {
    query: `Observation?patient={{context.patientId}}&code=${codes.map((c) => `http://loinc.org|${c}`).join(',')}&_sort=-date`,
    required: false,
    onMissing: 'omit',
    allPages: true,
  };
}

/** Active or on-hold resources of one type (e.g. MedicationRequest), every page; omitted when unreadable. */
export function openResourcesPrefetch(
  resourceType: string,
  statuses: readonly string[],
): PrefetchDeclaration {
  return {
    query: `${resourceType}?patient={{context.patientId}}&status=${statuses.join(',')}`,
    required: false,
    onMissing: 'omit',
    allPages: true,
  };
}
