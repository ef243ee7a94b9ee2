/**
 * Claim checks on a payload whose signature has been verified. Times are NumericDates (seconds).
 * Every check fails closed: a claim of the wrong type is a failure, never "absent".
 */
import type { TrustedClient } from '../config/schema.js';
import { AuthError } from './types.js';

export interface ClaimLimits {
  clockSkewSeconds: number;
  maxTokenLifetimeSeconds: number;
}

export interface CheckedClaims {
  jti: string;
  exp: number;
  tenant?: string;
  sub?: string;
}

/** Longest accepted `jti`: it is stored in the replay cache, so it must be bounded. */
const MAX_JTI_LENGTH = 256;

/** Checks aud, exp/iat/nbf, lifetime, jti and tenant; returns the claims the caller needs. */
export function checkClaims(
  payload: Record<string, unknown>,
  ctx: {
    audience: string | readonly string[];
    nowSeconds: number;
    limits: ClaimLimits;
    client: TrustedClient;
  },
): CheckedClaims {
  checkAudience(payload.aud, ctx.audience);
  const exp = checkTimes(payload, ctx.nowSeconds, ctx.limits);
  const jti = payload.jti;
  if (typeof jti !== 'string' || jti === '' || jti.length > MAX_JTI_LENGTH)
    throw new AuthError('jti missing or invalid');
  const tenant = checkTenant(payload.tenant, ctx.client);
  const sub = typeof payload.sub === 'string' ? payload.sub : undefined;
  return { jti, exp, ...(tenant === undefined ? {} : { tenant }), ...(sub === undefined ? {} : { sub }) };
}

/**
 * Exact string equality with one of the endpoint's accepted URLs, no URL normalisation:
 * `…/cds-services/x/` is not `…/cds-services/x`. (Loopback aliases are listed by the caller.)
 */
function checkAudience(aud: unknown, audience: string | readonly string[]): void {
  const accepted: readonly string[] = typeof audience === 'string' ? [audience] : audience;
  if (typeof aud === 'string' && accepted.includes(aud)) return;
  if (Array.isArray(aud) && aud.some((a) => typeof a === 'string' && accepted.includes(a))) return;
  throw new AuthError('aud mismatch');
}

function checkTimes(p: Record<string, unknown>, now: number, limits: ClaimLimits): number {
  const skew = limits.clockSkewSeconds;
  const exp = p.exp;
  const iat = p.iat;
  if (!isNumericDate(exp)) throw new AuthError('exp missing or not a number');
  if (!isNumericDate(iat)) throw new AuthError('iat missing or not a number');
  if (now >= exp + skew) throw new AuthError('expired');
  if (iat > now + skew) throw new AuthError('iat in the future');
  if (exp < iat) throw new AuthError('exp before iat');
  if (exp - iat > limits.maxTokenLifetimeSeconds) throw new AuthError('lifetime too long');
  if (p.nbf !== undefined) {
    if (!isNumericDate(p.nbf)) throw new AuthError('nbf not a number');
    if (p.nbf > now + skew) throw new AuthError('not yet valid');
  }
  return exp;
}

/** A finite, non-negative number (RFC 7519 NumericDate; fractions allowed). */
function isNumericDate(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

function checkTenant(tenant: unknown, client: TrustedClient): string | undefined {
  if (tenant !== undefined && typeof tenant !== 'string') throw new AuthError('tenant not a string');
  if (client.tenants === undefined) return tenant;
  if (tenant === undefined || !client.tenants.includes(tenant)) throw new AuthError('tenant not allowed');
  return tenant;
}
