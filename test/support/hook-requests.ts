/** Typed builders for CDS Hooks requests. */
import { randomUUID } from 'node:crypto';
import type { Bundle, MedicationRequest } from 'fhir/r4.js';

export interface HookRequestOptions {
  patientId?: string;
  userId?: string;
  fhirServer?: string;
  accessToken?: string;
  prefetch?: Record<string, unknown>;
  /** `fhirAuthorization.scope` (default: read access to every resource type the services ask for). */
  scope?: string;
  extra?: Record<string, unknown>;
  context?: Record<string, unknown>;
}

/** SMART v1 read scopes for every resource type Augur's services fetch. */
export const DEFAULT_SCOPE = [
  'Patient',
  'Observation',
  'Condition',
  'MedicationRequest',
  'MedicationStatement',
  'Medication',
  'Procedure',
  'ServiceRequest',
  'AllergyIntolerance',
  'Encounter',
]
  .map((t) => `patient/${t}.read`)
  .join(' ');

export function aPatientViewRequest(o: HookRequestOptions = {}): Record<string, unknown> {
  const patientId = o.patientId ?? 'p1';
  return {
    hook: 'patient-view',
    hookInstance: randomUUID(),
    ...(o.fhirServer === undefined ? {} : { fhirServer: o.fhirServer }),
    ...(o.accessToken === undefined
      ? {}
      : {
          fhirAuthorization: {
            access_token: o.accessToken,
            token_type: 'Bearer',
            expires_in: 300,
            scope: o.scope ?? DEFAULT_SCOPE,
            subject: 'augur',
            patient: patientId,
          },
        }),
    context: { userId: o.userId ?? 'Practitioner/dr1', patientId, ...o.context },
    ...(o.prefetch === undefined ? {} : { prefetch: o.prefetch }),
    ...o.extra,
  };
}

export function aDraftMedicationRequest(id: string, patientId = 'p1', rxnorm = '309362'): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id,
    status: 'draft',
    intent: 'order',
    subject: { reference: `Patient/${patientId}` },
    medicationCodeableConcept: {
      coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: rxnorm }],
    },
  };
}

export function anOrderRequest(
  hook: 'order-select' | 'order-sign',
  orders: MedicationRequest[],
  selections: string[] | undefined,
  o: HookRequestOptions = {},
): Record<string, unknown> {
  const draftOrders: Bundle = {
    resourceType: 'Bundle',
    type: 'collection',
    entry: orders.map((resource) => ({ resource })),
  };
  const base = aPatientViewRequest(o);
  return {
    ...base,
    hook,
    context: {
      ...(base['context'] as object),
      draftOrders,
      ...(selections === undefined ? {} : { selections }),
    },
  };
}
