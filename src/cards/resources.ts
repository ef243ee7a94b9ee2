/**
 * The patient's resources as a service sees them: every resolved prefetch key flattened into one list,
 * plus what could not be read (so a card can be honest that data was unavailable rather than absent).
 */
import type { FhirResource } from 'fhir/r4.js';
import type { ResolvedPrefetch } from '../cds/service.js';

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
