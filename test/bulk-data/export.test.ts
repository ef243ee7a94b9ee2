/**
 * The Bulk Data client (src/bulk-data) against the real FHIR server's `$export` front end and the real
 * sandbox authorization server (SMART Backend Services, private_key_jwt RS384 and ES384): kick-off, polling,
 * downloads, and every failure the issue names.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Group, Resource } from 'fhir/r4.js';
import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { backendTokenSource, clientAssertion } from '../../src/bulk-data/backend-auth.js';
import { BulkDataError } from '../../src/bulk-data/errors.js';
import { bulkExport, retryAfterMs, type ExportOptions } from '../../src/bulk-data/export.js';
import { aCondition, anObservation, aPatient } from '../support/fhir-builders.js';
import { privateJwk, startBulkSource, type BulkSource } from '../support/bulk-data.js';

const PATIENTS = ['p1', 'p2', 'p3', 'p4'];
const seed: Resource[] = [
  ...PATIENTS.map((id) => aPatient({ id })),
  ...PATIENTS.flatMap((id) => [
    {
      ...anObservation({ id: `${id}-chol`, loinc: '2093-3', value: 200, unit: 'mg/dL' }),
      subject: { reference: `Patient/${id}` },
    },
    { ...aCondition({ id: `${id}-htn`, snomed: '38341003' }), subject: { reference: `Patient/${id}` } },
  ]),
  {
    resourceType: 'Group',
    id: 'panel-a',
    type: 'person',
    actual: true,
    member: [{ entity: { reference: 'Patient/p1' } }, { entity: { reference: 'Patient/p3' } }],
  } as Group,
];

let src: BulkSource;
const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'augur-bulk-'));
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  src = await startBulkSource(seed);
}, 60_000);
afterAll(async () => {
  await src.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
afterEach(() => {
  src.fhir.bulk?.setFaults({});
});

const run = async (o: Partial<ExportOptions> & { client?: 'bulk-rs384' | 'bulk-es384' } = {}) => {
  const clientId = o.client ?? 'bulk-rs384';
  const tokens = await backendTokenSource(src.fhir.baseUrl, { clientId, key: src.keys[clientId] });
  return bulkExport({
    fhirBase: src.fhir.baseUrl,
    level: { kind: 'system' },
    dir: tmp(),
    tokens,
    maxRetryAfterMs: 50,
    ...o,
  });
};

const lines = (dir: string, file: string): Resource[] =>
  readFileSync(join(dir, file), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Resource);

describe('Backend Services authentication', () => {
  it('signs the client assertion as the spec asks: iss = sub = client_id, aud = token endpoint, jti, exp ≤ 5 min', async () => {
    const jwt = await clientAssertion(
      { clientId: 'c1', key: src.keys['bulk-es384'] },
      'https://as.example/token',
    );
    const claims = decodeJwt(jwt);
    expect(claims.iss).toBe('c1');
    expect(claims.sub).toBe('c1');
    expect(claims.aud).toBe('https://as.example/token');
    expect(typeof claims.jti).toBe('string');
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBeLessThanOrEqual(300);
  });

  it('discovers the token endpoint and gets a system/*.rs token from the real auth server (v2 advertised)', async () => {
    const tokens = await backendTokenSource(src.fhir.baseUrl, {
      clientId: 'bulk-es384',
      key: src.keys['bulk-es384'],
    });
    expect(tokens.tokenEndpoint).toBe(src.auth.tokenEndpoint);
    expect(tokens.scope).toBe('system/*.rs');
    const claims = await src.auth.verifyAccessToken(await tokens.token());
    expect(claims?.scope).toBe('system/*.rs');
  });

  it('a v1 scope (system/*.read) works too', async () => {
    const result = await run({ client: 'bulk-rs384' });
    expect(result.files.length).toBeGreaterThan(0);
    const v1 = await backendTokenSource(src.fhir.baseUrl, {
      clientId: 'bulk-rs384',
      key: src.keys['bulk-rs384'],
      scope: 'system/*.read',
    });
    const r2 = await bulkExport({
      fhirBase: src.fhir.baseUrl,
      level: { kind: 'system' },
      dir: tmp(),
      tokens: v1,
      maxRetryAfterMs: 50,
    });
    expect(r2.files.map((f) => f.type).sort()).toEqual(['Condition', 'Observation', 'Patient']);
  });

  it('a key the server does not know: the token endpoint answer (401 invalid_client) is the error', async () => {
    const stranger = await privateJwk('RS384', 'rs-1');
    const tokens = await backendTokenSource(src.fhir.baseUrl, { clientId: 'bulk-rs384', key: stranger });
    const err = await tokens.token().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BulkDataError);
    expect((err as BulkDataError).kind).toBe('token');
    expect((err as BulkDataError).status).toBe(401);
    expect((err as Error).message).toMatch(/invalid_client/);
  });

  it('an RS256 key is refused before anything is sent (the spec asks RS384 or ES384)', async () => {
    const key = { ...src.keys['bulk-rs384'], alg: 'RS256' };
    await expect(clientAssertion({ clientId: 'x', key }, 'https://as.example/token')).rejects.toThrow(
      /RS384 or ES384/,
    );
  });

  it('the FHIR server refuses a kick-off with a token lacking a system read scope', async () => {
    const tokens = await backendTokenSource(src.fhir.baseUrl, {
      clientId: 'bulk-rs384',
      key: src.keys['bulk-rs384'],
      scope: 'system/Patient.rs',
    });
    const err = await bulkExport({
      fhirBase: src.fhir.baseUrl,
      level: { kind: 'system' },
      dir: tmp(),
      tokens,
    }).catch((e: unknown) => e);
    expect((err as BulkDataError).kind).toBe('kickoff');
    expect((err as BulkDataError).status).toBe(401);
    expect((err as Error).message).toMatch(/system read scope/);
  });
});

describe('kick-off, poll, download', () => {
  it('system export: one file per type, every resource, the token on every request to the FHIR server', async () => {
    const before = src.fhir.requests.length;
    const progress: string[] = [];
    const result = await run({ onProgress: (e) => progress.push(e.step) });
    expect(result.failed).toEqual([]);
    const byType = Object.fromEntries(result.files.map((f) => [f.type, f]));
    expect(Object.keys(byType).sort()).toEqual(['Condition', 'Observation', 'Patient']);
    expect(byType['Patient']?.count).toBe(4);
    expect(
      lines(result.dir, 'Patient-1.ndjson')
        .map((r) => r.id)
        .sort(),
    ).toEqual(PATIENTS);
    expect(lines(result.dir, 'Observation-1.ndjson')).toHaveLength(4);
    expect(progress).toContain('waiting');
    const bulkRequests = src.fhir.requests.slice(before).filter((r) => r.url.includes('$export'));
    expect(bulkRequests.length).toBeGreaterThanOrEqual(5);
    for (const r of bulkRequests) expect(r.authorization).toMatch(/^Bearer /);
  });

  it('Group export (ES384 client): only the group members and their resources', async () => {
    const result = await run({ client: 'bulk-es384', level: { kind: 'group', id: 'panel-a' } });
    expect(
      lines(result.dir, 'Patient-1.ndjson')
        .map((r) => r.id)
        .sort(),
    ).toEqual(['p1', 'p3']);
    const subjects = lines(result.dir, 'Condition-1.ndjson').map(
      (r) => (r as { subject?: { reference?: string } }).subject?.reference,
    );
    expect(subjects.sort()).toEqual(['Patient/p1', 'Patient/p3']);
  });

  it('Patient-level export with _type and _since', async () => {
    const all = await run({ level: { kind: 'patient' }, types: ['Patient', 'Condition'] });
    expect(all.files.map((f) => f.type).sort()).toEqual(['Condition', 'Patient']);
    const future = await run({
      level: { kind: 'patient' },
      since: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(future.files).toEqual([]);
  });
});

describe('errors', () => {
  it('kick-off 4xx: the OperationOutcome diagnostics are in the error (unknown _type, unknown group)', async () => {
    const bad = await run({ types: ['Spaceship'] }).catch((e: unknown) => e);
    expect((bad as BulkDataError).kind).toBe('kickoff');
    expect((bad as BulkDataError).status).toBe(400);
    expect((bad as Error).message).toMatch(/unsupported _type Spaceship/);
    const nogroup = await run({ level: { kind: 'group', id: 'nope' } }).catch((e: unknown) => e);
    expect((nogroup as BulkDataError).status).toBe(404);
    expect((nogroup as Error).message).toMatch(/Group\/nope not found/);
  });

  it('the server answers a kick-off without Prefer: respond-async with 400 and an OperationOutcome', async () => {
    const tokens = await backendTokenSource(src.fhir.baseUrl, {
      clientId: 'bulk-rs384',
      key: src.keys['bulk-rs384'],
    });
    const res = await fetch(`${src.fhir.baseUrl}/$export`, {
      headers: { authorization: `Bearer ${await tokens.token()}`, accept: 'application/fhir+json' },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { resourceType: string; issue: { diagnostics: string }[] };
    expect(body.resourceType).toBe('OperationOutcome');
    expect(body.issue[0]?.diagnostics).toMatch(/respond-async/);
  });

  it('a job that fails: 500 OperationOutcome at the status URL → a job error with its diagnostics', async () => {
    src.fhir.bulk?.setFaults({ failJob: 'disk full on the export node' });
    const err = await run().catch((e: unknown) => e);
    expect((err as BulkDataError).kind).toBe('job');
    expect((err as BulkDataError).status).toBe(500);
    expect((err as Error).message).toMatch(/disk full on the export node/);
  });

  it('DELETE cancels a job: 202, then its status URL is 404', async () => {
    const tokens = await backendTokenSource(src.fhir.baseUrl, {
      clientId: 'bulk-rs384',
      key: src.keys['bulk-rs384'],
    });
    const auth = { authorization: `Bearer ${await tokens.token()}` };
    const kick = await fetch(`${src.fhir.baseUrl}/$export`, {
      headers: { ...auth, prefer: 'respond-async' },
    });
    expect(kick.status).toBe(202);
    const status = kick.headers.get('content-location') ?? '';
    const first = await fetch(status, { headers: auth });
    expect(first.status).toBe(202);
    expect(first.headers.get('x-progress')).toMatch(/exporting/);
    expect(first.headers.get('retry-after')).toBe('1');
    expect((await fetch(status, { method: 'DELETE', headers: auth })).status).toBe(202);
    expect((await fetch(status, { headers: auth })).status).toBe(404);
  });

  it('a server failing mid-download: the file is reported; a resumed run fetches only that file, not the others nor a new job', async () => {
    src.fhir.bulk?.setFaults({ failDownload: { type: 'Observation', afterBytes: 100, times: 2 } });
    const dir = tmp();
    const first = await run({ dir, fileRetries: 1 });
    expect(first.failed).toHaveLength(1);
    expect(first.failed[0]?.file).toBe('Observation-1.ndjson');
    expect(first.failed[0]?.reason).toMatch(/interrupted/);
    expect(readdirSync(dir).sort()).toEqual(['Condition-1.ndjson', 'Patient-1.ndjson', 'bulk-export.json']);

    const jobs = src.fhir.bulk?.jobs.length ?? 0;
    const downloads = src.fhir.bulk?.downloads.length ?? 0;
    const second = await run({ dir });
    expect(second.failed).toEqual([]);
    expect(
      second.files
        .filter((f) => f.skipped)
        .map((f) => f.type)
        .sort(),
    ).toEqual(['Condition', 'Patient']);
    expect(src.fhir.bulk?.jobs.length).toBe(jobs);
    expect(src.fhir.bulk?.downloads.slice(downloads).map((d) => d.split('/')[1])).toEqual(['Observation']);
    expect(lines(dir, 'Observation-1.ndjson')).toHaveLength(4);
  });

  it('Retry-After is honoured up to the cap, and the total deadline ends a job that never finishes', async () => {
    expect(retryAfterMs('7')).toBe(7000);
    expect(retryAfterMs(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(retryAfterMs('soon')).toBeUndefined();
    const err = await run({ maxRetryAfterMs: 5000, deadlineMs: 500 }).catch((e: unknown) => e);
    expect((err as BulkDataError).kind).toBe('deadline');
  });
});

describe('files on another origin', () => {
  let other: BulkSource;
  afterEach(async () => {
    await other.stop();
  });

  /** The same server named `localhost`: another origin for the client. */
  const elsewhere = (s: BulkSource): string => s.fhir.baseUrl.replace('127.0.0.1', 'localhost');

  const exportFrom = async (s: BulkSource) =>
    bulkExport({
      fhirBase: s.fhir.baseUrl,
      level: { kind: 'system' },
      dir: tmp(),
      tokens: await backendTokenSource(s.fhir.baseUrl, { clientId: 'bulk-rs384', key: s.keys['bulk-rs384'] }),
      maxRetryAfterMs: 50,
    });

  it('requiresAccessToken true: a file on another origin is not downloaded (the token would leave the FHIR server)', async () => {
    other = await startBulkSource(seed);
    other.fhir.bulk?.setFilesBaseUrl(elsewhere(other));
    const before = other.fhir.requests.length;
    const result = await exportFrom(other);
    expect(result.files).toEqual([]);
    expect(result.failed).toHaveLength(3);
    for (const f of result.failed) expect(f.reason).toMatch(/requires the access token: not downloaded/);
    expect(other.fhir.requests.slice(before).filter((r) => r.url.includes('$export-file'))).toEqual([]);
  });

  it('requiresAccessToken false: files on another origin are fetched, without the token', async () => {
    other = await startBulkSource(seed, { requiresAccessToken: false });
    other.fhir.bulk?.setFilesBaseUrl(elsewhere(other));
    const before = other.fhir.requests.length;
    const result = await exportFrom(other);
    expect(result.failed).toEqual([]);
    expect(result.files).toHaveLength(3);
    const fileRequests = other.fhir.requests.slice(before).filter((r) => r.url.includes('$export-file'));
    expect(fileRequests).toHaveLength(3);
    for (const r of fileRequests) expect(r.authorization).toBeUndefined();
  });
});
