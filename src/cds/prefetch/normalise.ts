/**
 * Turns one prefetch value — sent by the EHR or fetched by Augur — into the shape services see.
 * The same function serves both origins, so "prefetched" and "fetched myself" cannot drift apart.
 */
import type { FhirResource } from 'fhir/r4.js';
import type { ResolvedPrefetch } from '../service.js';
import { entryResources, isBundle, nextLink } from '../../fhir/bundle.js';

export type Origin = 'prefetch' | 'fetched';

export interface Normalised {
  resolved: ResolvedPrefetch;
  /** The searchset's `next` link, when the Bundle has more pages. */
  next?: string;
}

/**
 * - OperationOutcome, or a Bundle whose entries are only OperationOutcomes → unavailable;
 * - any other Bundle → its entry resources (`complete` false while a `next` link remains);
 * - any other resource → that resource.
 */
export function normalise(value: unknown, origin: Origin): Normalised {
  if (!isResource(value)) return { resolved: { state: 'unavailable', reason: 'not a FHIR resource' } };
  if (value.resourceType === 'OperationOutcome') {
    return { resolved: { state: 'unavailable', reason: 'the server answered with an OperationOutcome' } };
  }
  if (!isBundle(value)) return { resolved: { state: 'resource', resource: value, origin } };
  const all = entryResources(value);
  const resources = all.filter((r) => r.resourceType !== 'OperationOutcome');
  if (resources.length === 0 && all.length > 0) {
    return { resolved: { state: 'unavailable', reason: 'the Bundle holds only OperationOutcomes' } };
  }
  const next = nextLink(value);
  return {
    resolved: { state: 'bundle', resources, complete: next === undefined, origin },
    ...(next === undefined ? {} : { next }),
  };
}

/** Entries a Bundle value carries (0 for anything else), for the entries-per-Bundle limit. */
export function entryCount(value: unknown): number {
  if (!isResource(value) || !isBundle(value)) return 0;
  return value.entry?.length ?? 0;
}

function isResource(v: unknown): v is FhirResource {
  return (
    typeof v === 'object' && v !== null && typeof (v as { resourceType?: unknown }).resourceType === 'string'
  );
}
