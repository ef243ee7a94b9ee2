/**
 * Calling the cardiovascular service through HTTP (real app, real signed JWT, real store) and reading
 * what came back: the cards, their suggestions' resources, and the stored result behind a card.
 */
import type { FhirResource } from 'fhir/r4.js';
import request from 'supertest';
import { expect } from 'vitest';
import type { Card } from '../../../src/cds/types.js';
import type { ResultPayload } from '../../../src/cards/result.js';
import type { ServiceApp } from '../../support/services.js';
import { aPatientViewRequest, type HookRequestOptions } from '../../support/hook-requests.js';
import { NOW, prefetchOf, type CvPatient, type PrefetchKey } from './builders.js';

export const SERVICE_ID = 'augur-cardiovascular-risk';
export const PATH = `/cds-services/${SERVICE_ID}`;

export async function call(t: ServiceApp, body: Record<string, unknown>): Promise<Card[]> {
  const res = await request(t.app)
    .post(PATH)
    .set('Authorization', `Bearer ${await t.token(PATH)}`)
    .send(body)
    .expect(200);
  return (res.body as { cards: Card[] }).cards;
}

/** patient-view with the patient's complete prefetch (minus `omit` keys), no FHIR server. */
export function withPrefetch(
  t: ServiceApp,
  p: CvPatient,
  omit: readonly PrefetchKey[] = [],
  o: HookRequestOptions = {},
): Promise<Card[]> {
  return call(t, aPatientViewRequest({ ...o, patientId: p.id, prefetch: prefetchOf(p, omit) }));
}

export const summaries = (cards: readonly Card[]): string[] => cards.map((c) => c.summary);

/** The resources the card's suggestions would create. */
export function suggested(card: Card | undefined): FhirResource[] {
  return (card?.suggestions ?? []).flatMap((s) =>
    (s.actions ?? []).flatMap((a) => (a.resource === undefined ? [] : [a.resource])),
  );
}

/** The RxNorm / LOINC code of each suggested resource. */
export function suggestedCodes(card: Card | undefined): string[] {
  return suggested(card).map((r) => {
    if (r.resourceType === 'MedicationRequest')
      return `rxnorm:${r.medicationCodeableConcept?.coding?.[0]?.code ?? ''}`;
    if (r.resourceType === 'ServiceRequest') return `loinc:${r.code?.coding?.[0]?.code ?? ''}`;
    return r.resourceType;
  });
}

/** The stored result the card's smart link names (its appContext is the only thing it carries). */
export async function storedResult(t: ServiceApp, card: Card | undefined): Promise<ResultPayload> {
  const link = card?.links?.find((l) => l.type === 'smart');
  expect(link?.appContext).toMatch(/^[A-Za-z0-9_-]{22}$/);
  const stored = await t.store.getResult(link?.appContext ?? '', NOW);
  expect(stored).toBeDefined();
  return stored?.payload as ResultPayload;
}

/** One model run of a stored result, by model id. */
export function runOf(payload: ResultPayload, modelId: string): ResultPayload['runs'][number] {
  const run = payload.runs.find((r) => r.model.id === modelId);
  if (run === undefined) throw new Error(`no run of ${modelId}`);
  return run;
}
