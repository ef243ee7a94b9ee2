/**
 * The sandbox's SMART App Launch 2.x authorization server: `oidc-provider` (a certified OpenID Connect
 * server) on 127.0.0.1, configured for SMART:
 * - EHR launch: the EHR (the simulator, in-process) registers a launch bound to a patient and gets an
 *   opaque `launch` value; an authorization request carrying it (with scope `launch`) gets that patient.
 * - Standalone launch (`launch/patient`): the patient is chosen on the sign-in/consent page.
 * - PKCE S256 required for every authorization-code request (oidc-provider 9 supports only S256).
 * - `aud` must be the FHIR base; scopes in v1 and v2 syntax (scopes.ts); `fhirUser` in the id_token.
 * - The token response carries `patient` (and `encounter`, `appContext`, `need_patient_banner`).
 * - Access tokens are RS256 JWTs for the FHIR server (`aud` = FHIR base), verifiable against `jwks_uri`;
 *   `verifyAccessToken` does exactly that over HTTP, as a separate resource server would.
 * - The simulator's EHR backend gets tokens with `client_credentials` (a confidential client) to fill
 *   prefetch and to hand Augur a `fhirAuthorization`.
 *
 * Sign-in is the sandbox user (no password): loopback only, never a production identity provider.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify, type JWK, type JWTPayload } from 'jose';
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { FHIR_SCOPES, OIDC_SCOPES } from './scopes.js';

/** The one person who signs in. The id matches the synthetic panel's practitioner. */
export const SANDBOX_USER = {
  accountId: 'sandbox-clinician',
  name: 'Dr. Sam Sandbox (sandbox user)',
  fhirUser: 'Practitioner/augur-panel-clinician',
} as const;

export interface LaunchContext {
  patient: string;
  encounter?: string;
  /** A CDS card link's `appContext` (Augur's result id), passed through to the token response. */
  appContext?: string;
}

export interface PublicClient {
  clientId: string;
  redirectUris: string[];
}

export interface AuthServerOptions {
  /** The FHIR base the access tokens are for (`aud`). */
  fhirBaseUrl: string;
  /** SMART apps (public clients, PKCE). */
  apps: PublicClient[];
  /** The EHR backend's confidential client for `client_credentials`. */
  ehrClient: { clientId: string; clientSecret: string };
  /**
   * SMART Backend Services clients: `client_credentials` authenticated with a `private_key_jwt` client
   * assertion (RS384 or ES384) verified against the client's registered JWKS; they get `system/` scopes.
   */
  backendClients?: BackendClient[];
  /** Patients offered on the standalone-launch page. */
  listPatients: () => Promise<{ id: string; label: string }[]>;
  port?: number;
}

export interface BackendClient {
  clientId: string;
  /** The client's public keys (a JWK Set). */
  jwks: { keys: JWK[] };
}

export interface AccessClaims extends JWTPayload {
  scope: string;
  patient?: string;
  fhirUser?: string;
  client_id?: string;
}

export interface AuthServer {
  /** e.g. `http://127.0.0.1:18102` (also the issuer). */
  origin: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  introspectionEndpoint: string;
  /** Registers an EHR launch and returns its opaque `launch` value (single use, 10 minutes). */
  registerLaunch(context: LaunchContext): string;
  /** Verifies an access token like a resource server: signature (jwks_uri), iss, aud, exp. */
  verifyAccessToken(token: string): Promise<AccessClaims | undefined>;
  /** A `client_credentials` token for the EHR backend (system scopes). */
  ehrToken(scope: string): Promise<{ access_token: string; expires_in: number; scope: string }>;
  stop(): Promise<void>;
}

const LAUNCH_TTL_MS = 10 * 60_000;

function html(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** `formAction`: where the form may lead, redirects included (CSP applies form-action to them): 'self' and the apps. */
function page(res: ServerResponse, status: number, body: string, formAction = "'self'"): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action ${formAction}`,
  });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Augur sandbox — sign in</title>
<style>body{font:16px system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}button{font:inherit;padding:.4rem 1rem;margin-right:.5rem}code{background:#eee;padding:0 .2rem}</style>
</head><body>${body}</body></html>`);
}

export async function startAuthServer(o: AuthServerOptions): Promise<AuthServer> {
  const launches = new Map<string, LaunchContext & { expires: number }>();
  const contexts = new Map<string, LaunchContext>(); // by grant id
  const granted = new Map<string, string>(); // every scope granted, by grant id
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'RS256', use: 'sig' };

  // After Allow/Deny the browser is redirected to the app: its origin must be a permitted form-action.
  const formAction = [
    "'self'",
    ...new Set(o.apps.flatMap((a) => a.redirectUris.map((u) => new URL(u).origin))),
  ].join(' ');
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(o.port ?? 0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${String((http.address() as AddressInfo).port)}`;
  const fhirBase = o.fhirBaseUrl;

  const configuration: Configuration = {
    clients: [
      ...o.apps.map((a) => ({
        client_id: a.clientId,
        token_endpoint_auth_method: 'none' as const,
        redirect_uris: a.redirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code' as const],
      })),
      {
        client_id: o.ehrClient.clientId,
        client_secret: o.ehrClient.clientSecret,
        token_endpoint_auth_method: 'client_secret_basic' as const,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
      ...(o.backendClients ?? []).map((c) => ({
        client_id: c.clientId,
        token_endpoint_auth_method: 'private_key_jwt' as const,
        jwks: c.jwks,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      })),
    ],
    // SMART Backend Services: client assertions signed RS384 or ES384 (also the other asymmetric defaults).
    enabledJWA: {
      clientAuthSigningAlgValues: ['RS256', 'RS384', 'PS256', 'ES256', 'ES384', 'EdDSA'],
    },
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    scopes: OIDC_SCOPES,
    claims: { openid: ['sub'], fhirUser: ['fhirUser'], profile: ['name'] },
    conformIdTokenClaims: false,
    extraParams: ['launch', 'aud'],
    // A new launch must bind its own patient: only the grant this interaction just made, never an
    // earlier one from the session (oidc-provider's default reuses the session's grant silently).
    loadExistingGrant: async (ctx) => {
      const grantId = (ctx.oidc.result as { consent?: { grantId?: string } } | undefined)?.consent?.grantId;
      return grantId === undefined ? undefined : ctx.oidc.provider.Grant.find(grantId);
    },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, fhirUser: SANDBOX_USER.fhirUser, name: SANDBOX_USER.name }),
    }),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    extraTokenClaims: (_ctx, token) => {
      const grantId = (token as { grantId?: string }).grantId;
      const c = grantId === undefined ? undefined : contexts.get(grantId);
      return c === undefined ? {} : { patient: c.patient, fhirUser: SANDBOX_USER.fhirUser };
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => fhirBase,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== fhirBase) throw new errors.InvalidTarget();
          return {
            scope: FHIR_SCOPES.join(' '),
            audience: fhirBase,
            accessTokenTTL: 3600,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><title>Authorization error</title><h1>${html(out.error)}</h1><p>${html(out.error_description ?? '')}</p>`;
    },
  };
  const provider = new Provider(origin, configuration);

  // SMART: the token response carries the launch context.
  provider.use(async (ctx: KoaContextWithOIDC, next) => {
    await next();
    // ctx.oidc is unset on routes oidc-provider does not own, whatever its type says.
    const oidc = ctx.oidc as KoaContextWithOIDC['oidc'] | undefined;
    if (oidc?.route !== 'token' || ctx.status !== 200) return;
    const body = ctx.body as Record<string, unknown> | undefined;
    const entities = oidc.entities;
    const grantId = entities.AuthorizationCode?.grantId ?? entities.RefreshToken?.grantId;
    if (body === undefined || grantId === undefined) return;
    // The access token's `scope` names only the FHIR scopes; a SMART app reads the whole grant here.
    const all = granted.get(grantId);
    if (all !== undefined) body['scope'] = all;
    const c = contexts.get(grantId);
    if (c === undefined) return;
    Object.assign(body, {
      patient: c.patient,
      need_patient_banner: true,
      ...(c.encounter === undefined ? {} : { encounter: c.encounter }),
      ...(c.appContext === undefined ? {} : { appContext: c.appContext }),
    });
  });

  const interaction = async (req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> => {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new errors.InvalidRequest('interaction mismatch');
    const params = details.params as Record<string, string | undefined>;
    const scopes = (params['scope'] ?? '').split(' ');
    const finish = (result: Record<string, unknown>): Promise<void> =>
      provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    const refuse = (error: string, description: string): Promise<void> =>
      finish({ error, error_description: description });

    if (params['aud'] !== undefined && params['aud'].replace(/\/+$/, '') !== fhirBase)
      return refuse('invalid_request', `aud must be this sandbox's FHIR base (${fhirBase})`);
    const launchId = params['launch'];
    let bound: LaunchContext | undefined;
    if (launchId !== undefined) {
      const l = launches.get(launchId);
      if (l === undefined || l.expires < Date.now() || !scopes.includes('launch'))
        return refuse('invalid_request', 'unknown or expired launch (or scope "launch" missing)');
      bound = {
        patient: l.patient,
        ...(l.encounter === undefined ? {} : { encounter: l.encounter }),
        ...(l.appContext === undefined ? {} : { appContext: l.appContext }),
      };
    }
    const standalone = bound === undefined && scopes.includes('launch/patient');

    if (req.method === 'POST') {
      const form = await readForm(req);
      if (form.get('decision') !== 'allow')
        return refuse('access_denied', 'The user declined to authorize the app.');
      let context = bound;
      if (standalone) {
        const chosen = form.get('patient') ?? '';
        const known = (await o.listPatients()).some((p) => p.id === chosen);
        if (!known) return refuse('invalid_request', 'no patient chosen');
        context = { patient: chosen };
      }
      if (launchId !== undefined) launches.delete(launchId);
      const grant = new provider.Grant({
        accountId: SANDBOX_USER.accountId,
        clientId: params['client_id'] ?? '',
      });
      grant.addOIDCScope(scopes.filter((s) => OIDC_SCOPES.includes(s)).join(' '));
      const fhirScopes = scopes.filter((s) => FHIR_SCOPES.includes(s));
      if (fhirScopes.length > 0) grant.addResourceScope(fhirBase, fhirScopes.join(' '));
      const grantId = await grant.save();
      granted.set(
        grantId,
        scopes.filter((s) => OIDC_SCOPES.includes(s) || FHIR_SCOPES.includes(s)).join(' '),
      );
      if (context !== undefined) contexts.set(grantId, context);
      return finish({ login: { accountId: SANDBOX_USER.accountId }, consent: { grantId } });
    }

    const patients = standalone ? await o.listPatients() : [];
    const chooser = standalone
      ? `<p><label for="patient">Patient</label><br><select id="patient" name="patient" required>${patients
          .map((p) => `<option value="${html(p.id)}">${html(p.label)} (${html(p.id)})</option>`)
          .join('')}</select></p>`
      : bound === undefined
        ? '<p>No patient context requested.</p>'
        : `<p>Patient (from the EHR launch): <strong data-patient="${html(bound.patient)}">Patient/${html(bound.patient)}</strong></p>`;
    page(
      res,
      200,
      `<h1>Augur sandbox — authorize an app</h1>
<p>Signed in as <strong>${html(SANDBOX_USER.name)}</strong> — the sandbox has one user and no password (loopback only).</p>
<p>App <code>${html(params['client_id'] ?? '')}</code> asks for:</p>
<p><code>${html(params['scope'] ?? '')}</code></p>
<form method="post" action="/interaction/${html(uid)}">${chooser}
<button type="submit" name="decision" value="allow" id="allow">Allow</button>
<button type="submit" name="decision" value="deny" id="deny" formnovalidate>Deny</button></form>`,
      formAction,
    );
  };

  const callback = provider.callback();
  http.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const m = /^\/interaction\/([A-Za-z0-9_-]+)$/.exec((req.url ?? '').split('?')[0] ?? '');
    if (m?.[1] === undefined) {
      void callback(req, res);
      return;
    }
    interaction(req, res, m[1]).catch((err: unknown) => {
      const message = err instanceof Error ? err.message : 'error';
      if (!res.headersSent) page(res, 400, `<h1>Sign-in failed</h1><p>${html(message)}</p>`);
    });
  });

  const jwksUri = `${origin}/jwks`;
  const jwks = createRemoteJWKSet(new URL(jwksUri));
  const tokenEndpoint = `${origin}/token`;

  return {
    origin,
    authorizationEndpoint: `${origin}/auth`,
    tokenEndpoint,
    jwksUri,
    introspectionEndpoint: `${origin}/token/introspection`,
    registerLaunch(context) {
      const id = randomBytes(16).toString('base64url');
      launches.set(id, { ...context, expires: Date.now() + LAUNCH_TTL_MS });
      return id;
    },
    async verifyAccessToken(token) {
      try {
        const { payload } = await jwtVerify(token, jwks, {
          issuer: origin,
          audience: fhirBase,
          typ: 'at+jwt',
          algorithms: ['RS256'],
        });
        if (typeof payload['scope'] !== 'string') return undefined;
        return payload as AccessClaims;
      } catch {
        return undefined;
      }
    },
    async ehrToken(scope) {
      const basic = Buffer.from(`${o.ehrClient.clientId}:${o.ehrClient.clientSecret}`).toString('base64');
      const res = await fetch(tokenEndpoint, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource: fhirBase }),
      });
      const body = (await res.json()) as {
        access_token?: string;
        expires_in?: number;
        scope?: string;
        error?: string;
      };
      if (!res.ok || body.access_token === undefined)
        throw new Error(`client_credentials refused: ${String(res.status)} ${body.error ?? ''}`);
      return {
        access_token: body.access_token,
        expires_in: body.expires_in ?? 3600,
        scope: body.scope ?? scope,
      };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => {
          resolve();
        });
      }),
  };
}
