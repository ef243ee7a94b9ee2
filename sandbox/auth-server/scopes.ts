/**
 * The SMART scopes the sandbox's authorization server grants for its FHIR server, in both syntaxes:
 * v1 (`patient/Observation.read`, `.write`, `.*`) and v2 (`patient/Observation.rs`, any ordered subset of
 * `cruds`). oidc-provider grants a resource scope only when the resource server lists it, so the list is
 * written out: three contexts × the resource types the panel and the side app use (and `*`) × permissions.
 */

export const OIDC_SCOPES = [
  'openid',
  'fhirUser',
  'profile',
  'launch',
  'launch/patient',
  'offline_access',
  'online_access',
];

const CONTEXTS = ['patient', 'user', 'system'] as const;

const TYPES = [
  '*',
  'Patient',
  'Observation',
  'Condition',
  'MedicationRequest',
  'MedicationStatement',
  'Medication',
  'AllergyIntolerance',
  'Procedure',
  'Encounter',
  'Practitioner',
  'PractitionerRole',
  'Organization',
  'ServiceRequest',
  'DiagnosticReport',
  'RiskAssessment',
  'Immunization',
  'CarePlan',
  'Goal',
  'DocumentReference',
  'Coverage',
  'Device',
  'FamilyMemberHistory',
  'Specimen',
];

/** Every non-empty ordered subset of `cruds` (v2), then v1's three. */
function permissions(): string[] {
  const letters = ['c', 'r', 'u', 'd', 's'];
  const out: string[] = [];
  for (let mask = 1; mask < 1 << letters.length; mask++)
    out.push(letters.filter((_, i) => (mask & (1 << i)) !== 0).join(''));
  return [...out, 'read', 'write', '*'];
}

export const FHIR_SCOPES: readonly string[] = CONTEXTS.flatMap((c) =>
  TYPES.flatMap((t) => permissions().map((p) => `${c}/${t}.${p}`)),
);

const SCOPE = /^(patient|user|system)\/([A-Za-z*]+)\.([a-z*]+)$/;

/** True when `scope` (space-separated) lets its holder read `resourceType` (v1 `.read`/`.*` or v2 with `r` or `s`). */
export function allowsRead(scope: string, resourceType: string): boolean {
  return scope.split(' ').some((s) => {
    const m = SCOPE.exec(s);
    if (m === null) return false;
    const [, , type, perm] = m;
    if (type !== '*' && type !== resourceType) return false;
    return perm === 'read' || perm === '*' || /[rs]/.test(perm ?? '');
  });
}

/** True when `scope` grants a `system/` read of every type (`system/*.read`, `.*` or v2 with `r` and `s`): a bulk export. */
export function allowsSystemExport(scope: string): boolean {
  return scope.split(' ').some((s) => {
    const m = SCOPE.exec(s);
    if (m === null || m[1] !== 'system' || m[2] !== '*') return false;
    const perm = m[3] ?? '';
    return perm === 'read' || perm === '*' || (perm.includes('r') && perm.includes('s'));
  });
}
