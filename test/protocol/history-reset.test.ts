/**
 * The testers' card-history reset, over HTTP with signed JWTs and through the CLI (both ways: calling
 * the running server with a signed JWT, and opening the store directly): off unless the client is
 * explicitly allowed, audited with identifiers only, and it really makes the history go away.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { resetHistory } from '../../cli/commands/history.js';
import { run } from '../../cli/main.js';
import { PUBLIC_BASE, startTestApp, type TestApp } from '../support/app.js';
import { aPatientViewRequest } from '../support/hook-requests.js';
import { TEST_OVERRIDE_REASONS } from '../support/test-services.js';

const RESET = '/api/testing/card-history';
type Outcome = {
  resourceType: string;
  issue: { code: string; diagnostics: string; expression?: string[] }[];
};
const outcomeOf = (res: { body: unknown }): Outcome => res.body as Outcome;

let allowed: TestApp;
let plain: TestApp;
let open: TestApp;

beforeAll(async () => {
  allowed = await startTestApp({ client: { allowHistoryReset: true } });
  plain = await startTestApp();
  open = await startTestApp({ unauthenticated: true, file: { allowUnauthenticatedLoopback: true } });
});
afterAll(async () => {
  await allowed.close();
  await plain.close();
  await open.close();
});

/** Shows a card for `patientId` and overrides it, so there is history and feedback to reset. */
async function cardWithFeedback(t: TestApp, patientId: string): Promise<string> {
  const path = '/cds-services/test-patient-view';
  const res = await request(t.app)
    .post(path)
    .set('Authorization', `Bearer ${await t.token(path)}`)
    .send(
      aPatientViewRequest({ patientId, prefetch: { patient: { resourceType: 'Patient', id: patientId } } }),
    )
    .expect(200);
  const uuid = (res.body as { cards: { uuid: string }[] }).cards[0]!.uuid;
  await request(t.app)
    .post(`${path}/feedback`)
    .set('Authorization', `Bearer ${await t.token(`${path}/feedback`)}`)
    .send({
      feedback: [
        {
          card: uuid,
          outcome: 'overridden',
          overrideReason: { reason: TEST_OVERRIDE_REASONS[0] },
          outcomeTimestamp: new Date().toISOString(),
        },
      ],
    })
    .expect(200);
  return uuid;
}

const reset = async (t: TestApp, query: string, status: number) =>
  request(t.app)
    .delete(`${RESET}${query}`)
    .set('Authorization', `Bearer ${await t.token(RESET)}`)
    .expect(status);

describe('DELETE /api/testing/card-history', () => {
  it('200 for an allowed client: the patient’s cards and feedback are gone, audited with identifiers only', async () => {
    const patient = `reset-${randomUUID().slice(0, 8)}`;
    await cardWithFeedback(allowed, patient);
    await cardWithFeedback(allowed, 'someone-else');
    const res = await reset(allowed, `?patient=${patient}`, 200);
    expect(res.body).toEqual({ patient: `Patient/${patient}`, deleted: { cards: 1, feedback: 1 } });
    expect(await allowed.store.findCardHistory({ patientRef: `Patient/${patient}` })).toEqual([]);
    expect(await allowed.store.findCardHistory({ patientRef: 'Patient/someone-else' })).not.toEqual([]);
    const [event] = await allowed.store.readAudit({
      type: 'history-reset',
      patientRef: `Patient/${patient}`,
    });
    expect(event).toMatchObject({ action: 'D', outcome: '0', status: 200, iss: allowed.ehr.iss });
    expect(Object.keys(event ?? {}).sort()).toEqual(
      ['action', 'iss', 'jti', 'outcome', 'patientRef', 'recorded', 'requestId', 'status', 'type'].sort(),
    );
  });

  it('per service: only that service’s history goes; an unknown service is 404', async () => {
    const patient = `reset-${randomUUID().slice(0, 8)}`;
    await cardWithFeedback(allowed, patient);
    const other = await reset(allowed, `?patient=${patient}&service=test-order-select`, 200);
    expect(other.body).toEqual({
      patient: `Patient/${patient}`,
      service: 'test-order-select',
      deleted: { cards: 0, feedback: 0 },
    });
    const res = await reset(allowed, `?patient=${patient}&service=nope`, 404);
    expect(outcomeOf(res).resourceType).toBe('OperationOutcome');
  });

  it('403 forbidden for a client without "allowHistoryReset" (the default), nothing deleted, audited', async () => {
    const patient = `reset-${randomUUID().slice(0, 8)}`;
    await cardWithFeedback(plain, patient);
    const res = await reset(plain, `?patient=${patient}`, 403);
    expect(outcomeOf(res).issue[0]).toMatchObject({ code: 'forbidden' });
    expect(outcomeOf(res).issue[0]?.diagnostics).toMatch(/allowHistoryReset/);
    expect(await plain.store.findCardHistory({ patientRef: `Patient/${patient}` })).toHaveLength(1);
    const [event] = await plain.store.readAudit({ type: 'history-reset' });
    expect(event).toMatchObject({ outcome: '4', status: 403 });
  });

  it('403 in the unauthenticated loopback mode', async () => {
    await request(open.app).delete(`${RESET}?patient=p1`).expect(403);
  });

  it('401 without a token or with aud ≠ the endpoint URL; 400 for a missing or malformed patient', async () => {
    await request(allowed.app).delete(`${RESET}?patient=p1`).expect(401);
    await request(allowed.app)
      .delete(`${RESET}?patient=p1`)
      .set('Authorization', `Bearer ${await allowed.token('/cds-services/test-patient-view')}`)
      .expect(401);
    const missing = await reset(allowed, '', 400);
    expect(outcomeOf(missing).issue[0]?.expression).toEqual(['patient']);
    await reset(allowed, '?patient=../x', 400);
  });

  it('405 with Allow for another method on the path', async () => {
    const res = await request(allowed.app).get(RESET).expect(405);
    expect(res.headers['allow']).toBe('DELETE, OPTIONS');
  });
});

describe('augur history reset (CLI)', () => {
  let server: Server;
  let base: string;
  let dir: string;
  let cliApp: TestApp;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'augur-cli-reset-'));
    // Listen first, then build the app with the listening URL as a second public URL (publicBaseUrl list).
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
    cliApp = await startTestApp({
      client: { allowHistoryReset: true },
      file: { publicBaseUrl: [PUBLIC_BASE, base] },
    });
    server.on('request', cliApp.app);
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await cliApp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--augur: signs with the given private JWK (aud = the URL called) and calls the endpoint', async () => {
    const patient = `cli-${randomUUID().slice(0, 8)}`;
    await cardWithFeedback(cliApp, patient);
    const key = cliApp.ehr.keys.ES384;
    const file = join(dir, 'key.json');
    writeFileSync(file, JSON.stringify({ ...(await exportJWK(key.privateKey)), kid: key.kid, alg: 'ES384' }));
    const r = await resetHistory({ patient, augur: base, key: file, iss: cliApp.ehr.iss });
    expect(r).toEqual({ patient: `Patient/${patient}`, deleted: { cards: 1, feedback: 1 } });
    expect(await cliApp.store.findCardHistory({ patientRef: `Patient/${patient}` })).toEqual([]);
    // The same call signed by a client without the flag is refused, and the CLI says why.
    const pub = join(dir, 'public.json');
    writeFileSync(pub, JSON.stringify(key.publicJwk));
    await expect(resetHistory({ patient, augur: base, key: pub, iss: cliApp.ehr.iss })).rejects.toThrow(
      /private JWK/,
    );
    await expect(resetHistory({ patient, augur: base, key: file })).rejects.toThrow(/--iss/);
  });

  it('--augur signed by an issuer the server does not trust: the refusal (401) is printed', async () => {
    const key = plain.ehr.keys.ES384;
    const file = join(dir, 'plain-key.json');
    writeFileSync(file, JSON.stringify({ ...(await exportJWK(key.privateKey)), kid: key.kid, alg: 'ES384' }));
    await expect(resetHistory({ patient: 'p1', augur: base, key: file, iss: plain.ehr.iss })).rejects.toThrow(
      /401/,
    );
  });

  it('opens the embedded store directly (AUGUR_DATA_DIR), resets, audits; bad ids are usage errors', async () => {
    const dataDir = join(dir, 'data');
    const store = await openStore({ dataDir });
    const patientRef = 'Patient/cli-direct';
    await store.recordCardsShown([
      {
        cardUuid: randomUUID(),
        serviceId: 'augur-kidney-risk',
        hookInstance: randomUUID(),
        patientRef,
        cardKey: 'kfre:band=high',
        orderRefs: [],
        models: [],
        shownAt: new Date(),
        iss: 'https://ehr.example',
      },
    ]);
    await store.close();
    expect(await run(['history', 'reset', '--patient', 'cli-direct', '--data-dir', dataDir])).toBe(0);
    expect(await run(['history', 'reset', '--patient', '../etc', '--data-dir', dataDir])).toBe(2);
    expect(await run(['history', 'reset'])).toBe(2);
    const after = await openStore({ dataDir });
    expect(await after.findCardHistory({ patientRef })).toEqual([]);
    expect(await after.readAudit({ type: 'history-reset' })).toMatchObject([
      { action: 'D', outcome: '0', patientRef, iss: 'urn:augur:cli' },
    ]);
    await after.close();
  });
});
