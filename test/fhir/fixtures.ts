/** Typed builders for FHIR test data, carrying canary PHI so the suite-wide log check has bait. */
import type { Observation, Patient } from 'fhir/r4.js';
import type { Logger } from 'pino';
import { LimitsSchema, type Limits } from '../../src/config/schema.js';
import type { CdsRequest, PatientViewContext } from '../../src/cds/types.js';
import { createFhirClient, type FhirClient, type FhirRequestEvent } from '../../src/fhir/client.js';
import { CANARY } from '../support/log-canary.js';
import { testLogger } from '../support/logs.js';

export const LOINC = 'http://loinc.org';

export function aPatient(id: string): Patient {
  return {
    resourceType: 'Patient',
    id,
    name: [{ family: CANARY.patientName, given: ['Test'] }],
    birthDate: CANARY.birthDate,
    identifier: [{ system: 'urn:mrn', value: CANARY.mrn }],
    telecom: [{ system: 'phone', value: CANARY.phone }],
  };
}

export function anObservation(patientId: string, code: string, date: string, value = 1): Observation {
  return {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: LOINC, code }] },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: date,
    valueQuantity: { value, unit: 'mg/dL' },
  };
}

export function aHookRequest(
  patientId: string,
  extra: Partial<CdsRequest<PatientViewContext>> = {},
): CdsRequest {
  return {
    hook: 'patient-view',
    hookInstance: 'd1577c69-dfbe-44ad-ba6d-3e05e953b2ea',
    context: { userId: 'Practitioner/dr1', patientId },
    ...extra,
  };
}

export const limits = (overrides: Partial<Limits> = {}): Limits => ({
  ...LimitsSchema.parse({}),
  ...overrides,
});

export interface TestClient {
  client: FhirClient;
  events: FhirRequestEvent[];
}

/** A client with the canary token, recording its audit events. */
export function aClient(
  baseUrl: string,
  opts: { deadlineMs?: number; limits?: Limits; token?: string; log?: Logger } = {},
): TestClient {
  const events: FhirRequestEvent[] = [];
  const client = createFhirClient({
    baseUrl,
    accessToken: opts.token ?? CANARY.accessToken,
    deadline: AbortSignal.timeout(opts.deadlineMs ?? 5000),
    limits: opts.limits ?? limits(),
    onRequest: (e) => events.push(e),
    log: opts.log ?? testLogger(),
  });
  return { client, events };
}
