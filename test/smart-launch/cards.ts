/**
 * Cards for the side app's browser tests: call a hook on the harness's Augur, signed as the test EHR,
 * and take the result id a card's SMART link carries (its `appContext`), to launch the app from it.
 */
import request from 'supertest';
import { expect } from 'vitest';
import type { Card } from '../../src/cds/types.js';
import type { Harness } from './harness.js';

/** POSTs `body` to /cds-services/{serviceId} with a signed EHR JWT; expects 200 and returns the cards. */
export async function hookCards(h: Harness, serviceId: string, body: object): Promise<Card[]> {
  const path = `/cds-services/${serviceId}`;
  const res = await request(h.augur.app)
    .post(path)
    .set('authorization', `Bearer ${await h.augur.token(path)}`)
    .send(body);
  expect(res.status).toBe(200);
  return (res.body as { cards: Card[] }).cards;
}

/** The stored result id a card's SMART link carries, if it has one. */
export const smartResultId = (card: Card | undefined): string | undefined =>
  card?.links?.find((l) => l.type === 'smart')?.appContext;

/** `r` as the record of `Patient/<patientId>` (builders that take no subject). */
export const forPatient =
  (patientId: string) =>
  <T extends object>(r: T): T => ({ ...r, subject: { reference: `Patient/${patientId}` } });
