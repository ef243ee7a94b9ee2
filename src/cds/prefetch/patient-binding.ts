/**
 * The patient-binding check: every resource a hook call uses must be about the context patient.
 * A FHIR server (or a prefetch) returning someone else's data is a security failure, not missing data.
 */
import type { FhirResource } from 'fhir/r4.js';
import type { ResolvedPrefetch } from '../service.js';

/** Fields that point at the patient a resource is about (R4), checked when present. */
const PATIENT_FIELDS = ['subject', 'patient', 'beneficiary'] as const;

/**
 * True when the resource is about another patient: a Patient whose id differs, or a reference to a
 * Patient (`Patient/x`, absolute or versioned) with another id in `subject`, `patient` or `beneficiary`.
 * References to other types (Group, Device, Location) name no patient and are not judged here.
 */
export function isForeign(resource: FhirResource, patientId: string): boolean {
  if (resource.resourceType === 'Patient') return resource.id !== patientId;
  const fields = resource as unknown as Record<string, unknown>;
  for (const field of PATIENT_FIELDS) {
    const ref = (fields[field] as { reference?: unknown } | undefined)?.reference;
    if (typeof ref !== 'string') continue;
    const parsed = parseReference(ref);
    if (parsed?.type === 'Patient' && parsed.id !== patientId) return true;
  }
  return false;
}

/**
 * The id of the patient a resource is about: a Patient's own id, else the first Patient reference in
 * `subject`, `patient` or `beneficiary` (absolute or versioned). Population scoring groups by it.
 */
export function patientIdOf(resource: FhirResource): string | undefined {
  if (resource.resourceType === 'Patient') return resource.id;
  const fields = resource as unknown as Record<string, unknown>;
  for (const field of PATIENT_FIELDS) {
    const ref = (fields[field] as { reference?: unknown } | undefined)?.reference;
    if (typeof ref !== 'string') continue;
    const parsed = parseReference(ref);
    if (parsed?.type === 'Patient') return parsed.id;
  }
  return undefined;
}

/** The keys whose resolved data includes a resource about another patient. */
export function foreignKeys(
  resolved: Readonly<Record<string, ResolvedPrefetch>>,
  patientId: string,
): string[] {
  const keys: string[] = [];
  for (const [key, r] of Object.entries(resolved)) {
    const resources = r.state === 'resource' ? [r.resource] : r.state === 'bundle' ? r.resources : [];
    // An unreadable resource about someone else is still someone else's data: a security failure.
    const unreadable = r.state === 'bundle' || r.state === 'unavailable' ? (r.unreadable ?? []) : [];
    if (
      resources.some((res) => isForeign(res, patientId)) ||
      unreadable.some((u) => u.patientRef !== undefined && isForeignRef(u.patientRef, patientId))
    )
      keys.push(key);
  }
  return keys;
}

/** True when `ref` names a Patient other than `patientId`. */
export function isForeignRef(ref: string, patientId: string): boolean {
  const parsed = parseReference(ref);
  return parsed?.type === 'Patient' && parsed.id !== patientId;
}

function parseReference(ref: string): { type: string; id: string } | undefined {
  const m = /(?:^|\/)([A-Z][A-Za-z]+)\/([^/]+)$/.exec(ref.replace(/\/_history\/[^/]*$/, ''));
  return m?.[1] === undefined || m[2] === undefined ? undefined : { type: m[1], id: m[2] };
}
