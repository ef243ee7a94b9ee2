/**
 * Valid requests for every clinical service (and feedback), the seeds the structure-aware fuzz mutates.
 * The patient is the bench patient (68-year-old man with AF, hypertension, diabetes and CKD: every risk
 * service has work to do) plus pharmacogenomic results and a clopidogrel draft order, with canary PHI
 * planted in the Patient so the log canary can see any leak.
 */
import { randomUUID } from 'node:crypto';
import type { Bundle, FhirResource, MedicationRequest } from 'fhir/r4.js';
import { benchPatient } from '../../bench/patient.js';
import { aGenotype, aMedicationRequest, RXNORM } from '../support/fhir-builders.js';
import { CANARY } from '../support/log-canary.js';
import type { ServiceDefinition } from '../../src/cds/service.js';
import type { HookName } from '../../src/cds/types.js';

export const PATIENT_ID = 'p1';

export function patientResources(now: Date): FhirResource[] {
  const resources = benchPatient(now).map((r) =>
    r.resourceType === 'Patient'
      ? {
          ...r,
          name: [{ family: CANARY.patientName, given: ['Ann'] }],
          identifier: [{ system: 'urn:mrn', value: CANARY.mrn }],
          telecom: [{ system: 'phone' as const, value: CANARY.phone }],
        }
      : r,
  );
  return [
    ...resources,
    aGenotype({ shape: 'ig', gene: 'CYP2C19', value: '*2/*2', id: 'g-cyp2c19' }),
    aGenotype({ shape: 'ig', gene: 'SLCO1B1', value: '*5/*5', id: 'g-slco1b1' }),
    aGenotype({ shape: 'legacy', gene: 'CYP2C9', value: '*1/*3', id: 'g-cyp2c9' }),
    aMedicationRequest({ id: 'm-simva', rxnorm: '36567', display: 'simvastatin' }),
  ];
}

export function draftClopidogrel(id = 'draft-1'): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id,
    status: 'draft',
    intent: 'order',
    subject: { reference: `Patient/${PATIENT_ID}` },
    medicationCodeableConcept: {
      coding: [{ system: RXNORM, code: '309362', display: 'clopidogrel 75 MG Oral Tablet' }],
      text: 'clopidogrel 75 MG Oral Tablet',
    },
    dosageInstruction: [{ text: '75 mg daily' }],
  };
}

const typeOf = (query: string): string => /^([A-Za-z]+)/.exec(query)?.[1] ?? '';

/** A prefetch value for one template, filled the way an EHR fills it from the patient's resources. */
export function prefetchValue(query: string, resources: readonly FhirResource[]): unknown {
  const type = typeOf(query);
  if (!query.includes('?')) return resources.find((r) => r.resourceType === type) ?? null;
  const entry = resources.filter((r) => r.resourceType === type).map((resource) => ({ resource }));
  const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset', total: entry.length, entry };
  return bundle;
}

export interface Seed {
  name: string;
  serviceId: string;
  path: string;
  body: Record<string, unknown>;
}

/** One valid hook request per service, prefetch filled from `resources`. */
export function hookSeed(
  def: ServiceDefinition,
  resources: readonly FhirResource[],
  fhirServer: string,
): Seed {
  const prefetch = Object.fromEntries(
    Object.entries(def.prefetch).map(([key, d]) => [key, prefetchValue(d.query, resources)]),
  );
  const context: Record<string, unknown> = { userId: 'Practitioner/dr1', patientId: PATIENT_ID };
  const hook: HookName = def.hook;
  if (hook !== 'patient-view') {
    const draft = draftClopidogrel();
    context['draftOrders'] = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: draft }] };
    if (hook === 'order-select') context['selections'] = [`MedicationRequest/${draft.id ?? ''}`];
  }
  return {
    name: def.id,
    serviceId: def.id,
    path: `/cds-services/${def.id}`,
    body: { hook, hookInstance: randomUUID(), fhirServer, context, prefetch },
  };
}
