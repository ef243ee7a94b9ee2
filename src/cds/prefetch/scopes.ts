/**
 * Does the EHR's `fhirAuthorization.scope` let Augur make this FHIR request? Checked before Augur
 * fetches a prefetch key itself, so a key whose resource type was not granted is reported unobtainable
 * with a clear reason instead of being asked for (and answered 403).
 *
 * SMART App Launch scopes, both syntaxes (CDS Hooks 2.0 uses v1; 3.0 and SMART 2.x use v2):
 * - v1: `patient/Observation.read`, `user/*.read`, `patient/Observation.*` (`.write` grants no read);
 * - v2: `patient/Observation.rs`, `user/*.cruds`, `patient/Observation.rs?category=laboratory` — the
 *   permission letters must include `r` for a read (`Type/id`) and `s` for a search (`Type?…`).
 * A v2 scope narrowed by query parameters counts as a grant for its type: the FHIR server enforces the
 * narrowing, and Augur treats what it returns like any other search result.
 */

export type FhirInteraction = 'read' | 'search';

interface Grant {
  type: string;
  read: boolean;
  search: boolean;
}

const SCOPE = /^(patient|user|system)\/([A-Za-z]+|\*)\.([A-Za-z*]+)(\?.*)?$/;

function parseGrant(scope: string): Grant | undefined {
  const m = SCOPE.exec(scope);
  if (m === null) return undefined;
  const [, , type = '', perms = ''] = m;
  if (perms === 'read' || perms === '*') return { type, read: true, search: true };
  if (perms === 'write') return undefined;
  // v2: a non-empty subset of c r u d s, in that order.
  if (!/^c?r?u?d?s?$/.test(perms) || perms === '') return undefined;
  return { type, read: perms.includes('r'), search: perms.includes('s') };
}

/** The resource type and interaction of a relative FHIR query (`Patient/1`, `Observation?patient=1`). */
export function interactionOf(query: string): { type: string; interaction: FhirInteraction } | undefined {
  const m = /^([A-Z][A-Za-z]+)(\/[^?]*)?(\?.*)?$/.exec(query);
  if (m === null) return undefined;
  const [, type = '', idPart] = m;
  return { type, interaction: idPart !== undefined && idPart.length > 1 ? 'read' : 'search' };
}

/**
 * Undefined when `scope` grants `query`; otherwise why not (for the unavailable key's reason).
 * Queries Augur cannot classify are left to the server.
 */
export function scopeRefusal(scope: string, query: string): string | undefined {
  const wanted = interactionOf(query);
  if (wanted === undefined) return undefined;
  const grants = scope
    .split(/\s+/)
    .filter((s) => s !== '')
    .flatMap((s) => parseGrant(s) ?? []);
  const ok = grants.some(
    (g) => (g.type === '*' || g.type === wanted.type) && g[wanted.interaction === 'read' ? 'read' : 'search'],
  );
  if (ok) return undefined;
  return `not fetched: the granted scope does not allow ${wanted.type} ${wanted.interaction}`;
}
