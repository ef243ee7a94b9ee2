/**
 * Real-client compatibility of PGx order suggestions and de-duplication, over HTTP with signed JWTs:
 * - `suggestions.replaceStyle: "delete-create"` (site setting) gives the delete + create form, both
 *   resources valid on the real FHIR server ($validate);
 * - order-select → order-sign de-duplication is scoped to one ordering session — the same encounter,
 *   within `orderSession.windowHours` — not all history (the cds-hooks sandbox reuses
 *   `MedicationRequest/request-123` for every order).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MedicationRequest } from 'fhir/r4.js';
import { pgxServices } from '../../../src/services/pgx/index.js';
import { startFhirServer, type FhirServer } from '../../support/fhir-server.js';
import { startServiceApp, type ServiceApp } from '../../support/services.js';
import { anOrderRequest } from '../../support/hook-requests.js';
import { aPatient } from '../../support/fhir-builders.js';
import { genotype } from '../../pgx/helpers.js';
import { cardsOf, draft, searchset, suggestedResources, validationErrors } from './harness.js';

const SELECT = 'augur-pgx-order-select';
const SIGN = 'augur-pgx-order-sign';
const HOUR = 3_600_000;

const clock = { ms: Date.parse('2026-11-22T12:00:00Z') };
let fhir: FhirServer;
let deleteCreate: ServiceApp;
let session: ServiceApp;

beforeAll(async () => {
  fhir = await startFhirServer();
  deleteCreate = await startServiceApp((deps) => pgxServices(deps), {
    file: { suggestions: { replaceStyle: 'delete-create' } },
  });
  session = await startServiceApp((deps) => pgxServices(deps), {
    now: () => new Date(clock.ms),
    file: { orderSession: { windowHours: 2 } },
  });
});
afterAll(async () => {
  await deleteCreate.close();
  await session.close();
  await fhir.stop();
});

/** The sandbox's own order id, a CYP2C19 poor metabolizer. */
function poorMetabolizer(patientId: string) {
  const order = draft('request-123', '309362', 'clopidogrel 75 MG Oral Tablet', patientId);
  const g = genotype('CYP2C19', '*2/*2', { id: `g-${patientId}`, date: '2023-06-01' });
  const prefetch = {
    patient: aPatient({ id: patientId }),
    observations: searchset([{ ...g, subject: { reference: `Patient/${patientId}` } }]),
    medications: searchset([]),
  };
  const call = (hook: 'order-select' | 'order-sign', encounterId?: string) =>
    anOrderRequest(hook, [order], hook === 'order-select' ? ['MedicationRequest/request-123'] : undefined, {
      patientId,
      prefetch,
      ...(encounterId === undefined ? {} : { context: { encounterId } }),
    });
  return { order, call };
}

describe('suggestions.replaceStyle: "delete-create"', () => {
  it('replacing the drug is a delete of the draft then a create, each valid R4', async () => {
    const { call } = poorMetabolizer('dc-1');
    const cards = await cardsOf(deleteCreate, SELECT, call('order-select'));
    const actions = cards[0]?.suggestions?.map((s) =>
      s.actions?.map((a) => `${a.type}:${a.resourceId ?? a.resource?.resourceType ?? ''}`),
    );
    expect(actions).toEqual([
      ['delete:MedicationRequest/request-123', 'create:MedicationRequest'],
      ['delete:MedicationRequest/request-123', 'create:MedicationRequest'],
    ]);
    const created = suggestedResources(cards) as MedicationRequest[];
    expect(created.every((r) => r.id === undefined)).toBe(true);
    for (const r of created) {
      expect(r.medicationCodeableConcept?.text).toBeTruthy();
      expect(await validationErrors(fhir.baseUrl, r, '')).toEqual([]);
    }
  });

  it('an unknown style is refused at start-up, naming the field', async () => {
    await expect(
      startServiceApp((deps) => pgxServices(deps), { file: { suggestions: { replaceStyle: 'replace' } } }),
    ).rejects.toThrow(/suggestions\.replaceStyle/);
  });
});

describe('order-select → order-sign de-duplication: one ordering session', () => {
  it('the same encounter within the window: order-sign does not repeat the card', async () => {
    const { call } = poorMetabolizer('s-1');
    expect(await cardsOf(session, SELECT, call('order-select', 'enc-1'))).toHaveLength(1);
    expect(await cardsOf(session, SIGN, call('order-sign', 'enc-1'))).toEqual([]);
  });

  it('another encounter (a new session reusing request-123): order-sign shows it', async () => {
    const { call } = poorMetabolizer('s-2');
    expect(await cardsOf(session, SELECT, call('order-select', 'enc-1'))).toHaveLength(1);
    expect(await cardsOf(session, SIGN, call('order-sign', 'enc-2'))).toHaveLength(1);
  });

  it('no encounter on either call: the window alone scopes it; after the window the card shows again', async () => {
    const { call } = poorMetabolizer('s-3');
    expect(await cardsOf(session, SELECT, call('order-select'))).toHaveLength(1);
    clock.ms += 1 * HOUR;
    expect(await cardsOf(session, SIGN, call('order-sign'))).toEqual([]);
    clock.ms += 2 * HOUR;
    expect(await cardsOf(session, SIGN, call('order-sign'))).toHaveLength(1);
  });

  it('order-select in an encounter does not silence an order-sign without one', async () => {
    const { call } = poorMetabolizer('s-4');
    expect(await cardsOf(session, SELECT, call('order-select', 'enc-9'))).toHaveLength(1);
    expect(await cardsOf(session, SIGN, call('order-sign'))).toHaveLength(1);
  });
});
