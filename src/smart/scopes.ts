/**
 * The side app's SMART scopes, derived from what the loaded models read: each binding source maps to
 * the FHIR resource types the browser-side extraction (src/features) reads for it, requested read +
 * search only (`.rs`, SMART v2). A new binding source fails type-checking here until it is mapped.
 */
import type { FhirBinding } from '../features/binding.js';
import type { ModelManifest } from '../models/manifest.js';

export const RESOURCES_BY_SOURCE: Readonly<Record<FhirBinding['source'], readonly string[]>> = {
  patient: ['Patient'],
  observation: ['Observation'],
  'coded-observation': ['Observation'],
  derived: ['Observation'],
  genotype: ['Observation'],
  condition: ['Condition'],
  // Medication: a MedicationRequest/Statement may name its drug by reference (src/features/medications.ts).
  'medication-class': ['MedicationRequest', 'MedicationStatement', 'Medication'],
  setting: [],
};

/** `patient/<Type>.rs` for every resource type the models read (Patient always), sorted. */
export function readScopes(manifests: readonly Pick<ModelManifest, 'inputs'>[]): string[] {
  const types = new Set<string>(['Patient']);
  for (const m of manifests)
    for (const input of m.inputs) for (const t of RESOURCES_BY_SOURCE[input.fhir.source]) types.add(t);
  return [...types].sort().map((t) => `patient/${t}.rs`);
}

/** EHR launch: `launch`; standalone: `launch/patient` (the authorization server asks for the patient). */
export function launchScopes(read: readonly string[]): { ehr: string; standalone: string } {
  const rest = ['openid', 'fhirUser', ...read].join(' ');
  return { ehr: `launch ${rest}`, standalone: `launch/patient ${rest}` };
}
