/**
 * Prefetch resolution (CDS Hooks 2.0 §Prefetch): one code path for data the EHR prefetched and data
 * Augur fetches itself. For each declared key:
 * - absent → fill the template and fetch it (all keys concurrently, under the request's deadline),
 *   unless the EHR's `fhirAuthorization.scope` does not grant that read or search (scopes.ts);
 * - `null` → no data (or fetched, when the client is known to send null for unresolved templates);
 * - Bundle / resource / OperationOutcome → normalised (see normalise.ts), following `next` links
 *   under the FHIR base when the declaration asks for all pages.
 * Then every resource must be about the context patient (else 412 + `onForeignPatient`), and a
 * required key with `onMissing: 'fail'` that is unavailable answers 412.
 *
 * Keys the EHR sent but the service did not declare are ignored (and counted in the log), not
 * answered with 400: the spec says prefetch keys ⊆ discovery keys, but a tolerant reader serves
 * the call with the data it needs, and extra data is never read.
 */
import type { Logger } from 'pino';
import type { CdsRequest } from '../types.js';
import type { PrefetchDeclaration, ResolvedPrefetch } from '../service.js';
import type { Limits } from '../../config/schema.js';
import type { FhirClient } from '../../fhir/client.js';
import { FhirFetchError } from '../../fhir/errors.js';
import { HttpError, preconditionFailed } from '../../http/errors.js';
import { fillTemplate } from './template.js';
import { entryCount, normalise, type Normalised, type Origin } from './normalise.js';
import { foreignKeys } from './patient-binding.js';
import { scopeRefusal } from './scopes.js';

export interface ForeignPatientEvent {
  /** The prefetch key whose data was about another patient (never the data itself). */
  key: string;
  origin: Origin | 'unknown';
}

export interface ResolvePrefetchInput {
  request: CdsRequest;
  declarations: Readonly<Record<string, PrefetchDeclaration>>;
  /** Absent when the request names no `fhirServer`: absent keys are then unavailable. */
  client?: FhirClient;
  /** Fetch keys the EHR sent as `null` (per trusted client: Medplum sends null for unresolved templates). */
  refetchNull: boolean;
  limits: Pick<Limits, 'prefetchBundleEntries' | 'fhirMaxPages'>;
  /** For `{{today()}}` tokens. */
  now: Date;
  log: Logger;
  /** Called once per offending key before the 412 is thrown, for the audit trail. */
  onForeignPatient?: (e: ForeignPatientEvent) => void;
}

/**
 * Resolves every declared prefetch key. Throws HttpError 413 when a prefetched Bundle exceeds the
 * entry limit, 412 (`security`) when any data is about another patient, 412 (`incomplete`) when a
 * required `fail` key is unavailable. Fetch failures (timeout, size, redirect, foreign link, HTTP
 * error, bad JSON) never throw: the key becomes `unavailable` with the failure kind as the reason.
 */
export async function resolvePrefetch(
  input: ResolvePrefetchInput,
): Promise<Record<string, ResolvedPrefetch>> {
  const sent = input.request.prefetch ?? {};
  checkEntryLimits(sent, input.declarations, input.limits.prefetchBundleEntries);
  const undeclared = Object.keys(sent).filter((k) => !Object.hasOwn(input.declarations, k)).length;
  if (undeclared > 0)
    input.log.debug({ component: 'prefetch', count: undeclared }, 'undeclared prefetch keys ignored');

  const keys = Object.keys(input.declarations);
  const values = await Promise.all(
    keys.map((key) => resolveKey(input, input.declarations[key] as PrefetchDeclaration, sent, key)),
  );
  const resolved: Record<string, ResolvedPrefetch> = {};
  keys.forEach((key, i) => (resolved[key] = values[i] as ResolvedPrefetch));

  checkPatientBinding(input, resolved);
  checkRequired(input.declarations, resolved);
  return resolved;
}

function checkEntryLimits(
  sent: Readonly<Record<string, unknown>>,
  decls: ResolvePrefetchInput['declarations'],
  max: number,
): void {
  for (const [key, value] of Object.entries(sent)) {
    if (Object.hasOwn(decls, key) && entryCount(value) > max) {
      throw new HttpError(413, {
        code: 'too-costly',
        diagnostics: `prefetch "${key}" has more than ${max} Bundle entries`,
        expression: `prefetch.${key}`,
      });
    }
  }
}

async function resolveKey(
  input: ResolvePrefetchInput,
  decl: PrefetchDeclaration,
  sent: Readonly<Record<string, unknown>>,
  key: string,
): Promise<ResolvedPrefetch> {
  const present = Object.hasOwn(sent, key);
  const value = present ? sent[key] : undefined;
  try {
    if (!present || (value === null && input.refetchNull)) return await fetchKey(input, decl);
    if (value === null) return { state: 'no-data', origin: 'prefetch' };
    return await followPages(input, decl, normalise(value, 'prefetch'));
  } catch (err) {
    if (err instanceof FhirFetchError) return { state: 'unavailable', reason: `fetch failed: ${err.kind}` };
    throw err;
  }
}

async function fetchKey(input: ResolvePrefetchInput, decl: PrefetchDeclaration): Promise<ResolvedPrefetch> {
  if (input.client === undefined) return { state: 'unavailable', reason: 'no FHIR server to fetch from' };
  const context = input.request.context as unknown as Readonly<Record<string, unknown>>;
  const query = fillTemplate(decl.query, context, input.now);
  if (query === undefined) return { state: 'unavailable', reason: 'prefetch template could not be filled' };
  const scope = input.request.fhirAuthorization?.scope;
  const refused = scope === undefined ? undefined : scopeRefusal(scope, query);
  if (refused !== undefined) return { state: 'unavailable', reason: refused };
  const value = await input.client.get(query);
  if (entryCount(value) > input.limits.prefetchBundleEntries) throw new FhirFetchError('too-large');
  return followPages(input, decl, normalise(value, 'fetched'));
}

/**
 * Gathers the remaining pages when the declaration wants them. Any failure while following (a link off
 * the FHIR base, a timeout…) makes the whole key unavailable rather than silently partial: a service
 * asking for all pages may conclude "no statin" from a list missing page 2. Without a FHIR server the
 * first page is passed on with `complete: false`.
 */
async function followPages(
  input: ResolvePrefetchInput,
  decl: PrefetchDeclaration,
  n: Normalised,
): Promise<ResolvedPrefetch> {
  if (
    n.next === undefined ||
    decl.allPages !== true ||
    n.resolved.state !== 'bundle' ||
    input.client === undefined
  ) {
    return n.resolved;
  }
  const rest = await input.client.searchAll(n.next, input.limits.fhirMaxPages - 1);
  const resources = [...n.resolved.resources, ...rest.resources];
  if (resources.length > input.limits.prefetchBundleEntries) throw new FhirFetchError('too-large');
  const unreadable = [...(n.resolved.unreadable ?? []), ...rest.unreadable];
  return {
    ...n.resolved,
    resources,
    complete: rest.complete && unreadable.length === 0,
    ...(unreadable.length === 0 ? {} : { unreadable }),
  };
}

function checkPatientBinding(
  input: ResolvePrefetchInput,
  resolved: Readonly<Record<string, ResolvedPrefetch>>,
): void {
  const patientId = (input.request.context as { patientId?: unknown }).patientId;
  if (typeof patientId !== 'string') return;
  const keys = foreignKeys(resolved, patientId);
  if (keys.length === 0) return;
  for (const key of keys) {
    const r = resolved[key];
    input.onForeignPatient?.({ key, origin: r !== undefined && 'origin' in r ? r.origin : 'unknown' });
  }
  throw new HttpError(412, {
    code: 'security',
    diagnostics: `prefetch ${keys.map((k) => `"${k}"`).join(', ')} returned data about another patient`,
    expression: `prefetch.${keys[0] ?? ''}`,
  });
}

function checkRequired(
  decls: ResolvePrefetchInput['declarations'],
  resolved: Readonly<Record<string, ResolvedPrefetch>>,
): void {
  const missing: string[] = [];
  for (const [key, decl] of Object.entries(decls)) {
    const r = resolved[key];
    if (decl.required && decl.onMissing === 'fail' && r?.state === 'unavailable')
      missing.push(`"${key}" (${r.reason})`);
  }
  if (missing.length > 0) {
    throw preconditionFailed(
      `required prefetch unavailable: ${missing.join(', ')}`,
      `prefetch.${firstKey(missing)}`,
    );
  }
}

function firstKey(missing: readonly string[]): string {
  return /^"([^"]*)"/.exec(missing[0] ?? '')?.[1] ?? '';
}
