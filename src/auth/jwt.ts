/**
 * Verifying the EHR's JWT (CDS Hooks 2.0.1 §Security; docs: shared/reference/security.md).
 * Order: bearer syntax → header rules → allowlisted iss → per-issuer alg pin → key from the issuer's
 * configured key set → signature → claims → jti replay. Every failure is the same {@link AuthError}.
 */
import { compactVerify, errors } from 'jose';
import type { Logger } from 'pino';
import type { Limits, TrustedClient } from '../config/schema.js';
import { checkClaims } from './claims.js';
import { diagnoseToken } from './diagnose.js';
import { JwksCache, type JwksCacheOptions } from './jwks-cache.js';
import { defaultFetchJwks, type FetchJwks } from './jwks-fetch.js';
import { KeyResolver } from './keys.js';
import type { ReplayCache } from './replay-cache.js';
import { decodeBearer } from './token.js';
import { AuthError, type Authenticator, type VerifiedCaller } from './types.js';

export interface AuthenticatorOptions {
  clients: readonly TrustedClient[];
  limits: Pick<Limits, 'clockSkewSeconds' | 'maxTokenLifetimeSeconds'>;
  /** Closed by the authenticator's close(). */
  replayCache: ReplayCache;
  /** Default: global fetch, 3 s deadline, no redirects, 256 KiB cap. */
  fetchJwks?: FetchJwks;
  /** Milliseconds since the epoch (default `Date.now`). */
  now?: () => number;
  log: Logger;
  /** JWKS cache tunables (TTL, stale window, unknown-kid interval); defaults suit production. */
  jwksCache?: Omit<JwksCacheOptions, 'fetchJwks' | 'now' | 'log'>;
}

/** Builds the {@link Authenticator} for the configured trusted clients. Throws on a duplicate `iss`. */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const clients = indexClients(options.clients);
  const now = options.now ?? Date.now;
  const jwks = new JwksCache({
    ...options.jwksCache,
    fetchJwks: options.fetchJwks ?? defaultFetchJwks,
    now,
    log: options.log,
  });
  const keys = new KeyResolver(jwks, options.clients);

  async function verify(
    authorization: string | undefined,
    audience: string | readonly string[],
    seen: { iss?: string },
  ) {
    const token = decodeBearer(authorization);
    const iss = token.payload.iss;
    const client = typeof iss === 'string' ? clients.get(iss) : undefined;
    if (client === undefined) throw new AuthError('iss missing or unknown');
    seen.iss = client.iss;
    const alg = token.header.alg;
    if (!(client.algorithms as readonly string[]).includes(alg))
      throw new AuthError('alg not allowed for issuer');
    const key = await keys.resolve(client, token.header);
    try {
      await compactVerify(token.compact, key, { algorithms: [alg] });
    } catch (err) {
      throw new AuthError(`signature: ${err instanceof errors.JOSEError ? err.code : 'invalid'}`);
    }
    const nowSeconds = now() / 1000;
    const claims = checkClaims(token.payload, { audience, nowSeconds, limits: options.limits, client });
    const ttl = Math.ceil(claims.exp + options.limits.clockSkewSeconds - nowSeconds);
    await claimOnce(options.replayCache, `${client.iss}\n${claims.jti}`, ttl);
    const caller: VerifiedCaller = { iss: client.iss, client, jti: claims.jti };
    if (claims.tenant !== undefined) caller.tenant = claims.tenant;
    if (claims.sub !== undefined) caller.sub = claims.sub;
    return caller;
  }

  return {
    async authenticate(authorization, audience) {
      const seen: { iss?: string } = {};
      try {
        return await verify(authorization, audience, seen);
      } catch (err) {
        throw reject(err, seen.iss, options.log);
      }
    },
    diagnose: (compact, audience, called) =>
      diagnoseToken(
        { clients, keys, replayCache: options.replayCache, limits: options.limits, now },
        compact,
        audience,
        called,
      ).catch(() => undefined),
    warm: () =>
      jwks.warm(options.clients.flatMap((c) => [...(c.jwksUrl === undefined ? [] : [c.jwksUrl]), ...c.jku])),
    close: () => options.replayCache.close(),
  };
}

/** Last step, so a token failing any other check does not use up its jti. Fails closed. */
async function claimOnce(cache: ReplayCache, key: string, ttlSeconds: number): Promise<void> {
  let first: boolean;
  try {
    first = await cache.claim(key, Math.max(1, ttlSeconds));
  } catch {
    throw new AuthError('replay cache unavailable');
  }
  if (!first) throw new AuthError('jti replayed');
}

/**
 * Logs and normalises a failure. Only a configured iss is logged: an unknown one is attacker-chosen
 * text. Anything unexpected still becomes a 401, never a 5xx.
 */
function reject(err: unknown, iss: string | undefined, log: Logger): AuthError {
  const authError = err instanceof AuthError ? err : new AuthError('unexpected error');
  if (!(err instanceof AuthError)) {
    log.error(
      { reason: authError.reason, errorType: err instanceof Error ? err.name : typeof err },
      'jwt check failed',
    );
  }
  log.debug({ reason: authError.reason, ...(iss === undefined ? {} : { iss }) }, 'jwt rejected');
  return authError;
}

function indexClients(clients: readonly TrustedClient[]): ReadonlyMap<string, TrustedClient> {
  const byIss = new Map<string, TrustedClient>();
  for (const c of clients) {
    if (byIss.has(c.iss)) throw new Error(`duplicate trusted client iss (${c.iss})`);
    byIss.set(c.iss, c);
  }
  return byIss;
}
