/**
 * The simulator's EHR side against the trace / 401-diagnosis contract (the server half is built on
 * another branch, so Augur is played here by a small HTTP server that answers as the contract says):
 * every call sends `Augur-Trace: 1` and a JWT with `jku` and `aud` = the URL called; a response's
 * `extension["augur-trace"]` is kept; a 401 is followed by `POST /api/auth/diagnose {token, url}` whose
 * 200 `{accepted, reasons}` is shown, and anything else is "diagnosis unavailable".
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSigner, Ehr } from '../../sandbox/web/ehr.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server | undefined;

afterEach(async () => {
  const s = server;
  server = undefined;
  if (s === undefined) return;
  await new Promise<void>((resolve) => {
    s.close(() => {
      resolve();
    });
  });
});

async function fakeAugur(
  answer: (s: Seen) => { status: number; body: unknown },
): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      seen.push(s);
      const a = answer(s);
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`, seen };
}

async function ehrFor(augurUrl: string): Promise<Ehr> {
  const signer = await createSigner('http://127.0.0.1:9', 'http://127.0.0.1:9/.well-known/jwks.json');
  return new Ehr({
    augurUrl,
    fhirBase: 'http://127.0.0.1:9/fhir',
    signer,
    ehrToken: () => Promise.resolve({ access_token: 'fhir-token', expires_in: 300, scope: 'system/*.rs' }),
    registerLaunch: () => 'launch-1',
  });
}

const SERVICES = { services: [{ id: 'svc', hook: 'patient-view', description: 'd' }] };

describe('simulator EHR: trace and 401 diagnosis contract', () => {
  it('sends Augur-Trace: 1 and a jku/aud JWT, keeps extension["augur-trace"], never shows the FHIR token', async () => {
    const augur = await fakeAugur((s) =>
      s.url === '/cds-services'
        ? { status: 200, body: SERVICES }
        : {
            status: 200,
            body: { cards: [], extension: { 'augur-trace': { decisions: [{ model: 'x', in: false }] } } },
          },
    );
    const ehr = await ehrFor(augur.url);
    const [x] = await ehr.fire({ hook: 'patient-view', patientId: 'p1', prefetch: false });
    const call = augur.seen.find((s) => s.url === '/cds-services/svc');
    expect(call?.headers['augur-trace']).toBe('1');
    expect(x?.request.jwt.header).toMatchObject({
      alg: 'ES384',
      jku: 'http://127.0.0.1:9/.well-known/jwks.json',
      typ: 'JWT',
    });
    expect(x?.request.jwt.claims['aud']).toBe(`${augur.url}/cds-services/svc`);
    expect(x?.response.trace).toEqual({ decisions: [{ model: 'x', in: false }] });
    expect(JSON.stringify(x?.request)).not.toContain('fhir-token');
    expect(JSON.parse(call?.body ?? '{}')).toMatchObject({
      fhirAuthorization: { access_token: 'fhir-token' },
    });
    expect(x?.diagnosis).toBeUndefined();
  });

  it('a 401 is followed by POST /api/auth/diagnose with the JWT sent and the URL called; its reasons are kept', async () => {
    const augur = await fakeAugur((s) => {
      if (s.url === '/cds-services') return { status: 200, body: SERVICES };
      if (s.url === '/api/auth/diagnose')
        return { status: 200, body: { accepted: false, reasons: ['aud was X, Augur expects Y'] } };
      return { status: 401, body: { resourceType: 'OperationOutcome', issue: [] } };
    });
    const ehr = await ehrFor(augur.url);
    const [x] = await ehr.fire({ hook: 'patient-view', patientId: 'p1', prefetch: false });
    expect(x?.response.status).toBe(401);
    expect(x?.diagnosis).toEqual({ accepted: false, reasons: ['aud was X, Augur expects Y'] });
    const diag = augur.seen.find((s) => s.url === '/api/auth/diagnose');
    const sentJwt = augur.seen
      .find((s) => s.url === '/cds-services/svc')
      ?.headers.authorization?.slice('Bearer '.length);
    expect(JSON.parse(diag?.body ?? '{}')).toEqual({ token: sentJwt, url: `${augur.url}/cds-services/svc` });
  });

  it('any other diagnose answer is "diagnosis unavailable"', async () => {
    const augur = await fakeAugur((s) => {
      if (s.url === '/cds-services') return { status: 200, body: SERVICES };
      if (s.url === '/api/auth/diagnose') return { status: 404, body: {} };
      return { status: 401, body: {} };
    });
    const ehr = await ehrFor(augur.url);
    const [x] = await ehr.fire({ hook: 'patient-view', patientId: 'p1', prefetch: false });
    expect(x?.diagnosis).toEqual({ unavailable: 'diagnosis unavailable (Augur answered 404)' });
  });

  it('refuses a bad patient id and an order hook without a drug', async () => {
    const augur = await fakeAugur(() => ({ status: 200, body: SERVICES }));
    const ehr = await ehrFor(augur.url);
    await expect(ehr.fire({ hook: 'patient-view', patientId: '../x' })).rejects.toThrow(
      'patientId must be a FHIR id',
    );
    await expect(ehr.fire({ hook: 'order-select', patientId: 'p1' })).rejects.toThrow(
      'order-select needs a drug',
    );
  });
});
