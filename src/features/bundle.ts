/** The resources of a FHIR Bundle (e.g. CDS Hooks prefetch search results), flattened. */
import type { Bundle } from 'fhir/r4.js';
import type { FhirResource } from './types.js';

export function resourcesOf(bundle: Bundle<FhirResource>): FhirResource[] {
  return (bundle.entry ?? []).flatMap((e) => (e.resource === undefined ? [] : [e.resource]));
}
