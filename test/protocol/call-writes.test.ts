/**
 * A hook call's writes — the cards it showed (with their results) and its audit records — are one atomic
 * store write, committed before the answer leaves (src/cds/routes.ts finishCall). If that write fails,
 * the call answers 500 with an OperationOutcome, none of its cards is recorded, and its audit is still
 * written, alone, with status 500.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { aPatientViewRequest } from '../support/hook-requests.js';

const PV = '/cds-services/test-patient-view';
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  vi.restoreAllMocks();
  await t.close();
});

const body = (patientId: string): object =>
  aPatientViewRequest({
    patientId,
    prefetch: { patient: { resourceType: 'Patient', id: patientId }, conditions: null },
  });

describe('one store write per hook call', () => {
  it('writes the cards shown and the audit record together, once', async () => {
    const recordCall = vi.spyOn(t.store, 'recordCall');
    const recordCardsShown = vi.spyOn(t.store, 'recordCardsShown');
    const appendAudit = vi.spyOn(t.store, 'appendAudit');
    const res = await request(t.app)
      .post(PV)
      .set('Authorization', `Bearer ${await t.token(PV)}`)
      .send(body('one-write'))
      .expect(200);
    const requestId = res.headers['x-request-id'] as string;

    expect(recordCall).toHaveBeenCalledTimes(1);
    const writes = recordCall.mock.calls[0]?.[0];
    expect(writes?.cards?.map((c) => c.patientRef)).toEqual(['Patient/one-write']);
    expect(writes?.audits?.map((a) => [a.type, a.status, a.requestId])).toEqual([
      ['hook-call', 200, requestId],
    ]);
    expect(recordCardsShown).not.toHaveBeenCalled();
    expect(appendAudit).not.toHaveBeenCalled();

    const history = await t.store.findCardHistory({ patientRef: 'Patient/one-write' });
    expect(history.map((h) => h.cardUuid)).toEqual([
      (res.body as { cards: { uuid: string }[] }).cards[0]?.uuid,
    ]);
    expect((await t.store.readAudit({ requestId })).map((a) => a.status)).toEqual([200]);
    vi.restoreAllMocks();
  });

  it('a failed write fails the call (500), records no card, and still audits the call with status 500', async () => {
    const real = t.store.recordCall.bind(t.store);
    const recordCall = vi
      .spyOn(t.store, 'recordCall')
      .mockImplementation((writes) =>
        (writes.cards?.length ?? 0) > 0 ? Promise.reject(new Error('disk full')) : real(writes),
      );
    const res = await request(t.app)
      .post(PV)
      .set('Authorization', `Bearer ${await t.token(PV)}`)
      .send(body('write-fails'))
      .expect(500);
    expect((res.body as { resourceType: string }).resourceType).toBe('OperationOutcome');
    expect(JSON.stringify(res.body)).not.toContain('disk full');
    const requestId = res.headers['x-request-id'] as string;

    expect(recordCall).toHaveBeenCalledTimes(2); // the call's write, then its audit alone
    expect(await t.store.findCardHistory({ patientRef: 'Patient/write-fails' })).toEqual([]);
    const audit = await t.store.readAudit({ requestId });
    expect(audit.map((a) => [a.type, a.status, a.outcome])).toEqual([['hook-call', 500, '8']]);
    vi.restoreAllMocks();
  });
});
