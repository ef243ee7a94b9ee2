/**
 * A real OAuth 2 authorization server for SMART launches: oauth2-mock-server 8.2 on 127.0.0.1 (real
 * authorization-code flow, PKCE S256 verified, signed id_token), with the hooks local-servers.md names
 * and the checks a SMART EHR makes that the mock leaves out: the client id, redirect URI and `aud` are
 * the registered ones, S256 is required, a code is single-use and needs its verifier, and the token
 * response carries the launch context (patient, encounter, fhirUser, appContext).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { OAuth2Server } from 'oauth2-mock-server';

export interface LaunchContext {
  patientId: string;
  encounterId?: string;
  /** The CDS card's appContext (Augur's opaque result id), passed through to the token response. */
  appContext?: string;
  fhirUser?: string;
}

export interface AuthServerOptions {
  clientId: string;
  /** The app's redirect URI, exactly (e.g. `http://127.0.0.1:1234/smart-launch/index.html`). */
  redirectUri: string;
  /** The FHIR base the tokens are for (`aud`). */
  fhirBaseUrl: string;
  /** The access token the FHIR server accepts (every successful token response carries it). */
  accessToken: string;
}

interface Grant {
  context: LaunchContext;
  scope: string;
  challenge: string | undefined;
  used: boolean;
}

type Query = Record<string, string | undefined>;

export interface AuthServer {
  /** e.g. `http://127.0.0.1:41235` (also the issuer). */
  origin: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  /** Every authorization request's query, in order. */
  authorizeRequests: Query[];
  /** Every token request's form body, in order. */
  tokenRequests: Query[];
  /** Registers an EHR launch and returns its opaque `launch` value. */
  registerLaunch(context: LaunchContext): string;
  /** The patient a standalone launch (`launch/patient`) picks. */
  standaloneContext: LaunchContext | undefined;
  /** The next authorization request is refused as if the person declined consent (`access_denied`). */
  denyNext(): void;
  /** Fields merged into the next successful token response (e.g. `{access_token: 'revoked'}`). */
  overrideNextToken(fields: Record<string, unknown>): void;
  stop(): Promise<void>;
}

function firstStrings(input: unknown): Query {
  const out: Query = {};
  if (typeof input !== 'object' || input === null) return out;
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/** Why an authorization request is refused (SMART App Launch 2.x), or undefined. */
function authorizeProblem(
  q: Query,
  o: AuthServerOptions,
  launches: Map<string, LaunchContext>,
): string | undefined {
  if (q['response_type'] !== 'code') return 'response_type must be code';
  if (q['client_id'] !== o.clientId) return 'unknown client_id';
  if (q['redirect_uri'] !== o.redirectUri) return 'redirect_uri is not the registered one';
  if (q['aud'] !== o.fhirBaseUrl) return 'aud is not this FHIR server';
  if (q['code_challenge_method'] !== 'S256' || (q['code_challenge'] ?? '') === '')
    return 'PKCE S256 required';
  const scopes = (q['scope'] ?? '').split(' ');
  const launch = q['launch'];
  if (launch !== undefined && (!launches.has(launch) || !scopes.includes('launch'))) return 'unknown launch';
  if (launch === undefined && !scopes.includes('launch/patient')) return 'no launch context requested';
  return undefined;
}

export async function startAuthServer(o: AuthServerOptions): Promise<AuthServer> {
  const server = new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  await server.start(0, '127.0.0.1');
  const origin = `http://127.0.0.1:${server.address().port}`;
  server.issuer.url = origin; // it says http://localhost:<port> otherwise

  const launches = new Map<string, LaunchContext>();
  const grants = new Map<string, Grant>();
  const authorizeRequests: Query[] = [];
  const tokenRequests: Query[] = [];
  let deny = false;
  let override: Record<string, unknown> | undefined;

  const auth: AuthServer = {
    origin,
    authorizationEndpoint: `${origin}/authorize`,
    tokenEndpoint: `${origin}/token`,
    authorizeRequests,
    tokenRequests,
    standaloneContext: undefined,
    registerLaunch(context) {
      const id = randomUUID();
      launches.set(id, context);
      return id;
    },
    denyNext() {
      deny = true;
    },
    overrideNextToken(fields) {
      override = fields;
    },
    stop: () => server.stop(),
  };

  server.service.on('beforeAuthorizeRedirect', (redirect: { url: URL }, req: IncomingMessage) => {
    const q = firstStrings((req as IncomingMessage & { query?: unknown }).query);
    authorizeRequests.push(q);
    const code = redirect.url.searchParams.get('code');
    const problem = authorizeProblem(q, o, launches);
    const launch = q['launch'];
    const context = launch === undefined ? auth.standaloneContext : launches.get(launch);
    const refuse = (error: string, description: string): void => {
      redirect.url.searchParams.delete('code');
      redirect.url.searchParams.set('error', error);
      redirect.url.searchParams.set('error_description', description);
    };
    if (problem !== undefined) {
      refuse('invalid_request', problem);
      return;
    }
    if (deny) {
      deny = false;
      refuse('access_denied', 'The user declined to authorize the app.');
      return;
    }
    if (context === undefined) {
      refuse('invalid_request', 'no patient selected');
      return;
    }
    if (code !== null)
      grants.set(code, { context, scope: q['scope'] ?? '', challenge: q['code_challenge'], used: false });
  });

  const grantOf = (req: IncomingMessage): Grant | undefined => {
    const code = firstStrings((req as IncomingMessage & { body?: unknown }).body)['code'];
    return code === undefined ? undefined : grants.get(code);
  };

  server.service.on(
    'beforeTokenSigning',
    (token: { payload: Record<string, unknown> }, req: IncomingMessage) => {
      const grant = grantOf(req);
      if (grant !== undefined)
        token.payload['fhirUser'] = grant.context.fhirUser ?? 'Practitioner/clinician-1';
    },
  );

  server.service.on(
    'beforeResponse',
    (response: { body: Record<string, unknown>; statusCode: number }, req: IncomingMessage) => {
      const body = firstStrings((req as IncomingMessage & { body?: unknown }).body);
      tokenRequests.push(body);
      const grant = grantOf(req);
      const invalid =
        body['grant_type'] !== 'authorization_code' ||
        grant === undefined ||
        grant.used ||
        grant.challenge === undefined ||
        (body['code_verifier'] ?? '') === '' ||
        body['client_id'] !== o.clientId ||
        body['redirect_uri'] !== o.redirectUri;
      if (invalid) {
        response.statusCode = 400;
        response.body = { error: 'invalid_grant' };
        return;
      }
      grant.used = true;
      const { context, scope } = grant;
      delete response.body['refresh_token']; // no offline_access/online_access requested
      Object.assign(response.body, {
        access_token: o.accessToken,
        scope,
        patient: context.patientId,
        need_patient_banner: false,
        ...(context.encounterId === undefined ? {} : { encounter: context.encounterId }),
        ...(context.appContext === undefined ? {} : { appContext: context.appContext }),
        ...override,
      });
      override = undefined;
    },
  );
  return auth;
}
