/**
 * SMART Backend Services (SMART App Launch 2.x, "Backend Services"): `client_credentials` with a
 * `private_key_jwt` client assertion signed by jose (RS384 or ES384), the token endpoint discovered from
 * `[base]/.well-known/smart-configuration`. The access token is cached until a minute before it expires.
 */
import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT, type JWK } from 'jose';
import { BulkDataError, describeBody } from './errors.js';

export const ASSERTION_ALGS = ['RS384', 'ES384'] as const;
/** The assertion's lifetime: the spec allows at most five minutes. */
const ASSERTION_TTL_S = 300;

export interface BackendClient {
  clientId: string;
  /** The client's private JWK (with `alg` RS384 or ES384, and the `kid` registered with the server). */
  key: JWK;
  /** Scopes to ask for; default `system/*.rs` when the server advertises `permission-v2`, else `system/*.read`. */
  scope?: string;
}

export interface SmartConfiguration {
  token_endpoint?: string;
  capabilities?: string[];
  token_endpoint_auth_methods_supported?: string[];
}

export interface TokenSource {
  /** A valid access token (requested or cached). */
  token(): Promise<string>;
  readonly tokenEndpoint: string;
  readonly scope: string;
}

export async function discover(fhirBase: string, signal?: AbortSignal): Promise<SmartConfiguration> {
  const url = `${fhirBase.replace(/\/+$/, '')}/.well-known/smart-configuration`;
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { accept: 'application/json' },
      redirect: 'manual',
      signal: signal ?? null,
    });
  } catch (err) {
    throw new BulkDataError('discovery', `SMART configuration unreachable: ${message(err)}`);
  }
  const text = await res.text();
  if (res.status !== 200)
    throw new BulkDataError('discovery', `SMART configuration answered ${String(res.status)}`, res.status);
  let config: SmartConfiguration;
  try {
    config = JSON.parse(text) as SmartConfiguration;
  } catch {
    throw new BulkDataError('discovery', 'SMART configuration is not JSON');
  }
  if (typeof config.token_endpoint !== 'string')
    throw new BulkDataError('discovery', 'SMART configuration names no token_endpoint');
  return config;
}

/** The signed client assertion: iss = sub = client_id, aud = the token endpoint, a fresh jti, exp ≤ 5 min. */
export async function clientAssertion(client: BackendClient, tokenEndpoint: string): Promise<string> {
  const alg = client.key.alg;
  if (alg === undefined || !(ASSERTION_ALGS as readonly string[]).includes(alg))
    throw new BulkDataError('token', `the client key's alg must be RS384 or ES384, not ${alg ?? 'unset'}`);
  if (client.key.d === undefined) throw new BulkDataError('token', 'the client key is not a private key');
  const key = await importJWK(client.key, alg);
  const header = { alg, typ: 'JWT', ...(client.key.kid === undefined ? {} : { kid: client.key.kid }) };
  return new SignJWT({})
    .setProtectedHeader(header)
    .setIssuer(client.clientId)
    .setSubject(client.clientId)
    .setAudience(tokenEndpoint)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${String(ASSERTION_TTL_S)}s`)
    .sign(key);
}

export async function backendTokenSource(
  fhirBase: string,
  client: BackendClient,
  signal?: AbortSignal,
): Promise<TokenSource> {
  const config = await discover(fhirBase, signal);
  const tokenEndpoint = config.token_endpoint ?? '';
  const scope =
    client.scope ?? ((config.capabilities ?? []).includes('permission-v2') ? 'system/*.rs' : 'system/*.read');
  let cached: { token: string; until: number } | undefined;
  return {
    tokenEndpoint,
    scope,
    async token() {
      if (cached !== undefined && cached.until > Date.now()) return cached.token;
      const body = new URLSearchParams({
        grant_type: 'client_credentials',
        scope,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: await clientAssertion(client, tokenEndpoint),
      });
      let res: Response;
      try {
        res = await fetch(tokenEndpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body,
          redirect: 'manual',
          signal: signal ?? null,
        });
      } catch (err) {
        throw new BulkDataError('token', `token endpoint unreachable: ${message(err)}`);
      }
      const text = await res.text();
      if (res.status !== 200)
        throw new BulkDataError(
          'token',
          `token endpoint refused client ${client.clientId} (${String(res.status)} ${describeBody(text)})`,
          res.status,
        );
      const parsed = JSON.parse(text) as { access_token?: string; expires_in?: number };
      if (typeof parsed.access_token !== 'string')
        throw new BulkDataError('token', 'token endpoint answered without an access_token');
      const ttl = typeof parsed.expires_in === 'number' ? parsed.expires_in : 300;
      cached = { token: parsed.access_token, until: Date.now() + Math.max(0, ttl - 60) * 1000 };
      return parsed.access_token;
    },
  };
}

export function message(err: unknown): string {
  return err instanceof Error ? err.message : 'error';
}
