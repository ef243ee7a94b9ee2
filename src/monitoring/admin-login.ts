/**
 * The monitoring page's SMART (OpenID Connect) login of a configured administrator — besides the
 * monitoring token. Authorization-code flow with PKCE S256, `state` and `nonce`, Augur as a public
 * client of the configured issuer:
 *
 *   GET /api/monitoring/login           → 302 to the issuer's authorization endpoint (from its
 *                                          .well-known/openid-configuration); the state, nonce and PKCE
 *                                          verifier ride in a signed, HttpOnly, 10-minute cookie
 *   GET /api/monitoring/login/callback  → code → token endpoint → ID token verified with jose against the
 *                                          issuer's JWKS (iss, aud = client id, exp, nonce); `fhirUser` or
 *                                          `sub` in the admin list → session cookie, 303 to the page;
 *                                          otherwise 403 with a page saying who signed in and why not
 *   POST /api/monitoring/logout         → the session cookie cleared
 *
 * No OIDC client library is installed (no openid-client / oauth4webapi in node_modules): the two HTTP
 * exchanges are written here; every token check is jose's `jwtVerify`. Cookies are JWTs (HS256) under a
 * key derived (HKDF) from AUGUR_METRICS_TOKEN, so every worker and replica with the same token accepts
 * them and rotating the token ends every session. Session cookie: `__Host-` prefix, Secure, HttpOnly,
 * SameSite=Strict, Path=/, one hour. The ID token and the access token are never stored or logged.
 */
import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { Router } from 'express';
import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { z } from 'zod';
import type { MonitoringAdminConfig } from '../config/schema.js';
import { HttpError } from '../http/errors.js';

export const SESSION_COOKIE = '__Host-augur-monitoring';
const LOGIN_COOKIE = '__Host-augur-monitoring-login';
const SESSION_SECONDS = 3600;
const LOGIN_SECONDS = 600;
const CALLBACK_PATH = '/api/monitoring/login/callback';
const ISSUER_TIMEOUT_MS = 10_000;

const Discovery = z.object({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
});
type Discovery = z.infer<typeof Discovery>;

/** The HS256 key for Augur's own cookies, derived from the monitoring token. */
function cookieKey(token: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', token, 'augur', 'monitoring admin session cookie', 32));
}

/** The value of one cookie from the Cookie header (names are Augur's own, values base64url JWTs). */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

const secure = { httpOnly: true, secure: true, path: '/' } as const;

function page(res: Response, status: number, title: string, text: string, back: string): void {
  const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`);
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy':
        "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    })
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head>` +
        `<body><main><h1>${esc(title)}</h1><p>${esc(text)}</p>` +
        `<p><a href="${esc(back)}">Back to the monitoring page</a></p></main></body></html>`,
    );
}

export interface AdminLogin {
  router: Router;
  /** The admin identity of a valid session cookie on this request, or undefined. */
  sessionUser(req: Request): Promise<string | undefined>;
}

export function adminLogin(o: {
  admin: MonitoringAdminConfig;
  /** AUGUR_METRICS_TOKEN: the cookies' key is derived from it. */
  token: string;
  publicBaseUrl: string;
}): AdminLogin {
  const key = cookieKey(o.token);
  const issuer = o.admin.issuer.replace(/\/+$/, '');
  const redirectUri = `${o.publicBaseUrl}${CALLBACK_PATH}`;
  const admins = new Set(o.admin.users);
  const monitoringPage = `${o.publicBaseUrl}/smart-launch/monitoring.html`;
  let discovery: Promise<{ d: Discovery; jwks: ReturnType<typeof createRemoteJWKSet> }> | undefined;

  const discover = (): NonNullable<typeof discovery> => {
    discovery ??= (async () => {
      const res = await fetch(`${issuer}/.well-known/openid-configuration`, {
        signal: AbortSignal.timeout(ISSUER_TIMEOUT_MS),
        redirect: 'error',
      });
      if (!res.ok) throw new Error(`issuer discovery answered ${String(res.status)}`);
      const d = Discovery.parse(await res.json());
      if (d.issuer.replace(/\/+$/, '') !== issuer) throw new Error('issuer discovery names another issuer');
      return { d, jwks: createRemoteJWKSet(new URL(d.jwks_uri)) };
    })();
    discovery.catch(() => {
      discovery = undefined; // try again next time
    });
    return discovery;
  };

  const sign = (claims: JWTPayload, seconds: number): Promise<string> =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setExpirationTime(`${String(seconds)}s`)
      .sign(key);
  const verify = async (value: string | undefined, purpose: string): Promise<JWTPayload | undefined> => {
    if (value === undefined) return undefined;
    try {
      const { payload } = await jwtVerify(value, key, { algorithms: ['HS256'] });
      return payload['purpose'] === purpose ? payload : undefined;
    } catch {
      return undefined;
    }
  };

  const unavailable = (): HttpError =>
    new HttpError(502, { code: 'exception', diagnostics: 'the admin sign-in issuer could not be reached' });

  const router = Router();
  router.get('/api/monitoring/login', async (_req, res) => {
    let d: Discovery;
    try {
      d = (await discover()).d;
    } catch {
      throw unavailable();
    }
    const state = randomBytes(16).toString('base64url');
    const nonce = randomBytes(16).toString('base64url');
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    res.cookie(LOGIN_COOKIE, await sign({ purpose: 'login', state, nonce, verifier }, LOGIN_SECONDS), {
      ...secure,
      // The issuer's redirect back is a cross-site top-level navigation: Lax lets this cookie ride on it.
      sameSite: 'lax',
      maxAge: LOGIN_SECONDS * 1000,
    });
    const url = new URL(d.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: o.admin.clientId,
      redirect_uri: redirectUri,
      scope: 'openid fhirUser',
      state,
      nonce,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    res.set('Cache-Control', 'no-store').redirect(302, url.toString());
  });

  router.get(CALLBACK_PATH, async (req, res) => {
    const login = await verify(readCookie(req, LOGIN_COOKIE), 'login');
    res.clearCookie(LOGIN_COOKIE, { ...secure, sameSite: 'lax' });
    const q = req.query;
    if (typeof q['error'] === 'string') {
      page(res, 403, 'Sign-in refused', `The sign-in server answered: ${q['error']}.`, monitoringPage);
      return;
    }
    if (login === undefined || typeof q['state'] !== 'string' || q['state'] !== login['state']) {
      page(
        res,
        400,
        'Sign-in expired',
        'This sign-in was not started here or took too long. Start again.',
        monitoringPage,
      );
      return;
    }
    if (typeof q['code'] !== 'string') {
      page(res, 400, 'Sign-in failed', 'The sign-in server sent no authorization code.', monitoringPage);
      return;
    }
    let d: Awaited<ReturnType<typeof discover>>;
    try {
      d = await discover();
    } catch {
      throw unavailable();
    }
    const tokenRes = await fetch(d.d.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: q['code'],
        redirect_uri: redirectUri,
        client_id: o.admin.clientId,
        code_verifier: String(login['verifier']),
      }),
      signal: AbortSignal.timeout(ISSUER_TIMEOUT_MS),
      redirect: 'error',
    }).catch(() => undefined);
    const body = (await tokenRes?.json().catch(() => undefined)) as { id_token?: unknown } | undefined;
    if (tokenRes?.ok !== true || typeof body?.id_token !== 'string') {
      page(res, 502, 'Sign-in failed', 'The sign-in server did not issue an ID token.', monitoringPage);
      return;
    }
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(body.id_token, d.jwks, {
        issuer: d.d.issuer,
        audience: o.admin.clientId,
        algorithms: ['RS256', 'ES256', 'PS256', 'EdDSA'],
      }));
    } catch {
      page(
        res,
        401,
        'Sign-in failed',
        'The ID token did not verify against the sign-in server.',
        monitoringPage,
      );
      return;
    }
    if (claims['nonce'] !== login['nonce']) {
      page(res, 401, 'Sign-in failed', 'The ID token was not issued for this sign-in.', monitoringPage);
      return;
    }
    const identities = [claims['fhirUser'], claims.sub].filter((v): v is string => typeof v === 'string');
    const admin = identities.find((i) => admins.has(i));
    if (admin === undefined) {
      page(
        res,
        403,
        'Not a monitoring administrator',
        `You signed in as ${identities[0] ?? 'an unnamed user'}, who is not a configured monitoring administrator of this Augur. Ask the site to add you, or use the monitoring token.`,
        monitoringPage,
      );
      return;
    }
    res.cookie(SESSION_COOKIE, await sign({ purpose: 'session', sub: admin }, SESSION_SECONDS), {
      ...secure,
      sameSite: 'strict',
      maxAge: SESSION_SECONDS * 1000,
    });
    res.set('Cache-Control', 'no-store').redirect(303, monitoringPage);
  });

  router.post('/api/monitoring/logout', (_req, res) => {
    res.clearCookie(SESSION_COOKIE, { ...secure, sameSite: 'strict' });
    res.status(204).end();
  });

  return {
    router,
    sessionUser: async (req) => {
      const payload = await verify(readCookie(req, SESSION_COOKIE), 'session');
      const sub = payload?.sub;
      // Still an admin under the current configuration.
      return sub !== undefined && admins.has(sub) ? sub : undefined;
    },
  };
}
