/**
 * Taking a bearer token apart before any key is chosen. Nothing here is trusted yet: the header and
 * payload are decoded only to pick the issuer's key set and to refuse the header tricks (alg none/HMAC,
 * embedded keys, missing kid, wrong typ) before any cryptography runs.
 */
import { AuthError } from './types.js';

/** Larger Authorization headers are refused before parsing (real EHR tokens are well under 2 KiB). */
export const MAX_AUTHORIZATION_BYTES = 8 * 1024;

/** Three non-empty base64url parts: header.payload.signature. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Header parameters that carry or point to a key of the token's choosing, or change how it is parsed. */
const REFUSED_HEADERS = ['jwk', 'x5u', 'x5c', 'crit', 'b64'] as const;

export interface DecodedToken {
  /** The compact JWS, exactly as received. */
  compact: string;
  header: CheckedHeader;
  /** Unverified until the signature is checked; the signed bytes are exactly these. */
  payload: Record<string, unknown>;
}

export interface CheckedHeader {
  alg: string;
  kid: string;
  jku?: string;
}

/** Extracts and decodes the bearer token from an `Authorization` header value. */
export function decodeBearer(authorization: string | undefined): DecodedToken {
  if (authorization === undefined || authorization === '') throw new AuthError('no authorization header');
  if (authorization.length > MAX_AUTHORIZATION_BYTES) throw new AuthError('token too large');
  const space = authorization.indexOf(' ');
  const scheme = space < 0 ? authorization : authorization.slice(0, space);
  // RFC 7235: auth schemes are case-insensitive.
  if (scheme.toLowerCase() !== 'bearer') throw new AuthError('not a bearer scheme');
  const compact = authorization.slice(space + 1).trim();
  if (space < 0 || compact === '') throw new AuthError('empty bearer token');
  if (!COMPACT_JWS.test(compact)) throw new AuthError('malformed token');
  const [rawHeader = '', rawPayload = ''] = compact.split('.');
  const header = checkHeader(decodeJsonObject(rawHeader, 'header'));
  const payload = decodeJsonObject(rawPayload, 'payload');
  return { compact, header, payload };
}

function decodeJsonObject(part: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new AuthError(`${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AuthError(`${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** Header rules that do not depend on the issuer. The per-issuer alg pin is checked later. */
function checkHeader(h: Record<string, unknown>): CheckedHeader {
  for (const name of REFUSED_HEADERS)
    if (Object.hasOwn(h, name)) throw new AuthError(`${name} header refused`);
  if (typeof h.typ !== 'string' || h.typ.toUpperCase() !== 'JWT') throw new AuthError('typ is not JWT');
  const alg = h.alg;
  if (typeof alg !== 'string' || alg === '') throw new AuthError('alg missing');
  // Refused here by name as well as by the per-issuer allowlist, so a config mistake cannot allow them.
  if (alg.toLowerCase() === 'none' || /^HS/i.test(alg)) throw new AuthError('alg none or HMAC refused');
  const kid = h.kid;
  if (typeof kid !== 'string' || kid === '' || kid.length > 256)
    throw new AuthError('kid missing or invalid');
  if (h.jku === undefined) return { alg, kid };
  if (typeof h.jku !== 'string') throw new AuthError('jku not a string');
  return { alg, kid, jku: h.jku };
}
