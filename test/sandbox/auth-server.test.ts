/**
 * The sandbox's SMART authorization server (oidc-provider) and the FHIR server that requires its tokens,
 * driven over HTTP like a SMART app: authorization code + PKCE S256, EHR launch bound to a patient,
 * standalone launch with the patient chosen on the consent page, and the FHIR server's refusals.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { startAuthServer, type AuthServer } from '../../sandbox/auth-server/server.js';
import { allowsRead } from '../../sandbox/auth-server/scopes.js';
import { startFhirServer, type FhirServer } from '../support/fhir-server.js';
import { aPatient } from '../support/fhir-builders.js';

const CLIENT = 'augur';
const REDIRECT = 'http://127.0.0.1:9/smart-launch/index.html';

let fhir: FhirServer;
let auth: AuthServer;

beforeAll(async () => {
  let verify: (t: string) => Promise<boolean> = () => Promise.resolve(false);
  fhir = await startFhirServer({ verifyToken: (t) => verify(t) });
  auth = await startAuthServer({
    fhirBaseUrl: fhir.baseUrl,
    apps: [{ clientId: CLIENT, redirectUris: [REDIRECT] }],
    ehrClient: { clientId: 'ehr', clientSecret: 'ehr-secret-for-tests-only' },
    listPatients: () =>
      Promise.resolve([
        { id: 'p1', label: 'One' },
        { id: 'p2', label: 'Two' },
      ]),
  });
  verify = async (t) => (await auth.verifyAccessToken(t)) !== undefined;
  fhir.configureSmart({
    authorizationEndpoint: auth.authorizationEndpoint,
    tokenEndpoint: auth.tokenEndpoint,
  });
  await fhir.seed([aPatient({ id: 'p1' }), aPatient({ id: 'p2' })]);
}, 60_000);

afterAll(async () => {
  await auth.stop();
  await fhir.stop();
});

/** A browser's cookie jar, just enough for oidc-provider's interaction and session cookies. */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair?.indexOf('=') ?? -1;
      if (pair !== undefined && i > 0) this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

interface Flow {
  /** The consent page's HTML. */
  consent?: string;
  /** Where the AS finally sent the browser (the app's redirect URI with code or error). */
  redirect: URL;
}

/** GET /auth → consent page → POST the form (allow, with a patient when asked) → back to the app. */
async function authorize(
  query: Record<string, string>,
  form: Record<string, string> = { decision: 'allow' },
): Promise<Flow> {
  const jar = new Jar();
  let url = new URL(auth.authorizationEndpoint);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  let consent: string | undefined;
  let method = 'GET';
  let body: string | undefined;
  for (let hop = 0; hop < 10; hop++) {
    if (url.href.startsWith(REDIRECT))
      return { ...(consent === undefined ? {} : { consent }), redirect: url };
    const res = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        cookie: jar.header(),
        ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      ...(body === undefined ? {} : { body }),
    });
    jar.take(res);
    method = 'GET';
    body = undefined;
    const location = res.headers.get('location');
    if (location !== null) {
      url = new URL(location, url);
      continue;
    }
    const text = await res.text();
    if (res.status === 200 && url.pathname.startsWith('/interaction/')) {
      consent = text;
      method = 'POST';
      body = new URLSearchParams(form).toString();
      continue;
    }
    return {
      ...(consent === undefined ? {} : { consent }),
      redirect: new URL(
        `http://error.invalid/?status=${String(res.status)}&body=${encodeURIComponent(text.slice(0, 300))}`,
      ),
    };
  }
  throw new Error('too many redirects');
}

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function baseQuery(scope: string, challenge?: string): Record<string, string> {
  return {
    response_type: 'code',
    client_id: CLIENT,
    redirect_uri: REDIRECT,
    scope,
    state: randomBytes(8).toString('hex'),
    aud: fhir.baseUrl,
    ...(challenge === undefined ? {} : { code_challenge: challenge, code_challenge_method: 'S256' }),
  };
}

async function exchange(
  code: string,
  verifier: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(auth.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: CLIENT,
      code_verifier: verifier,
    }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function decode(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

describe('sandbox authorization server (SMART App Launch 2.x on oidc-provider)', () => {
  it('refuses an authorization request without code_challenge (PKCE required)', async () => {
    const flow = await authorize(baseQuery('launch/patient openid fhirUser patient/*.rs'));
    expect(flow.consent).toBeUndefined();
    expect(flow.redirect.searchParams.get('error')).toBe('invalid_request');
    expect(flow.redirect.searchParams.get('error_description')).toMatch(/PKCE/);
    expect(flow.redirect.searchParams.get('code')).toBeNull();
  });

  it('EHR launch: the launch binds the patient; the token response has patient, appContext, scope; id_token has fhirUser', async () => {
    const launch = auth.registerLaunch({ patient: 'p2', appContext: 'result-abc' });
    const { verifier, challenge } = pkce();
    const flow = await authorize({
      ...baseQuery('launch openid fhirUser patient/Observation.rs patient/Patient.read', challenge),
      launch,
    });
    expect(flow.consent).toContain('data-patient="p2"');
    const code = flow.redirect.searchParams.get('code');
    expect(code, flow.redirect.href).not.toBeNull();
    const token = await exchange(code ?? '', verifier);
    expect(token.status).toBe(200);
    expect(token.body['patient']).toBe('p2');
    expect(token.body['appContext']).toBe('result-abc');
    expect(String(token.body['scope']).split(' ')).toEqual(
      expect.arrayContaining([
        'launch',
        'openid',
        'fhirUser',
        'patient/Observation.rs',
        'patient/Patient.read',
      ]),
    );
    expect(decode(String(token.body['id_token']))['fhirUser']).toBe('Practitioner/augur-panel-clinician');
    const claims = decode(String(token.body['access_token']));
    expect(claims['aud']).toBe(fhir.baseUrl);
    expect(claims['patient']).toBe('p2');

    // The token reads the FHIR server.
    const read = await fetch(`${fhir.baseUrl}/Patient/p2`, {
      headers: { authorization: `Bearer ${String(token.body['access_token'])}` },
    });
    expect(read.status).toBe(200);
  });

  it('a launch is single use, and an unknown launch is refused', async () => {
    const { challenge } = pkce();
    const flow = await authorize({
      ...baseQuery('launch openid patient/*.rs', challenge),
      launch: 'not-a-launch',
    });
    expect(flow.redirect.searchParams.get('error')).toBe('invalid_request');
    expect(flow.redirect.searchParams.get('error_description')).toMatch(/launch/);
  });

  it('a wrong verifier gets no token', async () => {
    const launch = auth.registerLaunch({ patient: 'p1' });
    const { challenge } = pkce();
    const flow = await authorize({ ...baseQuery('launch patient/*.rs', challenge), launch });
    const token = await exchange(flow.redirect.searchParams.get('code') ?? '', pkce().verifier);
    expect(token.status).toBe(400);
    expect(token.body['error']).toBe('invalid_grant');
  });

  it('standalone launch: the patient chosen on the consent page is in the token response (v1 scopes)', async () => {
    const { verifier, challenge } = pkce();
    const flow = await authorize(baseQuery('launch/patient openid fhirUser patient/*.read', challenge), {
      decision: 'allow',
      patient: 'p1',
    });
    expect(flow.consent).toContain('<option value="p1">');
    const token = await exchange(flow.redirect.searchParams.get('code') ?? '', verifier);
    expect(token.body['patient']).toBe('p1');
    expect(String(token.body['scope'])).toContain('patient/*.read');
  });

  it('an aud that is not the FHIR base is refused; Deny is access_denied', async () => {
    const { challenge } = pkce();
    const wrong = await authorize({
      ...baseQuery('launch/patient patient/*.rs', challenge),
      aud: 'http://127.0.0.1:9/other',
    });
    expect(wrong.redirect.searchParams.get('error')).toBe('invalid_request');
    const denied = await authorize(baseQuery('launch/patient patient/*.rs', challenge), { decision: 'deny' });
    expect(denied.redirect.searchParams.get('error')).toBe('access_denied');
  });

  it('the FHIR server refuses a missing, a foreign and a tampered token, and serves smart-configuration', async () => {
    expect((await fetch(`${fhir.baseUrl}/Patient/p1`)).status).toBe(401);
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const foreign = await new SignJWT({ scope: 'patient/*.rs', patient: 'p1' })
      .setProtectedHeader({
        alg: 'RS256',
        typ: 'at+jwt',
        kid: (await exportJWK(publicKey)).n?.slice(0, 8) ?? 'k',
      })
      .setIssuer(auth.origin)
      .setAudience(fhir.baseUrl)
      .setExpirationTime('5m')
      .sign(privateKey);
    const refused = await fetch(`${fhir.baseUrl}/Patient/p1`, {
      headers: { authorization: `Bearer ${foreign}` },
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');

    const ehr = await auth.ehrToken('system/*.rs');
    const ok = await fetch(`${fhir.baseUrl}/Patient/p1`, {
      headers: { authorization: `Bearer ${ehr.access_token}` },
    });
    expect(ok.status).toBe(200);
    const [h, p, s] = ehr.access_token.split('.');
    const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    const tampered = `${h ?? ''}.${Buffer.from(JSON.stringify({ ...claims, scope: 'system/*.cruds' })).toString('base64url')}.${s ?? ''}`;
    expect(
      (await fetch(`${fhir.baseUrl}/Patient/p1`, { headers: { authorization: `Bearer ${tampered}` } }))
        .status,
    ).toBe(401);

    const conf = (await (await fetch(`${fhir.baseUrl}/.well-known/smart-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(conf['authorization_endpoint']).toBe(auth.authorizationEndpoint);
    expect(conf['code_challenge_methods_supported']).toEqual(['S256']);
  });

  it('reads scopes in both syntaxes', () => {
    expect(allowsRead('patient/Observation.rs', 'Observation')).toBe(true);
    expect(allowsRead('patient/*.read', 'Condition')).toBe(true);
    expect(allowsRead('patient/Observation.c', 'Observation')).toBe(false);
    expect(allowsRead('patient/Condition.rs', 'Observation')).toBe(false);
  });
});
