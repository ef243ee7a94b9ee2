/**
 * Why would Augur refuse this token? For integration testers only: the 401 body stays one identical
 * body for everyone, but a tester holding the key of a trusted client whose config says `trace: true`
 * may ask, with the token, and get every reason in plain words ("aud was …, Augur expects …").
 *
 * The proof is the token itself: it is answered only when its signature verifies against that client's
 * configured keys. Checks mirror the authenticator (token.ts, keys.ts, claims.ts) but list every problem
 * instead of stopping at the first; the replay check is last and uses the same replay cache, so, as a hook
 * call would, it spends the jti of a token that passes every other check.
 */
import { compactVerify } from 'jose';
import type { Limits, TrustedClient } from '../config/schema.js';
import type { KeyResolver } from './keys.js';
import type { ReplayCache } from './replay-cache.js';
import { decodeBearer, type DecodedToken } from './token.js';

export interface Diagnosis {
  accepted: boolean;
  reasons: string[];
}

export interface DiagnoseDeps {
  clients: ReadonlyMap<string, TrustedClient>;
  keys: KeyResolver;
  replayCache: ReplayCache;
  limits: Pick<Limits, 'clockSkewSeconds' | 'maxTokenLifetimeSeconds'>;
  now: () => number;
}

/**
 * The diagnosis of `compact` for a call to `audience` (the accepted public URLs of the endpoint the
 * client called, primary first), or undefined — answer the one 401 — when the token is not a JWT, its
 * iss is not a trusted client with `trace: true`, or its signature does not verify against that client's keys.
 */
export async function diagnoseToken(
  deps: DiagnoseDeps,
  compact: string,
  audience: readonly string[],
  called: string,
): Promise<Diagnosis | undefined> {
  let token: DecodedToken;
  try {
    token = decodeBearer(`Bearer ${compact}`);
  } catch {
    return undefined;
  }
  const iss = token.payload.iss;
  const client = typeof iss === 'string' ? deps.clients.get(iss) : undefined;
  if (client?.trace !== true) return undefined;
  const reasons: string[] = [];
  const { alg, kid, jku } = token.header;
  if (!(client.algorithms as readonly string[]).includes(alg))
    reasons.push(`alg ${alg} is not allowed for ${client.iss} (allowed: ${client.algorithms.join(', ')})`);
  const pinned = client.jwks !== undefined;
  if (jku !== undefined && !pinned && !client.jku.includes(jku) && jku !== client.jwksUrl)
    reasons.push(`jku ${jku} is not configured for ${client.iss}: Augur never fetches an unlisted jku`);
  // Proof of key: the signature must verify against the client's own keys (a listed jku only when given).
  try {
    const header =
      jku !== undefined && reasons.some((r) => r.startsWith('jku ')) ? { alg, kid } : token.header;
    const key = await deps.keys.resolve(client, header);
    await compactVerify(token.compact, key, { algorithms: [alg] });
  } catch {
    return undefined;
  }
  reasons.push(...claimProblems(token.payload, client, audience, called, deps));
  if (reasons.length === 0) {
    const jti = token.payload.jti as string;
    const exp = token.payload.exp as number;
    const ttl = Math.ceil(exp + deps.limits.clockSkewSeconds - deps.now() / 1000);
    try {
      if (!(await deps.replayCache.claim(`${client.iss}\n${jti}`, Math.max(1, ttl))))
        reasons.push(
          `jti ${jti} was already used (replay): sign a new token, with a new jti, for every call`,
        );
    } catch {
      reasons.push('the replay cache is unavailable: Augur refuses every token until it is back');
    }
  }
  return { accepted: reasons.length === 0, reasons };
}

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

function claimProblems(
  p: Record<string, unknown>,
  client: TrustedClient,
  audience: readonly string[],
  called: string,
  deps: DiagnoseDeps,
): string[] {
  const out: string[] = [];
  const expected = audience[0] ?? '';
  const aud = p.aud;
  const auds = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  if (!auds.some((a) => typeof a === 'string' && audience.includes(a))) {
    const was = aud === undefined ? 'missing' : JSON.stringify(aud).replace(/^"|"$/g, '');
    const others = audience.length > 1 ? ` (or one of ${audience.slice(1).join(', ')})` : '';
    const calledNote = audience.some((a) => a === called)
      ? ''
      : `; the URL called (${called}) is not one of Augur's public URLs (publicBaseUrl)`;
    out.push(`aud was ${was}, Augur expects ${expected}${others}${calledNote}`);
  }
  const now = deps.now() / 1000;
  const skew = deps.limits.clockSkewSeconds;
  const { exp, iat, nbf } = p;
  const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  if (!num(exp)) out.push('exp is missing or not a number (seconds since 1970)');
  if (!num(iat)) out.push('iat is missing or not a number (seconds since 1970)');
  if (num(exp) && now >= exp + skew)
    out.push(`the token expired at ${iso(exp)} (Augur's clock: ${iso(now)}, ${String(skew)} s skew allowed)`);
  if (num(iat) && iat > now + skew)
    out.push(`iat ${iso(iat)} is in the future (Augur's clock: ${iso(now)}, ${String(skew)} s skew allowed)`);
  if (num(exp) && num(iat) && exp < iat) out.push('exp is before iat');
  if (num(exp) && num(iat) && exp - iat > deps.limits.maxTokenLifetimeSeconds)
    out.push(
      `the token lives ${String(exp - iat)} s (exp − iat); Augur accepts at most ${String(deps.limits.maxTokenLifetimeSeconds)} s`,
    );
  if (nbf !== undefined && !num(nbf)) out.push('nbf is not a number');
  if (num(nbf) && nbf > now + skew) out.push(`the token is not valid before ${iso(nbf)} (nbf)`);
  const jti = p.jti;
  if (typeof jti !== 'string' || jti === '' || jti.length > 256)
    out.push('jti is missing or invalid (a unique string of at most 256 characters)');
  const tenant = p.tenant;
  if (tenant !== undefined && typeof tenant !== 'string') out.push('tenant is not a string');
  else if (client.tenants !== undefined && (tenant === undefined || !client.tenants.includes(tenant)))
    out.push(
      `tenant ${tenant === undefined ? 'is missing' : `${tenant} is not allowed`}; ${client.iss} allows ${client.tenants.join(', ')}`,
    );
  return out;
}
