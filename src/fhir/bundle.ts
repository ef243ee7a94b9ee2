/** Small pure helpers over FHIR Bundles, shared by the client and the prefetch resolver. */
import type { Bundle, FhirResource } from 'fhir/r4.js';

/** The `next` link of a Bundle, if any. */
export function nextLink(bundle: Bundle): string | undefined {
  return bundle.link?.find((l) => l.relation === 'next')?.url;
}

/**
 * The data resources of a Bundle: entries with `search.mode: outcome` (warnings a server attaches to a
 * searchset) are not data and are dropped.
 */
export function entryResources(bundle: Bundle): FhirResource[] {
  const out: FhirResource[] = [];
  for (const e of bundle.entry ?? []) {
    if (e.resource === undefined || e.search?.mode === 'outcome') continue;
    out.push(e.resource as FhirResource);
  }
  return out;
}

export function isBundle(r: FhirResource): r is Bundle {
  return r.resourceType === 'Bundle';
}
