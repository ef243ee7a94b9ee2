/**
 * `POST /api/populations/score` against a real Augur app (createApp, real store and authenticator), the
 * real FHIR server's `$export` and the real sandbox authorization server (Augur as a Backend Services
 * client, ES384): the Bulk Data async pattern end to end, the switches and the refusals.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Group, RiskAssessment } from 'fhir/r4.js';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fhirPopulationRunner } from '../../src/population-api/runner.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { startBulkSource, type BulkSource } from '../support/bulk-data.js';
import { population } from '../support/panel-population.js';

const PATH = '/api/populations/score';
const PATIENTS = population(1).slice(0, 8);
const ids = PATIENTS.map((g) => g.find((r) => r.resourceType === 'Patient')?.id ?? '');
const MEMBERS = ids.slice(0, 5);

let src: BulkSource;
let app: TestApp;
const dir = mkdtempSync(join(tmpdir(), 'augur-pop-api-'));

beforeAll(async () => {
  const group: Group = {
    resourceType: 'Group',
    id: 'clinic-a',
    type: 'person',
    actual: true,
    member: MEMBERS.map((id) => ({ entity: { reference: `Patient/${id}` } })),
  };
  src = await startBulkSource([...PATIENTS.flat(), group]);
  const keyFile = join(dir, 'augur-key.json');
  writeFileSync(keyFile, JSON.stringify(src.keys['bulk-es384']), { mode: 0o600 });
  app = await startTestApp({
    client: { allowPopulationScoring: true },
    file: {
      populations: {
        enabled: true,
        dir: join(dir, 'runs'),
        workers: 0,
        fhir: { baseUrl: src.fhir.baseUrl, clientId: 'bulk-es384', keyFile },
      },
    },
    populations: (config) => fhirPopulationRunner(config),
  });
}, 60_000);

afterAll(async () => {
  await app.close();
  await src.stop();
  rmSync(dir, { recursive: true, force: true });
});

const auth = async (path: string): Promise<string> => `Bearer ${await app.token(path)}`;

async function kickOff(body: object): Promise<string> {
  const res = await request(app.app)
    .post(PATH)
    .set('Authorization', await auth(PATH))
    .send(body);
  expect(res.status).toBe(202);
  const location = String(res.headers['content-location']);
  expect(location).toMatch(new RegExp(`^https://augur\\.test${PATH}/[0-9a-f-]{36}$`));
  return new URL(location).pathname;
}

async function poll(status: string): Promise<request.Response> {
  for (let i = 0; i < 600; i++) {
    const res = await request(app.app)
      .get(status)
      .set('Authorization', await auth(status));
    if (res.status !== 202) return res;
    expect(res.headers['x-progress']).toBeTruthy();
    expect(res.headers['retry-after']).toBe('5');
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the run never finished');
}

describe('POST /api/populations/score', () => {
  it('exports the group over Bulk Data, scores it, and answers the manifest; the files download with the same auth', async () => {
    const status = await kickOff({ group: 'clinic-a' });
    const done = await poll(status);
    expect(done.status).toBe(200);
    const manifest = done.body as {
      requiresAccessToken: boolean;
      output: { type: string; url: string }[];
      error: unknown[];
      transactionTime: string;
      request: string;
    };
    expect(manifest.requiresAccessToken).toBe(true);
    expect(manifest.error).toEqual([]);
    expect(manifest.request).toBe(`https://augur.test${PATH}`);
    expect(manifest.output.map((o) => o.type)).toEqual([
      'RiskAssessment',
      'worklist',
      'worklist-csv',
      'summary',
      'report',
    ]);
    const ra = manifest.output[0]?.url ?? '';
    const path = new URL(ra).pathname;
    const file = await request(app.app)
      .get(path)
      .set('Authorization', await auth(path))
      .buffer(true)
      .parse((res, cb) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
        });
        res.on('end', () => {
          cb(null, text);
        });
      });
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toMatch(/application\/fhir\+ndjson/);
    const assessments = String(file.body)
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as RiskAssessment);
    expect(assessments.length).toBeGreaterThan(0);
    const subjects = new Set(assessments.map((r) => r.subject.reference));
    for (const s of subjects) expect(MEMBERS.map((m) => `Patient/${m}`)).toContain(s);
    const summaryPath = new URL(manifest.output[3]?.url ?? '').pathname;
    const summary = await request(app.app)
      .get(summaryPath)
      .set('Authorization', await auth(summaryPath));
    expect((summary.body as { patients: { total: number } }).patients.total).toBe(MEMBERS.length);
    // Without a token the file is not served.
    expect((await request(app.app).get(path)).status).toBe(401);
  }, 120_000);

  it("a failed export: the status URL answers 500 with the FHIR server's reason", async () => {
    const status = await kickOff({ group: 'no-such-group' });
    const res = await poll(status);
    expect(res.status).toBe(500);
    expect((res.body as { resourceType: string }).resourceType).toBe('OperationOutcome');
    expect(JSON.stringify(res.body)).toMatch(/Group\/no-such-group not found/);
  });

  it('DELETE cancels: 202, then the status URL is 404', async () => {
    src.fhir.bulk?.setFaults({});
    const status = await kickOff({});
    const del = await request(app.app)
      .delete(status)
      .set('Authorization', await auth(status));
    expect(del.status).toBe(202);
    const gone = await request(app.app)
      .get(status)
      .set('Authorization', await auth(status));
    expect(gone.status).toBe(404);
    expect((gone.body as { resourceType: string }).resourceType).toBe('OperationOutcome');
  });

  it('a bad body is 400 with an OperationOutcome naming the field', async () => {
    const res = await request(app.app)
      .post(PATH)
      .set('Authorization', await auth(PATH))
      .send({ group: '../etc', extra: 1 });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/group/);
  });

  it('no JWT: 401', async () => {
    expect((await request(app.app).post(PATH).send({})).status).toBe(401);
  });
});

describe('switches', () => {
  it('off by default: 404 OperationOutcome', async () => {
    const off = await startTestApp({ client: { allowPopulationScoring: true } });
    try {
      const res = await request(off.app)
        .post(PATH)
        .set('Authorization', `Bearer ${await off.token(PATH)}`)
        .send({});
      expect(res.status).toBe(404);
      expect((res.body as { resourceType: string }).resourceType).toBe('OperationOutcome');
    } finally {
      await off.close();
    }
  });

  it('a client without allowPopulationScoring: 403', async () => {
    const other = await startTestApp({
      file: {
        populations: {
          enabled: true,
          workers: 0,
          fhir: { baseUrl: src.fhir.baseUrl, clientId: 'x', keyFile: '/nonexistent' },
        },
      },
      populations: (config) => fhirPopulationRunner(config),
    });
    try {
      const res = await request(other.app)
        .post(PATH)
        .set('Authorization', `Bearer ${await other.token(PATH)}`)
        .send({});
      expect(res.status).toBe(403);
      expect(JSON.stringify(res.body)).toMatch(/allowPopulationScoring/);
    } finally {
      await other.close();
    }
  });

  it('enabled without a FHIR source is a configuration error', async () => {
    await expect(startTestApp({ file: { populations: { enabled: true } } })).rejects.toThrow(/populations/);
  });
});
