/**
 * Real clients, over HTTP with JWTs signed the way the official cds-hooks sandbox signs them (ES384,
 * `jku` header, `aud` = the URL it called — test/support/sandbox-signer.ts):
 * - loopback: `localhost`, `127.0.0.1` and `[::1]` are one endpoint for `aud` and for `fhirServers`;
 *   everything else matches exactly (no trailing-slash or host tricks);
 * - several public URLs (`publicBaseUrl` as a list);
 * - pinned keys win over `jku`, and an unlisted `jku` is never fetched;
 * - the embedded default configuration (no AUGUR_CONFIG) answers the sandbox pointed at
 *   http://localhost:8080/cds-services with 200;
 * - `fhirAuthorization` without `expires_in`; SMART v1 and v2 scopes, checked before Augur fetches.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFileConfig, loadConfig } from '../../src/config/load.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { startFhirServer, type FhirServer } from '../support/fhir-server.js';
import { aPatientViewRequest } from '../support/hook-requests.js';
import { aPatient } from '../support/fhir-builders.js';
import { sandboxSigner, SANDBOX_JKU, type SandboxSigner } from '../support/sandbox-signer.js';

const SERVICE = '/cds-services/test-patient-view';
type Outcome = {
  resourceType: string;
  issue: { code: string; diagnostics: string; expression?: string[] }[];
};
const outcomeOf = (res: { body: unknown }): Outcome => res.body as Outcome;

const body = () => aPatientViewRequest({ prefetch: { patient: aPatient({ id: 'p1' }) } });

let sandbox: SandboxSigner;
let pinned: TestApp;
const fetched: string[] = [];

beforeAll(async () => {
  sandbox = await sandboxSigner();
  pinned = await startTestApp({
    file: {
      publicBaseUrl: ['http://127.0.0.1:8080', 'https://augur.example.org/cds'],
      clients: [sandbox.pinnedClient()],
    },
    fetchJwks: (url) => {
      fetched.push(url);
      return Promise.reject(new Error('no network in this test'));
    },
  });
});
afterAll(() => pinned.close());

const call = (t: TestApp, token: string, path = SERVICE) =>
  request(t.app).post(path).set('Authorization', `Bearer ${token}`).send(body());

describe('aud on loopback, and several public URLs', () => {
  for (const host of ['localhost', '127.0.0.1', '[::1]']) {
    it(`accepts aud http://${host}:8080/… when publicBaseUrl is http://127.0.0.1:8080`, async () => {
      const res = await call(pinned, sandbox.sign(`http://${host}:8080${SERVICE}`));
      expect(res.status).toBe(200);
    });
  }

  it('accepts a second configured public URL exactly', async () => {
    await call(pinned, sandbox.sign(`https://augur.example.org/cds${SERVICE}`)).expect(200);
  });

  const refused = [
    'http://localhost:8081/cds-services/test-patient-view',
    'http://localhost:8080/cds-services/test-patient-view/',
    'https://localhost:8080/cds-services/test-patient-view',
    'http://localhost.evil.example:8080/cds-services/test-patient-view',
    'http://127.0.0.1@evil.example:8080/cds-services/test-patient-view',
    'http://127.0.0.2:8080/cds-services/test-patient-view',
    'https://augur.example.org/cds/cds-services/test-patient-view/',
    'https://AUGUR.example.org/cds/cds-services/test-patient-view',
    'http://localhost:8080/cds-services',
  ];
  for (const aud of refused) {
    it(`refuses aud ${aud} with the one 401 body`, async () => {
      const res = await call(pinned, sandbox.sign(aud)).expect(401);
      expect(res.body).toEqual({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'login', diagnostics: 'Authentication failed' }],
      });
    });
  }

  it('publicBaseUrl as a string still works (backwards compatible), and the default follows HOST/PORT', () => {
    const c = loadConfig({ PORT: '18123', NODE_ENV: 'test' });
    expect(c.publicBaseUrl).toBe('http://127.0.0.1:18123');
    expect(c.publicBaseUrls).toEqual([
      'http://127.0.0.1:18123',
      'http://localhost:18123',
      'http://[::1]:18123',
    ]);
  });
});

describe('pinned keys win over jku', () => {
  it('accepts the sandbox’s token (jku = its published URL, not configured) without fetching anything', async () => {
    await call(pinned, sandbox.sign(`http://localhost:8080${SERVICE}`)).expect(200);
    await call(
      pinned,
      sandbox.sign(`http://localhost:8080${SERVICE}`, { header: { jku: 'https://evil.example/jwks.json' } }),
    ).expect(200);
    expect(fetched).toEqual([]);
  });

  it('a kid the pinned set lacks is refused, and its unlisted jku is not fetched', async () => {
    const token = sandbox.sign(`http://localhost:8080${SERVICE}`, { header: { kid: 'other-kid' } });
    await call(pinned, token).expect(401);
    expect(fetched).toEqual([]);
  });

  it('a token signed by another key under the pinned kid is refused', async () => {
    const impostor = await sandboxSigner();
    const token = impostor.sign(`http://localhost:8080${SERVICE}`, { header: { kid: sandbox.kid } });
    await call(pinned, token).expect(401);
  });

  it('still refuses embedded keys and alg none whatever is pinned', async () => {
    const [jwk] = sandbox.jwks.keys;
    await call(pinned, sandbox.sign(`http://localhost:8080${SERVICE}`, { header: { jwk } })).expect(401);
    await call(pinned, sandbox.sign(`http://localhost:8080${SERVICE}`, { header: { alg: 'none' } })).expect(
      401,
    );
  });
});

describe('the embedded default configuration (no AUGUR_CONFIG)', () => {
  let app: TestApp;
  const served: string[] = [];
  beforeAll(async () => {
    // The sandbox's published JWKS, served for exactly the configured URL (this test runs offline).
    app = await startTestApp({
      file: { ...(defaultFileConfig() as object), publicBaseUrl: undefined },
      fetchJwks: (url) => {
        served.push(url);
        return url === SANDBOX_JKU ? Promise.resolve(sandbox.jwks) : Promise.reject(new Error('unknown'));
      },
    });
  });
  afterAll(() => app.close());

  it('answers the sandbox pointed at http://localhost:8080/cds-services: discovery and a hook call, 200', async () => {
    await request(app.app)
      .get('/cds-services')
      .set('Authorization', `Bearer ${sandbox.sign('http://localhost:8080/cds-services')}`)
      .expect(200);
    await call(app, sandbox.sign(`http://localhost:8080${SERVICE}`)).expect(200);
    await request(app.app)
      .post(`${SERVICE}/feedback`)
      .set('Authorization', `Bearer ${sandbox.sign(`http://localhost:8080${SERVICE}/feedback`)}`)
      .send({
        feedback: [
          {
            card: 'never-issued',
            outcome: 'overridden',
            overrideReason: { userComment: 'x' },
            outcomeTimestamp: '2026-12-01T10:00:00Z',
          },
        ],
      })
      .expect(404);
    expect(new Set(served)).toEqual(new Set([SANDBOX_JKU]));
  });
});

describe('fhirServer on loopback, fhirAuthorization and scopes (real FHIR server)', () => {
  let fhir: FhirServer;
  let app: TestApp;
  const TOKEN = 'fhir-token';
  beforeAll(async () => {
    fhir = await startFhirServer({ requireToken: TOKEN });
    await fhir.seed([aPatient({ id: 'p1' })]);
    app = await startTestApp({ client: { fhirServers: [fhir.baseUrl] } });
  });
  afterAll(async () => {
    await app.close();
    await fhir.stop();
  });

  const hook = async (fhirServer: string, fhirAuthorization: Record<string, unknown>) =>
    request(app.app)
      .post(SERVICE)
      .set('Authorization', `Bearer ${await app.token(SERVICE)}`)
      .send({
        ...aPatientViewRequest({ fhirServer }),
        fhirAuthorization: {
          access_token: TOKEN,
          token_type: 'Bearer',
          subject: 'augur',
          patient: 'p1',
          ...fhirAuthorization,
        },
      });
  const detail = (res: request.Response): string =>
    (res.body as { cards: { detail: string }[] }).cards[0]?.detail ?? '';

  it('a fhirServer written http://localhost:… matches a listed http://127.0.0.1:…; no expires_in is fine', async () => {
    const localhost = fhir.baseUrl.replace('127.0.0.1', 'localhost');
    fhir.requests.length = 0;
    const res = await hook(localhost, { scope: 'patient/Patient.read patient/Condition.read' });
    expect(res.status).toBe(200);
    expect(detail(res)).toBe('patient: Patient(fetched); conditions: 0 resources(fetched)');
  });

  it('another host that only looks like loopback is 412, with no outbound call', async () => {
    fhir.requests.length = 0;
    const port = new URL(fhir.baseUrl).port;
    for (const server of [`http://localhost.evil.example:${port}/fhir`, `http://127.0.0.2:${port}/fhir`]) {
      const res = await hook(server, { scope: 'patient/*.read' });
      expect(res.status).toBe(412);
      expect(outcomeOf(res).issue[0]?.expression).toEqual(['fhirServer']);
    }
    expect(fhir.requests).toEqual([]);
  });

  it('SMART v2 scopes (patient/Patient.rs) are accepted like v1', async () => {
    const res = await hook(fhir.baseUrl, {
      scope: 'patient/Patient.rs patient/Condition.rs',
      expires_in: 300,
    });
    expect(detail(res)).toBe('patient: Patient(fetched); conditions: 0 resources(fetched)');
  });

  it('a key whose resource type the scope does not grant is unobtainable and never asked for', async () => {
    fhir.requests.length = 0;
    const res = await hook(fhir.baseUrl, { scope: 'patient/Patient.rs patient/Observation.rs' });
    expect(res.status).toBe(200);
    expect(detail(res)).toBe('patient: Patient(fetched); conditions: unavailable');
    expect(fhir.requests.map((r) => r.url.split('?')[0])).toEqual(['/fhir/Patient/p1']);
  });

  it('a required key the scope does not grant: 412 naming the key and the reason', async () => {
    fhir.requests.length = 0;
    const res = await hook(fhir.baseUrl, { scope: 'patient/Condition.read patient/Patient.write' });
    expect(res.status).toBe(412);
    expect(outcomeOf(res).issue[0]?.diagnostics).toMatch(
      /"patient" \(not fetched: the granted scope does not allow Patient read\)/,
    );
    expect(fhir.requests.map((r) => r.url.split('?')[0])).toEqual(['/fhir/Condition']);
  });
});
