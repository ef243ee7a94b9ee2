/**
 * The session module's pure parts and its FHIR reads, in Node: the issuer allowlist, the state, error
 * sorting, the config shape, and reads through fhirclient's real Client against real servers on
 * 127.0.0.1 — paging, and the token never leaving the launch server's base.
 */
import { createRequire } from 'node:module';
import type * as ClientModule from 'fhirclient/lib/Client.js';
import type { fhirclient } from 'fhirclient/lib/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULT_ID_PATTERN, asAppConfig, sameIssuer, type AppConfig } from '../../src/smart/app-config.js';
import { newResultId } from '../../src/cards/result.js';
import { readScopes } from '../../src/smart/scopes.js';
import { validateFileConfig } from '../../src/config/load.js';
import { pickIssuer } from '../../smart-launch/src/session/issuer.js';
import { LaunchError, toLaunchError } from '../../smart-launch/src/session/errors.js';
import { fhirRead, underBase } from '../../smart-launch/src/session/fhir.js';
import { randomState } from '../../smart-launch/src/session/state.js';
import { startChaosServer, type ChaosServer } from '../support/chaos-fhir-server.js';
import { aPatient, anObservation } from '../support/fhir-builders.js';
import { startFhirServer, type FhirServer } from '../support/fhir-server.js';

const CONFIG: AppConfig = {
  clientId: 'augur',
  ehrScopes: 'launch openid',
  standaloneScopes: 'launch/patient openid',
  redirectPath: 'index.html',
  issuers: [
    { iss: 'https://ehr.example.org/fhir', name: 'A' },
    { iss: 'https://other.example.org/r4/', name: 'B' },
  ],
  modelSettings: {},
};
const one: AppConfig = { ...CONFIG, issuers: CONFIG.issuers.slice(0, 1) };
const params = (q: string): URLSearchParams => new URLSearchParams(q);
const kind = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (err) {
    return err instanceof LaunchError ? err.kind : 'not a LaunchError';
  }
};

describe('pickIssuer (the issMatch allowlist, checked before any request)', () => {
  it('accepts an allowlisted iss, with or without a trailing slash', () => {
    expect(pickIssuer(CONFIG, params('iss=https://ehr.example.org/fhir&launch=1'))).toBe(CONFIG.issuers[0]);
    expect(pickIssuer(CONFIG, params('iss=https://ehr.example.org/fhir/&launch=1'))).toBe(CONFIG.issuers[0]);
    expect(pickIssuer(CONFIG, params('iss=https://other.example.org/r4'))).toBe(CONFIG.issuers[1]);
  });

  it('refuses look-alikes of an allowlisted iss', () => {
    for (const iss of [
      'https://ehr.example.org/fhir2',
      'https://ehr.example.org/fhir/../evil',
      'https://ehr.example.org.evil.test/fhir',
      'https://evil.test/?https://ehr.example.org/fhir',
      'http://ehr.example.org/fhir',
      '',
    ])
      expect(kind(() => pickIssuer(CONFIG, params(`iss=${encodeURIComponent(iss)}&launch=1`)))).toBe(
        'unknown-issuer',
      );
  });

  it('standalone without iss: the only configured server, a chooser for several, an error for none', () => {
    expect(pickIssuer(one, params(''))).toBe(one.issuers[0]);
    expect(pickIssuer(CONFIG, params(''))).toBe('choose');
    expect(kind(() => pickIssuer({ ...CONFIG, issuers: [] }, params('')))).toBe('unknown-issuer');
  });

  it('refuses an EHR launch without iss, and parameters fhirclient would let override Augur', () => {
    expect(kind(() => pickIssuer(one, params('launch=1')))).toBe('other');
    for (const p of ['fhirServiceUrl=https://evil.test/fhir', 'clientId=evil', 'patientId=p2'])
      expect(kind(() => pickIssuer(one, params(`iss=https://ehr.example.org/fhir&${p}`)))).toBe('other');
  });
});

describe('randomState', () => {
  it('is 256 bits of base64url, different every time', () => {
    const states = Array.from({ length: 200 }, randomState);
    for (const s of states) expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(states).size).toBe(200);
  });
});

describe('toLaunchError', () => {
  it('sorts fhirclient and fetch failures into actionable kinds', () => {
    expect(toLaunchError(new TypeError('Failed to fetch')).kind).toBe('unreachable');
    expect(toLaunchError(new TypeError('NetworkError when attempting to fetch resource.')).kind).toBe(
      'unreachable',
    );
    expect(toLaunchError(new TypeError("Cannot read properties of undefined (reading 'x')")).kind).toBe(
      'other',
    );
    expect(toLaunchError(new Error('Failed to fetch the well-known json "x". boom')).kind).toBe(
      'unreachable',
    );
    expect(toLaunchError(Object.assign(new Error('401 Unauthorized'), { status: 401 })).kind).toBe('expired');
    expect(toLaunchError(new Error('No state found! Please (re)launch the app.')).kind).toBe('expired');
    expect(toLaunchError(new Error('access_denied: no')).kind).toBe('denied');
    const pkce = toLaunchError(new Error('Required PKCE code challenge method (`S256`) was not found'));
    expect([pkce.kind, pkce.message]).toEqual(['other', expect.stringContaining('PKCE (S256)')]);
    const e = new LaunchError('state', 'x');
    expect(toLaunchError(e)).toBe(e);
    expect(toLaunchError('weird').kind).toBe('other');
  });
});

describe('config shapes', () => {
  it('asAppConfig accepts the served shape and refuses anything else', () => {
    expect(asAppConfig(JSON.parse(JSON.stringify(CONFIG)))).toEqual(CONFIG);
    expect(asAppConfig({ ...CONFIG, issuers: [{ iss: 1 }] })).toBeUndefined();
    expect(asAppConfig({ ...CONFIG, modelSettings: { a: {} } })).toBeUndefined();
    expect(asAppConfig([])).toBeUndefined();
    expect(sameIssuer('https://a/fhir/', 'https://a/fhir')).toBe(true);
  });

  it('the result-id pattern (appContext, results API) matches what saveResult issues', () => {
    for (let i = 0; i < 100; i++) expect(newResultId()).toMatch(RESULT_ID_PATTERN);
    expect('x'.repeat(21)).not.toMatch(RESULT_ID_PATTERN);
    expect(`${'x'.repeat(21)}/`).not.toMatch(RESULT_ID_PATTERN);
  });

  it('smartApp origins must be bare origins (the CSP names origins)', () => {
    const file = (smartApp: unknown): unknown => ({ publicBaseUrl: 'https://augur.test', smartApp });
    expect(() =>
      validateFileConfig(
        file({ issuers: [{ iss: 'https://e/fhir', connectOrigins: ['https://auth/token'] }] }),
        'c',
      ),
    ).toThrow(/smartApp\.issuers\[0\]\.connectOrigins\[0\]/);
    expect(() => validateFileConfig(file({ frameAncestors: ['https://ehr.test/app'] }), 'c')).toThrow(
      /smartApp\.frameAncestors\[0\]/,
    );
    const ok = validateFileConfig(file({ frameAncestors: ['https://ehr.test'] }), 'c');
    expect(ok.smartApp).toMatchObject({ clientId: 'augur', issuers: [], resultsPerIpPerMinute: 60 });
  });

  it('scopes follow the models’ bindings, Patient always', () => {
    const model = (...sources: string[]) =>
      ({
        inputs: sources.map((source) => ({ fhir: { source } })),
      }) as unknown as Parameters<typeof readScopes>[0][number];
    expect(readScopes([model('setting')])).toEqual(['patient/Patient.rs']);
    expect(readScopes([model('condition', 'derived')])).toEqual([
      'patient/Condition.rs',
      'patient/Observation.rs',
      'patient/Patient.rs',
    ]);
    expect(readScopes([model('medication-class')])).toEqual([
      'patient/Medication.rs',
      'patient/MedicationRequest.rs',
      'patient/MedicationStatement.rs',
      'patient/Patient.rs',
    ]);
  });
});

describe('fhirRead through fhirclient', () => {
  const TOKEN = 'session-test-token';
  let fhir: FhirServer;
  let foreign: ChaosServer;
  let chaos: ChaosServer;
  // fhirclient's real Client (CommonJS); its adapter is only asked for storage (to clear the state after a 401).
  const { default: Client } = createRequire(import.meta.url)('fhirclient/lib/Client.js') as {
    default: new (env: fhirclient.Adapter, state: fhirclient.ClientState) => ClientModule.default;
  };
  const client = (serverUrl: string): ClientModule.default => {
    const stored = new Map<string, unknown>();
    const storage = {
      get: (key: string) => Promise.resolve(stored.get(key)),
      set: (key: string, value: unknown) => {
        stored.set(key, value);
        return Promise.resolve(value);
      },
      unset: (key: string) => Promise.resolve(stored.delete(key)),
    };
    const adapter = { getStorage: () => storage } as unknown as fhirclient.Adapter;
    return new Client(adapter, { serverUrl, tokenResponse: { access_token: TOKEN } });
  };

  beforeAll(async () => {
    fhir = await startFhirServer({ requireToken: TOKEN });
    await fhir.seed([
      aPatient({ id: 'p1' }),
      ...Array.from({ length: 5 }, (_, i) => ({
        ...anObservation({ id: `o${i}`, loinc: '2093-3', value: 180 + i, unit: 'mg/dL' }),
        subject: { reference: 'Patient/p1' },
      })),
    ]);
    foreign = await startChaosServer({ mode: 'ok' });
    chaos = await startChaosServer({ mode: 'foreign-next', foreignOrigin: foreign.origin });
  });
  afterAll(async () => {
    await fhir.stop();
    await foreign.stop();
    await chaos.stop();
  });

  it('follows paging as fhirclient does: one page, n pages, or every page flat', async () => {
    const c = client(fhir.baseUrl);
    const first = (await fhirRead(c, 'Observation?patient=p1&_count=2')) as { entry: unknown[] };
    expect(first.entry).toHaveLength(2);
    expect(await fhirRead(c, 'Observation?patient=p1&_count=2', { pageLimit: 2 })).toHaveLength(2);
    const all = (await fhirRead(c, 'Observation?patient=p1&_count=2', { pageLimit: 0, flat: true })) as {
      id: string;
    }[];
    expect(all.map((o) => o.id).sort()).toEqual(['o0', 'o1', 'o2', 'o3', 'o4']);
    expect(fhir.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('never sends the token outside the launch server: absolute URLs and next links are checked', async () => {
    const c = client(chaos.baseUrl);
    await expect(fhirRead(c, `${foreign.baseUrl}/Patient/p1`)).rejects.toThrow(/only from the FHIR server/);
    await expect(fhirRead(c, 'Observation?patient=p1', { pageLimit: 0 })).rejects.toThrow(
      /only from the FHIR server/,
    );
    expect(chaos.requests).toHaveLength(1);
    expect(foreign.requests).toEqual([]);
    expect(underBase('http://h/fhir/', 'Patient/1')).toBe('http://h/fhir/Patient/1');
    expect(() => underBase('http://h/fhir/', '../admin')).toThrow();
    expect(() => underBase('http://h/fhir/', 'http://h/fhirx/Patient')).toThrow();
  });

  it('a 401 is the session ending', async () => {
    chaos.setMode('401');
    await expect(fhirRead(client(chaos.baseUrl), 'Patient/p1')).rejects.toMatchObject({ kind: 'expired' });
    chaos.setMode('foreign-next');
  });
});
