/** Calling the PGx services through HTTP (real app, signed JWTs, real store) and validating suggestions on the real FHIR server. */
import type { Bundle, FhirResource, MedicationRequest, OperationOutcome } from 'fhir/r4.js';
import request from 'supertest';
import type { Card } from '../../../src/cds/types.js';
import type { ServiceApp } from '../../support/services.js';
import { aBundle, aPatient, anObservation, coding, RXNORM, UCUM } from '../../support/fhir-builders.js';
import { aDraftMedicationRequest } from '../../support/hook-requests.js';

export const NOW = new Date('2026-11-22T12:00:00Z');
export const path = (id: string): string => `/cds-services/${id}`;

export async function post(
  t: ServiceApp,
  id: string,
  body: Record<string, unknown>,
  status = 200,
): Promise<request.Response> {
  return request(t.app)
    .post(path(id))
    .set('Authorization', `Bearer ${await t.token(path(id))}`)
    .send(body)
    .expect(status);
}

export async function cardsOf(t: ServiceApp, id: string, body: Record<string, unknown>): Promise<Card[]> {
  return ((await post(t, id, body)).body as { cards: Card[] }).cards;
}

/** A draft order (the shared builder) with the product's display and, optionally, a dose in mg. */
export function draft(
  id: string,
  rxnorm: string,
  display: string,
  patientId: string,
  dose?: number,
): MedicationRequest {
  return {
    ...aDraftMedicationRequest(id, patientId, rxnorm),
    medicationCodeableConcept: { coding: [coding(RXNORM, rxnorm, display)] },
    ...(dose === undefined
      ? {}
      : {
          dosageInstruction: [
            {
              text: `${String(dose)} mg twice daily`,
              doseAndRate: [{ doseQuantity: { value: dose, unit: 'mg', system: UCUM, code: 'mg' } }],
            },
          ],
        }),
  };
}

/** The warfarin worked-example patient (models.md §5): 65 y, 175 cm, 80 kg, White. */
export function iwpcPatient(id: string): FhirResource[] {
  const subject = { reference: `Patient/${id}` };
  return [
    aPatient({ id, birthDate: '1961-01-01', gender: 'male', race: ['white'] }),
    { ...anObservation({ loinc: '8302-2', value: 175, unit: 'cm', date: '2026-10-01' }), subject },
    { ...anObservation({ loinc: '29463-7', value: 80, unit: 'kg', date: '2026-11-01' }), subject },
  ];
}

export const searchset = (resources: FhirResource[]): Bundle => ({
  ...aBundle(resources),
  type: 'searchset',
});

/** Every create/update resource in the cards' suggestions. */
export const suggestedResources = (cards: readonly Card[]): FhirResource[] =>
  cards.flatMap((c) =>
    (c.suggestions ?? []).flatMap((s) =>
      (s.actions ?? []).flatMap((a) => (a.resource === undefined ? [] : [a.resource])),
    ),
  );

/** POST {base}/{type}/$validate on the real FHIR server: the error issues (empty = valid R4). */
export async function validationErrors(
  baseUrl: string,
  resource: FhirResource,
  token: string,
): Promise<string[]> {
  const res = await fetch(`${baseUrl}/${resource.resourceType}/$validate`, {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json', authorization: `Bearer ${token}` },
    body: JSON.stringify(resource),
  });
  if (!res.ok) throw new Error(`$validate answered ${String(res.status)}`);
  const oo = (await res.json()) as OperationOutcome;
  return oo.issue
    .filter((i) => i.severity === 'error' || i.severity === 'fatal')
    .map((i) => `${i.expression?.join(',') ?? ''} ${i.diagnostics ?? ''}`);
}
