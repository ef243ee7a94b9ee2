/**
 * Turns one prefetch value — sent by the EHR or fetched by Augur — into the shape services see.
 * The same function serves both origins, so "prefetched" and "fetched myself" cannot drift apart, and
 * both pass through the one FHIR boundary reader (src/fhir-read): a malformed resource is unreadable,
 * named with why, and never reaches feature code.
 */
import type { FhirResource } from 'fhir/r4.js';
import type { ResolvedPrefetch } from '../service.js';
import { readBundle, readResource, type Unreadable } from '../../fhir-read/index.js';

export type Origin = 'prefetch' | 'fetched';

export interface Normalised {
  resolved: ResolvedPrefetch;
  /** The searchset's `next` link, when the Bundle has more pages. */
  next?: string;
}

const unavailable = (reason: string, unreadable?: Unreadable[]): Normalised => ({
  resolved: { state: 'unavailable', reason, ...(unreadable === undefined ? {} : { unreadable }) },
});

/**
 * - not a resource, or a resource whose read elements are malformed → unavailable (the problem named);
 * - OperationOutcome, or a Bundle whose entries are only OperationOutcomes → unavailable;
 * - any other Bundle → its readable entry resources; `complete` is false while a `next` link remains
 *   or when an entry was unreadable (a conclusion from absence cannot rest on it);
 * - any other resource → that resource.
 */
export function normalise(value: unknown, origin: Origin): Normalised {
  if (!isResource(value)) return unavailable('not a FHIR resource');
  if (value.resourceType === 'OperationOutcome') {
    return unavailable('the server answered with an OperationOutcome');
  }
  if (value.resourceType !== 'Bundle') {
    const r = readResource(value);
    return r.ok
      ? { resolved: { state: 'resource', resource: r.resource, origin } }
      : unavailable(r.unreadable.problem, [r.unreadable]);
  }
  const read = readBundle(value);
  if (!read.ok) return unavailable(read.unreadable.problem, [read.unreadable]);
  const { resources: all, unreadable, next } = read.read;
  const resources = all.filter((r) => r.resourceType !== 'OperationOutcome');
  if (resources.length === 0 && all.length > 0 && unreadable.length === 0) {
    return unavailable('the Bundle holds only OperationOutcomes');
  }
  return {
    resolved: {
      state: 'bundle',
      resources,
      complete: next === undefined && unreadable.length === 0,
      origin,
      ...(unreadable.length === 0 ? {} : { unreadable }),
    },
    ...(next === undefined ? {} : { next }),
  };
}

/** Entries a Bundle value carries (0 for anything else), for the entries-per-Bundle limit. */
export function entryCount(value: unknown): number {
  if (!isResource(value) || value.resourceType !== 'Bundle') return 0;
  const entry = (value as { entry?: unknown }).entry;
  return Array.isArray(entry) ? entry.length : 0;
}

function isResource(v: unknown): v is FhirResource {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    typeof (v as { resourceType?: unknown }).resourceType === 'string'
  );
}
