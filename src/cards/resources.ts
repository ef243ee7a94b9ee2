/**
 * The patient's resources as a service sees them: every resolved prefetch key flattened into one list,
 * plus what could not be read (so a card can be honest that data was unavailable rather than absent).
 */
import type { FhirResource } from 'fhir/r4.js';
import type { ResolvedPrefetch } from '../cds/service.js';
import type { Unreadable } from '../fhir-read/index.js';

export interface PatientData {
  resources: FhirResource[];
  /** Keys whose data could not be obtained, with why (a failed fetch, an OperationOutcome). */
  unavailable: { key: string; reason: string }[];
  /** Keys whose search results were cut short (paging limit): absence there proves nothing. */
  incomplete: string[];
}

export function patientData(prefetch: Readonly<Record<string, ResolvedPrefetch>>): PatientData {
  const data: PatientData = { resources: [], unavailable: [], incomplete: [] };
  const seen = new Set<string>();
  const add = (r: FhirResource): void => {
    const ref = r.id === undefined ? undefined : `${r.resourceType}/${r.id}`;
    if (ref !== undefined) {
      if (seen.has(ref)) return;
      seen.add(ref);
    }
    data.resources.push(r);
  };
  for (const [key, p] of Object.entries(prefetch)) {
    switch (p.state) {
      case 'resource':
        add(p.resource);
        break;
      case 'bundle':
        p.resources.forEach(add);
        if (!p.complete) data.incomplete.push(key);
        break;
      case 'no-data':
        break;
      case 'unavailable':
        data.unavailable.push({ key, reason: p.reason });
        break;
    }
  }
  return data;
}

/**
 * Every resource the FHIR boundary reader refused in this call, without the patient reference (the
 * stored result and the trace carry `reference` and `problem` only).
 */
export function unreadableIn(
  prefetch: Readonly<Record<string, ResolvedPrefetch>>,
): { reference: string; problem: string }[] {
  const out: { reference: string; problem: string }[] = [];
  for (const p of Object.values(prefetch)) {
    const list: readonly Unreadable[] =
      p.state === 'bundle' || p.state === 'unavailable' ? (p.unreadable ?? []) : [];
    for (const u of list) out.push({ reference: u.reference, problem: u.problem });
  }
  return out;
}
